"""动态口令 (TOTP) for the roles TOTP_ROLES names: enrolment at the first login, a code each time after,
a code good once, wrong codes locking like wrong passwords."""
import re
from datetime import timedelta

import pytest

from replyflow import clock
from replyflow.auth import totp
from replyflow.extensions import db
from replyflow.models import User

from .conftest import Browser
from .factories import PASSWORD


@pytest.fixture
def codes_for_signers(app):
    app.config["TOTP_ROLES"] = {"signer", "admin"}
    yield
    app.config["TOTP_ROLES"] = set()


def _password(client_browser, username):
    page = client_browser.client.get("/login")
    return client_browser.client.post("/login", data={"username": username, "password": PASSWORD,
                                                      "csrf_token": client_browser.token(page.text)})


def _code(client_browser, code):
    page = client_browser.client.get("/login/code")
    return client_browser.client.post("/login/code", data={"code": code, "csrf_token": client_browser.token(page.text)})


def test_a_signer_enrols_then_logs_in_with_a_code(world, app, codes_for_signers):
    signer = Browser(app)
    response = _password(signer, "wuyin")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
    assert signer.client.get("/").status_code == 302            # not logged in before the code
    page = signer.client.get("/login/code").text
    secret = re.search(r'<code class="fs-5"[^>]*>([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    assert "otpauth://totp/" in page and '<svg' in page and "扫码添加账号" in page   # the QR code to scan
    assert "动态口令不正确" in _code(signer, "000000").text
    assert _code(signer, totp.code_for(secret)).status_code == 302
    assert signer.client.get("/").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, world.signer.id).totp_secret == secret

    # the next login asks for the code only; the code just used is refused (good once)
    again = Browser(app)
    _password(again, "wuyin")
    assert "otpauth" not in again.client.get("/login/code").text
    assert "已用过" in _code(again, totp.code_for(secret)).text
    later = clock.to_local(clock.now_utc() + timedelta(seconds=60)).replace(tzinfo=None)
    with clock.frozen(later):
        assert _code(again, totp.code_for(secret)).status_code == 302


def test_roles_not_named_log_in_with_the_password_alone(world, app, codes_for_signers):
    handler = Browser(app)
    response = _password(handler, "luoyang")
    assert response.status_code == 302 and not response.headers["Location"].endswith("/login/code")
    assert handler.client.get("/").status_code == 200


def test_wrong_codes_lock_the_account_and_the_code_page_expires(world, app, codes_for_signers):
    signer = Browser(app)
    _password(signer, "wuyin")
    for _ in range(5):
        answer = _code(signer, "123456").text
    assert "已锁定" in answer
    stale = Browser(app)
    start = clock.to_local(clock.now_utc() + timedelta(hours=2)).replace(tzinfo=None)
    with clock.frozen(start):
        _password(Browser(app), "chenjun")
    with clock.frozen(start):
        _password(stale, "chenjun")
    with clock.frozen(start + timedelta(minutes=6)):
        response = stale.client.get("/login/code")
        assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_reset_password_can_release_a_lost_phone(world, app, ctx, codes_for_signers):
    world.signer.totp_secret = totp.new_secret()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reset-password", "--username", "wuyin", "--password",
                                                "Reset-pass-2025", "--reset-code"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(User, world.signer.id).totp_secret is None
