"""flask backup / flask restore: after a wipe, the restore brings back every row and every stored file."""
import hashlib
import io
import json
import shutil

from sqlalchemy import func, select, text

from replyflow.audit import guard
from replyflow.extensions import db
from replyflow.models import Attachment, Reply, Submission

from .conftest import ON_POSTGRES
from .factories import make_case
from .test_bad_input import register


def _files():
    """SHA-256 of every stored file: attachments, frozen signed replies, kept PDFs, department templates."""
    db.session.expire_all()
    found = {f"attachment:{a.filename}": hashlib.sha256(a.data).hexdigest()
             for a in db.session.scalars(select(Attachment))}
    for r in db.session.scalars(select(Reply).where(Reply.signed_docx.is_not(None))):
        found[f"reply:{r.id}"] = hashlib.sha256(r.signed_docx).hexdigest()
    return found


def _counts():
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def _wipe():
    dialect = "postgresql" if ON_POSTGRES else "sqlite"
    for statement in guard.statements(dialect, drop=True):
        db.session.execute(text(statement))
    for t in reversed(db.metadata.sorted_tables):
        db.session.execute(text(f'DELETE FROM "{t.name}"'))
    for statement in guard.statements(dialect):
        db.session.execute(text(statement))
    db.session.commit()


def test_backup_wipe_restore_gives_back_every_row_and_file(world, app, browser, tmp_path):
    make_case(world, "delivered")
    db.session.commit()
    assert register(browser("clerk_zx"), world, number="295",
                    files={"attachments": [(io.BytesIO(b"%PDF-1.4 report"), "调研报告.pdf")]}).status_code == 302
    before, files = _counts(), _files()
    assert before["submission"] == 2 and len(files) == 2 and before["audit_log"] > 0
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(tmp_path / "bk")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows"]["submission"] == 2 and manifest["files"]

    assert sum(name.startswith("files/") for name in manifest["files"]) >= len(set(files.values()))
    _wipe()
    shutil.rmtree(app.config["STORAGE_PATH"])          # the files' disk is lost as well
    assert db.session.scalar(select(func.count(Submission.id))) == 0
    result = runner.invoke(args=["restore", str(tmp_path / "bk")], input="y\n")
    assert result.exit_code == 0, result.output
    after = _counts()
    # the restore writes one audit entry of its own after the rows came back
    assert {**after, "audit_log": after["audit_log"] - 1} == {**before, "audit_log": manifest["rows"]["audit_log"]}
    assert _files() == files
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_a_damaged_or_foreign_backup_is_refused_and_changes_nothing(world, app, tmp_path):
    make_case(world)
    db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "bk")]).exit_code == 0
    assert runner.invoke(args=["backup", str(tmp_path / "bk")]).exit_code == 1   # never over an old one
    dump = next(p for p in (tmp_path / "bk").iterdir() if p.name.startswith("database"))
    dump.write_bytes(dump.read_bytes()[:-10] + b"0" * 10)
    result = runner.invoke(args=["restore", str(tmp_path / "bk"), "--yes"])
    assert result.exit_code == 1 and "SHA-256 与清单不符" in result.output
    result = runner.invoke(args=["restore", str(tmp_path)])
    assert result.exit_code == 1 and "不是备份目录" in result.output
    assert db.session.scalar(select(func.count(Submission.id))) == 1
