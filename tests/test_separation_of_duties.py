"""三员分立: the system, security and audit administrators cannot do one another's work or take over one
another's accounts; accounts of earlier versions holding two roles are shown and split from the shell."""
import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from replyflow.extensions import db
from replyflow.models import AuditEntry, Member, User
from replyflow.services import admin as admin_service

from .conftest import flashes
from .factories import PASSWORD, make_user


def _accounts():
    db.session.expire_all()
    return [(u.username, u.name, u.active, u.password_hash, sorted(u.roles)) for u in
            db.session.scalars(select(User).order_by(User.id))]


@pytest.mark.parametrize("target", ["security", "admin", "auditor"])
def test_the_system_administrator_cannot_take_over_an_administrators_account(world, browser, target):
    make_user("auditor", ["audit_admin"], "审计员")
    db.session.commit()
    account = db.session.scalar(select(User).where(User.username == target))
    admin = browser("admin")
    before = _accounts()
    assert admin.client.get(f"/admin/users/{account.id}").status_code == 403
    response = admin.post(f"/admin/users/{account.id}", {
        "username": target, "name": "接管", "password": "Taken-over-2026", "active": "y"})
    assert response.status_code == 403 and _accounts() == before
    assert f'href="/admin/users/{account.id}"' not in admin.page("/admin/users")


def test_member_links_cannot_move_a_members_cases_to_another_account(world, browser):
    admin = browser("admin")
    form = {"body": "cppcc", "kind": "person", "name": world.member.name, "affiliation": world.member.affiliation or "",
            "unit": world.member.unit or "", "group_kind": "", "address_as": "", "phone": ""}
    # 曹留俊's record onto a 人大 deputy's account: refused, and onto another 政协 account: refused
    for other in (world.deputy_user, world.cosigner_user):
        response = admin.submit(f"/admin/members/{world.member.id}", f"/admin/members/{world.member.id}",
                                {**form, "user_id": str(other.id)}, expect=200)
        assert flashes(response.text), other.username
    db.session.expire_all()
    assert db.session.get(Member, world.member.id).user_id == world.member_user.id
    # unlinking is possible and audited with what it was
    admin.submit(f"/admin/members/{world.member.id}", f"/admin/members/{world.member.id}", {**form, "user_id": "0"})
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "member_saved")).all()[-1]
    assert "登录账号：caoliujun → 无" in entry.detail and entry.username == "admin"


def test_an_earlier_versions_doubled_account_keeps_working_is_shown_and_is_split_from_the_shell(world, browser, app):
    legacy = world.clerk
    legacy.set_roles({"clerk", "admin"})   # allowed before 三员分立
    db.session.commit()
    clerk = browser("clerk_zx")
    assert clerk.client.get("/").status_code == 200            # still the clerk's 工作台
    assert "clerk_zx（系统管理员、提案/建议工作人员）" in browser("admin").page("/admin")
    result = app.test_cli_runner().invoke(args=["set-roles", "--username", "clerk_zx", "--role", "clerk",
                                                "--body", "政协"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert legacy.roles == {"clerk"} and admin_service.doubled_administrators() == []
    assert clerk.client.get("/").status_code == 302             # the split ended the session
    refused = app.test_cli_runner().invoke(args=["set-roles", "--username", "clerk_zx", "--role", "clerk",
                                                 "--role", "security_admin"])
    assert refused.exit_code != 0 and "三员分立" in refused.output


def test_a_second_factor_user_gets_an_argon2_hash_at_the_password_step(world, browser, app):
    from .conftest import Browser
    from .test_second_factor import _password

    world.signer.password_hash = generate_password_hash(PASSWORD, method="scrypt")
    db.session.commit()
    app.config["TOTP_ROLES"] = {"signer"}
    try:
        assert _password(Browser(app), "wuyin").headers["Location"].endswith("/login/code")
    finally:
        app.config["TOTP_ROLES"] = set()
    db.session.expire_all()
    assert world.signer.password_hash.startswith("$argon2id$")
