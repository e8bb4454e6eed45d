"""Accounts to the 等保 bar: password rules, sessions that end, timeouts, lockout across processes."""
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from replyflow import clock
from replyflow.auth import hashing, passwords
from replyflow.extensions import db
from replyflow.models import LoginThrottle, User

from .conftest import Browser, free_port
from .factories import PASSWORD
from .live import LiveUser

ROOT = Path(__file__).resolve().parent.parent


def _change(browser_, current, new, confirm=None):
    return browser_.submit("/account", "/account", {
        "email": "luoyang@example.com", "email_enabled": "y", "current_password": current,
        "new_password": new, "confirm_password": new if confirm is None else confirm}, expect=None)


@pytest.mark.parametrize("weak, why", [
    ("12345678", "至少三类"), ("password", "至少三类"), ("Abc123", "至少 8 位"), ("abcdefgh1", "至少三类"),
    ("P@ssw0rd", "常见密码"), ("Admin@123", "常见密码"), ("Qwe123!@#", "常见密码"), ("Luoyang-2025", "包含用户名"),
])
def test_weak_passwords_are_refused_with_the_reason(world, browser, weak, why):
    handler = browser("luoyang")
    page = _change(handler, PASSWORD, weak).text
    assert why in page
    db.session.expire_all()
    assert world.handler.check_password(PASSWORD)


def test_the_common_password_list_is_the_shipped_one():
    words = passwords.common_passwords()
    assert len(words) > 19000 and {"123456", "password", "woaini1314", "admin@123"} <= words
    assert passwords.problem("Tiger-lake-2025") is None


def test_changing_the_password_needs_the_current_one_and_not_a_recent_one(world, browser):
    handler = browser("luoyang")
    assert "当前密码不正确" in _change(handler, "wrong", "Brand-new-2025").text
    assert "两次输入的新密码不一致" in _change(handler, PASSWORD, "Brand-new-2025", "Brand-new-2026").text
    current = PASSWORD
    for n in range(1, 6):
        assert _change(handler, current, f"Brand-new-{n}x").status_code == 302
        current = f"Brand-new-{n}x"
    # the last five (the current one and four before it) are refused; an older one may come back
    for old in ("Brand-new-5x", "Brand-new-3x", "Brand-new-1x"):
        assert "最近用过的 5 个密码" in _change(handler, current, old).text
    assert _change(handler, current, PASSWORD).status_code == 302


def test_logout_is_post_only_and_the_old_cookie_no_longer_logs_in(world, browser, app):
    user = browser("luoyang")
    copied = Browser(app)
    copied.client.set_cookie("session", user.client.get_cookie("session").value)   # the cookie, copied
    assert copied.client.get("/").status_code == 200
    assert user.client.get("/logout").status_code == 405
    user.post("/logout", expect=302)
    response = copied.client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_password_change_ends_the_users_other_sessions_but_not_this_one(world, browser):
    phone, desk = browser("luoyang"), browser("luoyang")
    assert _change(desk, PASSWORD, "Brand-new-2025").status_code == 302
    assert desk.client.get("/").status_code == 200
    response = phone.client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("change", ["roles", "disable"])
def test_a_role_change_or_disabling_ends_the_users_sessions(world, browser, change):
    handler = browser("luoyang")
    if change == "roles":
        browser("security").submit(f"/roles/{world.handler.id}", f"/roles/{world.handler.id}", {
            "roles": ["handler", "signer"], "department_id": str(world.talent.id), "body": ""})
    else:
        browser("admin").submit(f"/admin/users/{world.handler.id}", f"/admin/users/{world.handler.id}", {
            "username": "luoyang", "name": "罗杨", "email": "luoyang@example.com", "password": ""})
    response = handler.client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_idle_and_absolute_session_timeouts(world, browser, app):
    start = clock.now_utc() + timedelta(hours=1)
    with clock.frozen(clock.to_local(start).replace(tzinfo=None)):
        user = browser("luoyang")
    with clock.frozen(clock.to_local(start + timedelta(minutes=29)).replace(tzinfo=None)):
        assert user.client.get("/").status_code == 200
    with clock.frozen(clock.to_local(start + timedelta(minutes=60)).replace(tzinfo=None)):
        response = user.client.get("/")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        assert "未操作，已自动退出" in user.client.get("/login").text
    # busy all day: still out after 12 hours
    with clock.frozen(clock.to_local(start).replace(tzinfo=None)):
        busy = browser("luoyang")
    for minutes in range(25, 12 * 60, 25):
        with clock.frozen(clock.to_local(start + timedelta(minutes=minutes)).replace(tzinfo=None)):
            assert busy.client.get("/").status_code == 200, minutes
    with clock.frozen(clock.to_local(start + timedelta(hours=12, minutes=10)).replace(tzinfo=None)):
        response = busy.client.get("/")
        assert response.status_code == 302
        assert "12 小时" in busy.client.get("/login").text


def _try_login(browser_, username, password):
    page = browser_.client.get("/login")
    return browser_.client.post("/login", data={"username": username, "password": password,
                                                "csrf_token": browser_.token(page.text)})


def test_five_failures_lock_known_and_unknown_names_alike(world, app):
    for name in ("luoyang", "nosuchuser"):
        anon = Browser(app)
        answers = [_try_login(anon, name, "wrong-guess").text for _ in range(5)]
        assert all("用户名或密码不正确" in a for a in answers[:4])
        assert "已锁定" in answers[4]
        # the right password does not help while locked
        assert "已锁定" in _try_login(anon, name, PASSWORD if name == "luoyang" else "x").text
    locked = {r.username: r.failures for r in db.session.scalars(select(LoginThrottle))}
    assert locked == {"luoyang": 5, "nosuchuser": 5}
    # 30 minutes later the name may try again, and a success clears the count
    later = clock.to_local(clock.now_utc() + timedelta(minutes=31)).replace(tzinfo=None)
    with clock.frozen(later):
        assert _try_login(Browser(app), "luoyang", PASSWORD).status_code == 302
    db.session.expire_all()
    assert db.session.get(LoginThrottle, "luoyang") is None


def test_an_unknown_name_costs_the_same_hash_check(world, app, monkeypatch):
    checked = []
    original = hashing.verify
    monkeypatch.setattr(hashing, "verify", lambda h, p: checked.append(h.split("$")[1:4]) or original(h, p))
    for name in ("luoyang", "nosuchuser"):
        _try_login(Browser(app), name, "wrong-guess")
    # one Argon2id hash of the configured cost, known name or not
    assert checked == [["argon2id", "v=19", "m=8,t=1,p=1"]] * 2


def test_an_older_scrypt_hash_still_logs_in_and_becomes_argon2id(world, browser):
    from werkzeug.security import generate_password_hash

    world.handler.password_hash = generate_password_hash(PASSWORD, method="scrypt")
    db.session.commit()
    browser("luoyang")
    db.session.expire_all()
    assert world.handler.password_hash.startswith("$argon2id$") and world.handler.check_password(PASSWORD)
    assert not world.handler.check_password("wrong-guess")


def test_the_lock_holds_across_two_server_processes(world, app, tmp_path):
    """Two app servers on one database (as two gunicorn workers or two machines): failures on either count."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith(("sqlite:///", "postgresql")):
        pytest.skip("needs a database two processes can share")
    env = {**os.environ, "REPLYFLOW_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "REPLYFLOW_SECRET_KEY": "test", "REPLYFLOW_LOGIN_RATE_LIMIT": "1000 per minute"}
    ports = [free_port(), free_port()]
    servers = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(p)],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for p in ports]
    try:
        for p in ports:
            for _ in range(100):
                try:
                    LiveUser(f"http://127.0.0.1:{p}").request("/login")
                    break
                except OSError:
                    time.sleep(0.1)
        answers = []
        for n in range(5):
            status, _, html = LiveUser(f"http://127.0.0.1:{ports[n % 2]}").login("wuyin", "wrong-guess")
            answers.append(html)
        assert "已锁定" in answers[-1] and "已锁定" not in answers[-2]
        _, _, html = LiveUser(f"http://127.0.0.1:{ports[1]}").login("wuyin", PASSWORD)
        assert "已锁定" in html
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)


def test_the_login_form_is_rate_limited_per_address(world, app):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        anon = Browser(app)
        statuses = [_try_login(anon, "nosuchuser", "x").status_code for _ in range(4)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "100000 per minute"
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429


def test_an_admin_set_password_must_be_changed_at_the_next_login(world, browser):
    admin = browser("admin")
    admin.submit(f"/admin/users/{world.handler.id}", f"/admin/users/{world.handler.id}", {
        "username": "luoyang", "name": "罗杨", "email": "luoyang@example.com", "password": "Temp-pass-2025",
        "active": "y",
        "must_change_password": "y"})
    handler = browser()
    handler.login("luoyang", "Temp-pass-2025")
    response = handler.client.get("/submissions")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    assert "请先修改为您自己的密码" in handler.page("/account")
    _change(handler, "Temp-pass-2025", "Own-pass-2025")
    assert handler.client.get("/submissions").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, world.handler.id).must_change_password is False


def test_a_new_account_does_nothing_until_the_security_administrator_grants_it_a_role(world, browser):
    from replyflow.services import admin as admin_service

    admin_service.save_user_account(None, username="xinren", name="新人", password=PASSWORD, must_change=False)
    db.session.commit()
    newcomer = browser("xinren")
    assert "您的账号尚未授权" in newcomer.page("/")
    assert newcomer.client.get("/submissions/new").status_code == 403
    user = db.session.scalar(select(User).where(User.username == "xinren"))
    browser("security").submit(f"/roles/{user.id}", f"/roles/{user.id}", {"roles": ["clerk"], "body": "cppcc"})
    again = browser("xinren")
    assert again.client.get("/submissions/new").status_code == 200
    assert "登记" in again.page("/") and "尚未授权" not in again.page("/")


@pytest.mark.parametrize("username,home", [("admin", "/admin"), ("security", "/roles")])
def test_each_administrator_lands_on_his_own_page_and_has_no_case_menu(world, browser, username, home):
    admin = browser(username)
    response = admin.client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith(home)
    page = admin.page(home)
    assert ">工作台<" not in page and ">提案建议<" not in page


@pytest.mark.parametrize("concurrent", [1, 2])
def test_a_worker_computes_only_so_many_password_hashes_at_once(concurrent):
    """Each Argon2 hash holds its memory cost: logins beyond ARGON2_CONCURRENT wait their turn instead of
    multiplying a worker's memory; every one of them still gets its hash."""
    import threading

    hasher = hashing._Hasher(1, 8, 1, concurrent)
    running, peak, lock = [0], [0], threading.Lock()
    real = hasher.argon2

    class Slow:   # the real hasher, watched and slowed so that the threads overlap
        def hash(self, password):
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(0.05)
            try:
                return real.hash(password)
            finally:
                with lock:
                    running[0] -= 1

        verify = staticmethod(real.verify)

    hasher.argon2 = Slow()
    results = []
    threads = [threading.Thread(target=lambda: results.append(hasher.hash("Demo-12345"))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == concurrent and len(results) == 4
    assert all(hasher.verify(stored, "Demo-12345") for stored in results)
