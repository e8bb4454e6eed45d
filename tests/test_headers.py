"""Security headers on every response, and no inline script for the CSP to forbid."""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from replyflow.extensions import db

from .conftest import Browser, free_port
from .factories import make_case
from .live import LiveUser

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "replyflow" / "templates"


def _csp(response):
    return dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";")
                if part.strip())


def test_logged_in_pages_and_downloads_carry_the_security_headers(world, browser):
    s = make_case(world, "delivered")
    db.session.commit()
    member = browser("caoliujun")
    for response in (member.get(f"/submissions/{s.id}"),
                     member.get(f"/replies/{s.assignments[0].current_reply.id}/download")):
        csp = _csp(response)
        assert csp["script-src"] == "'self'" and csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cache-Control"] == "no-store"


def test_the_login_page_is_framed_by_no_one_but_may_be_cached(app):
    response = Browser(app).client.get("/login")
    assert _csp(response)["frame-ancestors"] == "'none'" and "no-store" not in response.headers.get("Cache-Control", "")


def test_gunicorn_serves_with_a_server_header_without_version(world, app, tmp_path):
    """Production runs gunicorn with gunicorn.conf.py: its Server header names no software version."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith(("sqlite:///", "postgresql")):
        pytest.skip("needs a database another process can open")
    port = free_port()
    env = {**os.environ, "REPLYFLOW_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "REPLYFLOW_BIND": f"127.0.0.1:{port}", "REPLYFLOW_WORKERS": "1", "REPLYFLOW_ACCESS_LOG": "/dev/null"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        headers = None
        for _ in range(100):
            try:
                _, headers, _ = LiveUser(f"http://127.0.0.1:{port}").request("/login")
                break
            except OSError:
                time.sleep(0.1)
        assert headers is not None, "gunicorn did not start"
        assert headers["Server"] == "replyflow"
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(10)


def test_no_template_has_inline_script_or_event_handlers():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: <script> without src" for _ in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text)]
        found += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"\son[a-z]+=", text)]
        found += [f"{path.name}: javascript: URL" for _ in re.finditer(r"javascript:", text)]
    assert not found, found


def test_behind_a_proxy_the_forwarded_address_is_the_clients(world, app):
    """With PROXY_FIX=1 the per-address login limit counts each office PC, not nginx's one address."""
    from replyflow import create_app

    proxied = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], PROXY_FIX=1,
                         LOGIN_RATE_LIMIT="2 per minute")
    client = proxied.test_client()

    def attempt(address):
        page = client.get("/login", headers={"X-Forwarded-For": address})
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page.text).group(1)
        return client.post("/login", data={"username": "x", "password": "y", "csrf_token": token},
                           headers={"X-Forwarded-For": address}).status_code
    assert [attempt("10.0.0.1") for _ in range(3)] == [200, 200, 429]
    assert attempt("10.0.0.2") == 200
