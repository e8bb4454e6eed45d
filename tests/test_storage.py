"""Stored files on the storage path: named by their SHA-256, shared by every process on the path, proven on
each read; a file that cannot be read gives a clear page, never a traceback."""
import hashlib
from pathlib import Path

from sqlalchemy import text

from replyflow import storage
from replyflow.extensions import db
from replyflow.models import Reply

from .factories import make_case


def test_a_signed_reply_is_a_file_named_by_its_hash_and_the_row_holds_the_name(world, app, browser):
    s = make_case(world, "signed")
    db.session.commit()
    reply = s.assignments[0].current_reply
    frozen = reply.signed_docx
    key = db.session.scalar(text("SELECT signed_docx_file FROM reply WHERE id = :id"), {"id": reply.id})
    assert key == hashlib.sha256(frozen).hexdigest() == reply.signed_sha256
    assert (Path(app.config["STORAGE_PATH"]) / key[:2] / key).read_bytes() == frozen
    assert browser("luoyang").get(f"/replies/{reply.id}/download").data == frozen
    assert storage.put(frozen) == key                # the same bytes again: the same file, written once


def test_a_lost_or_altered_file_gives_a_clear_page(world, app, browser):
    s = make_case(world, "signed")
    db.session.commit()
    reply_id = s.assignments[0].current_reply.id
    key = db.session.scalar(text("SELECT signed_docx_file FROM reply WHERE id = :id"), {"id": reply_id})
    path = Path(app.config["STORAGE_PATH"]) / key[:2] / key
    original = path.read_bytes()
    handler = browser("luoyang")
    try:
        path.write_bytes(original[:-1] + b"x")
        altered = handler.client.get(f"/replies/{reply_id}/download")
        path.unlink()
        lost = handler.client.get(f"/replies/{reply_id}/download")
    finally:
        path.write_bytes(original)
    for response in (altered, lost):
        assert response.status_code == 503
        assert "文件暂时无法读取" in response.get_data(as_text=True)
    assert handler.get(f"/replies/{reply_id}/download").data == original
    db.session.expire_all()
    assert db.session.get(Reply, reply_id).signed_docx == original
