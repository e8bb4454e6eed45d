"""Test set-up: one schema per run built by the Alembic migrations, emptied after every test.

SQLite by default; set REPLYFLOW_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1/test)
to run the same suite on PostgreSQL.
"""
import os
import re
import socket
import tempfile
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from flask.globals import _cv_app
from flask_migrate import upgrade
from sqlalchemy import text

from replyflow import create_app
from replyflow.audit import guard
from replyflow.extensions import db

from . import factories

PG_URL = os.environ.get("REPLYFLOW_TEST_DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith("postgresql")


def _database_url(tmp_dir):
    return PG_URL or f"sqlite:///{os.path.join(tmp_dir, 'test.sqlite3')}"


def _reset_schema():
    """Start from nothing, so the migrations alone build the schema."""
    if ON_POSTGRES:
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()


@pytest.fixture(scope="session")
def app():
    with tempfile.TemporaryDirectory() as tmp_dir:
        # PDFs of the same document (the same case signed in many tests) are converted once a run
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=_database_url(tmp_dir),
                         PDF_CACHE_PATH=os.path.join(tmp_dir, "pdf-cache"))
        with app.app_context():
            try:
                db.session.execute(text("SELECT 1"))
            except Exception as exc:  # the one place a missing database is reported
                pytest.exit(f"test database unreachable ({_database_url(tmp_dir)}): {exc}", returncode=3)
            _reset_schema()
            upgrade()
            db.session.remove()
        yield app


@pytest.fixture(autouse=True)
def _clean_tables(app):
    yield
    from replyflow import clock
    # a test that leaves the clock frozen would move every later test in time
    assert clock._frozen_utc is None, "the clock was left frozen"
    with app.app_context():
        db.session.rollback()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        dialect = "postgresql" if ON_POSTGRES else "sqlite"
        # the audit log refuses to be emptied: lifted for this moment only, as no one else is connected
        for statement in guard.statements(dialect, drop=True):
            db.session.execute(text(statement))
        if ON_POSTGRES:
            db.session.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                db.session.execute(text(f'DELETE FROM "{table}"'))
            for index in ("submission_fts", "submission_text_fts"):   # the search indexes are no model's tables
                db.session.execute(text(f"DELETE FROM {index}"))
        for statement in guard.statements(dialect):
            db.session.execute(text(statement))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def ctx(app):
    """An application context for direct database work inside a test."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def world(app, ctx):
    """Reference data and one account per role (see factories.build_world)."""
    w = factories.build_world()
    db.session.commit()
    return w


class _OwnAppContext:
    """Test client wrapper: each request gets its own app context, as in production.

    Tests hold an app context for their database checks; without this, requests would share it
    (and with it Flask-Login's cached user and the SQLAlchemy session).
    """

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        method = getattr(self._client, name)
        if name not in ("get", "post", "open"):
            return method

        def call(*args, **kwargs):
            token = _cv_app.set(None)
            try:
                return method(*args, **kwargs)
            finally:
                _cv_app.reset(token)
        return call


class Browser:
    """A logged-in user driving the app through its pages and forms, CSRF token included."""

    TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')

    def __init__(self, app, username=None):
        self.client = _OwnAppContext(app.test_client())
        self.username = username
        if username:
            self.login(username)

    def login(self, username, password=factories.PASSWORD):
        page = self.client.get("/login")
        response = self.client.post("/login", data={
            "username": username, "password": password, "csrf_token": self.token(page.text)})
        assert response.status_code == 302, f"login of {username} failed"
        return response

    def token(self, html):
        match = self.TOKEN.search(html)
        assert match, "page has no form with a CSRF token"
        return match.group(1)

    def get(self, url, expect=200):
        response = self.client.get(url)
        assert response.status_code == expect, (url, response.status_code)
        return response

    def page(self, url):
        return self.get(url).text

    def submit(self, page_url, action, data=None, expect=302, files=None):
        """Open `page_url`, check it offers a form posting to `action`, and post `data` to it."""
        html = self.page(page_url)
        assert f'action="{action}"' in html or (action == page_url and "<form" in html), \
            f"{page_url} offers no form for {action}"
        return self.post(action, data, expect=expect, token=self.token(html), files=files)

    def post(self, url, data=None, expect=None, token=None, files=None):
        """Post straight to `url` (as a crafted request would), with a valid token of this session."""
        payload = dict(data or {})
        payload["csrf_token"] = token or self.token(self.client.get("/", follow_redirects=True).text)
        if files:
            payload.update(files)
        response = self.client.post(url, data=payload, content_type="multipart/form-data" if files else None)
        if expect is not None:
            assert response.status_code == expect, (url, response.status_code, _flash(response.text))
        return response

    def follow(self, response):
        assert response.status_code == 302, response.status_code
        return self.client.get(response.headers["Location"]).text


def _flash(html):
    return re.findall(r'alert-(?:danger|warning)[^>]*>\s*([^<]+)', html or "") + re.findall(
        r'invalid-feedback[^>]*>([^<]+)', html or "")


@pytest.fixture
def browser(app):
    def make(username=None):
        return Browser(app, username)
    return make


def flashes(html):
    return _flash(html)


# -- a real SMTP server on localhost --------------------------------------------------------

class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SECURITY="none",
                      MAIL_SENDER="提案建议办理系统 <noreply@replyflow.test>", BASE_URL="https://tajy.example.gov.cn")
    server = {"controller": controller, "inbox": inbox, "port": port}
    yield server
    server["controller"].stop()
    app.config.update(SMTP_HOST="")


# -- an SMS gateway (短信平台) on localhost ------------------------------------------------------

class SmsGateway:
    """Answers as a 短信平台 does: {"code":0} for a message taken; a key seen before is taken again without a
    second text (what their 业务流水号 is for). `outage` answers 503, `silent` takes the message and then
    keeps its answer past the client's timeout (the answer lost on the way)."""

    def __init__(self):
        self.requests, self.texts, self.outage, self.silent = [], {}, 0, 0

    def handle(self, handler):
        import json
        import time
        import urllib.parse

        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode("utf-8") if length else urllib.parse.urlsplit(handler.path).query
        kind = handler.headers.get("Content-Type", "")
        fields = json.loads(raw) if kind.startswith("application/json") else dict(urllib.parse.parse_qsl(raw))
        self.requests.append((handler.command, fields))
        if self.outage:
            self.outage -= 1
            handler.send_response(503)
            handler.end_headers()
            return
        key = fields.get("msgid") or fields.get("serial")
        self.texts.setdefault(key, (fields.get("mobile"), fields.get("content")))
        if self.silent:
            self.silent -= 1
            time.sleep(1.5)
        body = b'{"code":0,"msg":"ok"}'
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


@pytest.fixture
def sms(app):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    gateway = SmsGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            gateway.handle(self)

        do_GET = do_POST

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    app.config.update(SMS_URL=gateway.url, SMS_METHOD="POST", SMS_PARAMS="mobile={mobile}&content={content}&msgid={key}",
                      SMS_SUCCESS=r'"code":0\b', SMS_SIGNATURE="【市政协】", SMS_TIMEOUT=0.5)
    yield gateway
    server.shutdown()
    server.server_close()
    app.config.update(SMS_URL="")
