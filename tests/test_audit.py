"""The security audit log: what it records, that it cannot be edited, that an edit is found."""
import csv
import io

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from replyflow.audit import guard
from replyflow.audit import log as audit
from replyflow.extensions import db
from replyflow.models import AuditEntry, User

from .conftest import ON_POSTGRES, Browser
from .factories import make_case, make_user


def entries(**where):
    db.session.expire_all()
    query = select(AuditEntry).order_by(AuditEntry.id)
    for key, value in where.items():
        query = query.where(getattr(AuditEntry, key) == value)
    return db.session.scalars(query).all()


@pytest.fixture
def auditor(world, browser):
    make_user("shenji", ["audit_admin"], "审计员")
    db.session.commit()
    return browser("shenji")


def test_logins_failures_workflow_downloads_and_denials_are_recorded(world, browser, app):
    s = make_case(world, "awaiting_signoff")
    db.session.commit()
    anonymous = Browser(app)
    page = anonymous.client.get("/login")
    anonymous.client.post("/login", data={"username": "nosuchuser", "password": "x",
                                          "csrf_token": anonymous.token(page.text)})
    signer = browser("wuyin")
    signer.post(f"/assignments/{s.assignments[0].id}/reply/sign", {"comment": ""}, expect=302)
    reply_id = s.assignments[0].current_reply.id
    signer.get(f"/replies/{reply_id}/download")
    outsider = browser("guxiaoyan")
    outsider.client.get(f"/replies/{reply_id}")
    signer.post("/logout", expect=302)

    got = [(e.username, e.action, e.result) for e in entries()]
    assert ("nosuchuser", "login_failed", "failed") in got
    assert ("wuyin", "login", "ok") in got
    assert ("wuyin", "actions.sign_reply", "ok") in got
    assert ("wuyin", "download", "ok") in got and ("wuyin", "logout", "ok") in got
    assert ("guxiaoyan", "denied", "denied") in got
    sign = entries(action="actions.sign_reply")[0]
    assert sign.object == f"assignment:{s.assignments[0].id}" and sign.ip == "127.0.0.1"
    assert f"reply:{reply_id}" == entries(action="download")[0].object


def test_account_and_role_changes_are_recorded_with_what_changed(world, browser):
    browser("admin").submit(f"/admin/users/{world.handler.id}", f"/admin/users/{world.handler.id}", {
        "username": "luoyang", "name": "罗杨", "email": "luo@example.com", "password": "", "active": "y"})
    change = entries(action="account_changed")[-1]
    assert change.username == "admin" and change.object == f"user:{world.handler.id}"
    assert "邮箱：luoyang@example.com → luo@example.com" in change.detail
    browser("security").submit(f"/roles/{world.handler.id}", f"/roles/{world.handler.id}", {
        "roles": ["handler", "signer"], "department_id": str(world.talent.id), "body": ""})
    grant = entries(action="roles_changed")[-1]
    assert grant.username == "security" and grant.object == f"user:{world.handler.id}"
    assert grant.detail == "角色：经办人 → 经办人、签发人"


def test_the_chain_verifies_and_finds_an_edit_and_a_removal(world, browser, app):
    for n in range(4):
        audit.write([{"user_id": None, "username": f"u{n}", "ip": "10.0.0.1", "action": "login", "object": None,
                      "result": "ok", "detail": None}])
    assert audit.verify() == (4, [])
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    dialect = "postgresql" if ON_POSTGRES else "sqlite"
    for statement in guard.statements(dialect, drop=True):   # what someone with the database's owner rights does
        db.session.execute(text(statement))
    db.session.execute(text("UPDATE audit_log SET detail = '改过' WHERE id = 2"))
    db.session.execute(text("DELETE FROM audit_log WHERE id = 4"))
    db.session.commit()
    checked, problems = audit.verify()
    assert any("第 2 条内容被改动" in p for p in problems), problems
    assert any("第 4–4 条已被删除" in p for p in problems), problems
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "第 2 条内容被改动" in result.output
    for statement in guard.statements(dialect):
        db.session.execute(text(statement))
    db.session.commit()


def test_the_database_refuses_to_change_or_delete_audit_rows(world):
    audit.write([{"user_id": None, "username": "x", "ip": None, "action": "login", "object": None,
                  "result": "ok", "detail": None}])
    for statement in ("UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError):
            db.session.execute(text(statement))
            db.session.flush()
        db.session.rollback()
    assert len(entries()) == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="roles and grants are PostgreSQL's")
def test_the_apps_own_role_cannot_delete_on_postgresql(world):
    """The app connects as a role that owns nothing: the trigger refuses even the table's owner."""
    db.session.execute(text("DROP ROLE IF EXISTS replyflow_app"))
    db.session.execute(text("CREATE ROLE replyflow_app"))
    db.session.execute(text("GRANT USAGE ON SCHEMA public TO replyflow_app"))
    db.session.execute(text("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO replyflow_app"))
    db.session.commit()
    audit.write([{"user_id": None, "username": "x", "ip": None, "action": "login", "object": None,
                  "result": "ok", "detail": None}])
    try:
        db.session.execute(text("SET ROLE replyflow_app"))
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text("DELETE FROM audit_log"))
        db.session.rollback()
    finally:
        db.session.rollback()
        db.session.execute(text("RESET ROLE"))
        db.session.execute(text("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM replyflow_app"))
        db.session.execute(text("REVOKE ALL ON SCHEMA public FROM replyflow_app"))
        db.session.execute(text("DROP ROLE replyflow_app"))
        db.session.commit()
    assert len(entries()) == 1


def test_the_audit_administrator_searches_exports_and_verifies(world, browser, auditor):
    browser("luoyang")   # a login to find
    page = auditor.page("/audit?user=luoyang&action=login")
    assert "luoyang" in page and "成功" in page and "登录 <span" in page
    response = auditor.get("/audit/export.csv?user=luoyang")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "时间（北京时间 +08:00）", "用户"] and any(r[2] == "luoyang" for r in rows[1:])
    assert "UTF-8''" in response.headers["Content-Disposition"]
    assert "哈希链完整" in auditor.post("/audit/verify", expect=200).text
    # the search, the export and the check are audited themselves
    assert {"audit_search", "audit_export", "audit_verify"} <= {e.action for e in entries(username="shenji")}


def test_only_the_audit_administrator_reads_the_log_and_reads_no_cases(world, browser, auditor):
    s = make_case(world)
    db.session.commit()
    for username in ("admin", "clerk_zx", "luoyang", "caoliujun"):
        assert browser(username).client.get("/audit").status_code == 403
    assert auditor.client.get(f"/submissions/{s.id}").status_code in (403, 404)


@pytest.mark.parametrize("roles", [["admin", "audit_admin"], ["security_admin", "clerk"], ["audit_admin", "member"]])
def test_no_account_holds_two_administrator_roles_or_an_administrator_and_another(world, app, roles):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--username", "both2", "--password", "Long-enough1",
                                 "--body", "政协", *[a for r in roles for a in ("--role", r)]])
    assert result.exit_code != 0 and "三员分立" in result.output
    assert db.session.scalar(select(User).where(User.username == "both2")) is None


def test_the_security_administrator_grants_no_administrator_role_and_not_to_himself(world, browser):
    def roles():
        db.session.expire_all()
        return {u.username: u.roles for u in db.session.scalars(select(User))}

    security = browser("security")
    before = roles()
    response = security.post(f"/roles/{world.handler.id}", {"roles": ["admin"], "department_id": "0", "body": ""},
                             expect=200)
    assert "不是有效的选择" in response.text, response.text
    for target in (world.security, world.admin):
        assert security.client.get(f"/roles/{target.id}").status_code == 403
        assert security.post(f"/roles/{target.id}", {"roles": ["clerk"]}).status_code == 403
    assert roles() == before
