"""flask backup DEST / flask restore SRC: a consistent copy of the database (SQLite's online backup, or
pg_dump) with every stored file (attachments, signed replies and their PDFs, templates: the storage path) and a
manifest of SHA-256 hashes and row counts, so a restore can prove it brought back what was saved."""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url

from .extensions import db

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _counts() -> dict[str, int]:
    names = inspect(db.engine).get_table_names()
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables
            if t.name in names}


def _revision() -> str | None:
    from sqlalchemy import text

    try:
        return db.session.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception:
        db.session.rollback()
        return None


def _libpq(url) -> tuple[str, dict]:
    """pg_dump's connection string and environment from the SQLAlchemy URL (the password stays out of argv)."""
    url = make_url(url)
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    dsn = f"postgresql://{url.username or ''}@{url.host or ''}:{url.port or 5432}/{url.database}"
    return dsn, env


def _run(args, env=None):
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(f"找不到 {args[0]}：请安装与数据库同版本的 PostgreSQL 客户端（postgresql-client）。") from None
    if result.returncode != 0:
        raise BackupError(f"{args[0]} 失败：{result.stderr.strip()[:500]}")


def backup(dest: Path, storage_path: Path) -> dict:
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} 已存在且不为空：请指定新的目录。")
    dest.mkdir(parents=True, exist_ok=True)
    url = db.engine.url
    db.session.commit()
    if url.get_backend_name() == "sqlite":
        target = dest / "database.sqlite3"
        source = db.engine.raw_connection()
        try:
            with sqlite3.connect(target) as copy:
                source.driver_connection.backup(copy)   # a consistent snapshot while the app keeps running
        finally:
            source.close()
    elif url.get_backend_name() == "postgresql":
        target = dest / "database.pgdump"
        dsn, env = _libpq(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), dsn], env)
    else:
        raise BackupError(f"不支持的数据库：{url.get_backend_name()}")
    files = {}
    stored = Path(storage_path)
    if stored.is_dir():   # attachments, templates, signed replies: the storage path (storage.py)
        shutil.copytree(stored, dest / "files", ignore=shutil.ignore_patterns(".incoming-*"))
    for path in sorted(p for p in dest.rglob("*") if p.is_file()):
        files[str(path.relative_to(dest))] = _sha256(path)
    manifest = {"made_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "database": url.get_backend_name(), "revision": _revision(), "rows": _counts(), "files": files}
    (dest / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def check(src: Path) -> dict:
    """The manifest, once every file is there with its hash."""
    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{src} 不是备份目录（没有可读的 {MANIFEST}）。") from None
    for name, digest in manifest["files"].items():
        path = src / name
        if not path.is_file():
            raise BackupError(f"备份不完整：缺少 {name}。")
        if _sha256(path) != digest:
            raise BackupError(f"备份已损坏：{name} 的 SHA-256 与清单不符。")
    return manifest


def restore(src: Path, storage_path: Path) -> dict:
    src = Path(src)
    manifest = check(src)
    url = db.engine.url
    if manifest["database"] != url.get_backend_name():
        raise BackupError(f"这是 {manifest['database']} 的备份，当前数据库是 {url.get_backend_name()}。")
    db.session.commit()
    db.session.remove()
    if url.get_backend_name() == "sqlite":
        target = db.engine.raw_connection()
        try:
            with sqlite3.connect(src / "database.sqlite3") as source:
                source.backup(target.driver_connection)
        finally:
            target.close()
    else:
        db.engine.dispose()   # no pooled connection may hold a lock on what pg_restore replaces
        dsn, env = _libpq(url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", dsn,
              str(src / "database.pgdump")], env)
    db.engine.dispose()
    if (src / "files").is_dir():
        shutil.copytree(src / "files", Path(storage_path), dirs_exist_ok=True)
    counts = _counts()
    wrong = {t: (n, counts.get(t)) for t, n in manifest["rows"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError("恢复后行数与备份清单不符：" + "；".join(f"{t} {a}→{b}" for t, (a, b) in wrong.items()))
    return manifest
