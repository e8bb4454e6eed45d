"""Benchmark: a reply's PDF and its check on the page, as the handler and the signer meet them. Prints figures;
asserts nothing.

    .venv/bin/python benchmarks/documents.py [--conversions 50] [--no-once]

Builds a throw-away SQLite database (migrations, the demo), then through the Flask test client, as the demo's
handler and signer: a draft's PDF preview opened first (LibreOffice started, the document converted), again (the
cache), and after an edit (a running LibreOffice); the check page (版面检查) first and again; 签发 with the check
(render, LibreOffice, the page rules before the lock; the number, freezing and the commit under it), timed apart.
Then N conversions of different replies through the kept-running LibreOffice and N through a fresh `soffice` each.
Needs LibreOffice (soffice, python3-uno) and poppler-utils.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from replyflow import create_app  # noqa: E402
from replyflow.demo.catalog import PASSWORD  # noqa: E402
from replyflow.documents import pdf as pdf_module  # noqa: E402
from replyflow.documents.reply import content_of, render  # noqa: E402
from replyflow.documents.service import document_settings  # noqa: E402
from replyflow.extensions import db  # noqa: E402
from replyflow.models import Assignment, Reply, User  # noqa: E402
from replyflow.notifications.service import department_users  # noqa: E402
from replyflow.services import replies as reply_service  # noqa: E402


def login(app, username):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"{username} could not log in"
    return client


def timed(call):
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversions", type=int, default=50)
    parser.add_argument("--no-once", action="store_true", help="skip the N conversions through a fresh soffice")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("default", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite3",
                         PDF_CACHE_PATH=f"{tmp}/pdf-cache", WTF_CSRF_ENABLED=False, STORAGE_PATH=f"{tmp}/files")
        with app.app_context():
            upgrade()
            app.test_cli_runner().invoke(args=["demo"])
            pdf_module.stop_listeners()   # the demo's signing started one: the preview below starts its own
            draft = db.session.scalar(select(Reply).join(Assignment).where(
                Reply.signed_at.is_(None), Assignment.state == "drafting").order_by(Reply.id))
            waiting = db.session.scalar(select(Assignment).where(Assignment.state == "awaiting_signoff")
                                        .order_by(Assignment.id))
            handler_name = department_users(draft.assignment.department_id, "handler")[0].username
            signer_name = department_users(waiting.department_id, "signer")[0].username
            draft_id, waiting_id = draft.id, waiting.id
            db.session.remove()
        handler, signer = login(app, handler_name), login(app, signer_name)
        first, response = timed(lambda: handler.get(f"/replies/{draft_id}/pdf"))
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), response.status_code
        again, _ = timed(lambda: handler.get(f"/replies/{draft_id}/pdf"))
        with app.app_context():
            reply = db.session.get(Reply, draft_id)
            reply.body += "\n感谢您的关心和支持。"
            db.session.commit()
        edited, _ = timed(lambda: handler.get(f"/replies/{draft_id}/pdf"))
        check_first, _ = timed(lambda: handler.get(f"/replies/{draft_id}/check"))
        check_again, _ = timed(lambda: handler.get(f"/replies/{draft_id}/check"))
        rows += [("draft PDF preview, first (LibreOffice started)", first),
                 ("draft PDF preview, again (cache)", again), ("draft PDF preview after an edit", edited),
                 ("版面检查 page, first", check_first), ("版面检查 page, again (PDF from the cache)", check_again)]
        # 签发: the slow part before the lock, then the rest; and the whole request
        with app.app_context():
            a = db.session.get(Assignment, waiting_id)
            signer_user = db.session.scalar(select(User).where(User.username == signer_name))
            prepare, prepared = timed(lambda: reply_service.prepare_signing(signer_user, a))
            locked, _ = timed(lambda: reply_service.sign_reply(signer_user, a, "同意。", prepared))
            db.session.rollback()
            db.session.remove()
        whole, response = timed(lambda: signer.post(f"/assignments/{waiting_id}/reply/sign", data={"comment": "同意。"}))
        with app.app_context():
            signed = db.session.get(Assignment, waiting_id).state
        rows += [("签发: render + LibreOffice + page rules, before the lock", prepare),
                 ("签发: number, freeze, flush, under the lock", locked),
                 (f"签发: the whole POST ({signed})", whole)]
        # N conversions of different replies
        with app.app_context():
            replies = db.session.scalars(select(Reply).order_by(Reply.id)).all()
            documents = [render(content_of(r, draft=True), settings=document_settings()) for r in replies]
        documents = [documents[i % len(documents)] for i in range(args.conversions)]
        settings = document_settings(app.config)
        kept = []
        for data in documents:
            seconds, _ = timed(lambda: pdf_module.docx_to_pdf(data, settings))
            kept.append(seconds)
        rows.append((f"{args.conversions} conversions, LibreOffice kept running: total", sum(kept)))
        rows.append(("  per conversion, median", statistics.median(kept)))
        if not args.no_once:
            once = []
            for data in documents:
                seconds, _ = timed(lambda: pdf_module.docx_to_pdf(data, settings, keep_running=False))
                once.append(seconds)
            rows.append((f"{args.conversions} conversions, a fresh soffice each: total", sum(once)))
            rows.append(("  per conversion, median", statistics.median(once)))
        pdf_module.stop_listeners()
    print("| step | seconds |\n| --- | ---: |")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.3f} |")


if __name__ == "__main__":
    main()
