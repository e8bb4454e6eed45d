"""Uploaded workbooks waiting between their preview and the import: on the storage path (every web host reads
the same one), under names no one can guess, gone after the import or a day."""
import os
import secrets
import time
from pathlib import Path

from .. import storage

FOLDER = "imports-pending"
#: a preview may be imported for this long after its upload
MAX_AGE = 24 * 3600


def _folder() -> Path:
    return storage.root() / FOLDER


def put(data: bytes) -> str:
    """Keep the upload; its name. Uploads older than MAX_AGE are swept away on the way."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    sweep()
    name = secrets.token_hex(16)
    (folder / f"{name}.xlsx").write_bytes(data)
    return name


def get(name: str) -> bytes | None:
    if not (isinstance(name, str) and len(name) == 32 and all(c in "0123456789abcdef" for c in name)):
        return None
    try:
        return (_folder() / f"{name}.xlsx").read_bytes()
    except OSError:
        return None


def drop(name: str):
    (_folder() / f"{name}.xlsx").unlink(missing_ok=True)


def sweep(now: float | None = None):
    now = now or time.time()
    for path in _folder().glob("*.xlsx"):
        try:
            if now - path.stat().st_mtime > MAX_AGE:
                os.unlink(path)
        except OSError:
            pass   # another host swept it first
