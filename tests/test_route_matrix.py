"""Every route × every kind of user, read from the URL map: a new route without a row here fails.

GET: each user gets the designed status. POST: everyone not allowed gets 403/404 (anonymous: the login
page) and the database stays as it was; that the allowed user succeeds is in test_permissions.py."""
import pytest
from sqlalchemy import func, select

from replyflow.documents.pdf import soffice_path
from replyflow.extensions import db
from replyflow.models import (
    Attachment,
    Category,
    Department,
    Draft,
    DraftFile,
    DraftInvitation,
    Member,
    Notification,
    Sitting,
    User,
)

from .factories import make_case, make_user
from .test_permissions import snapshot

USERS = ["anon", "admin", "security", "auditor", "clerk_zx", "clerk_rd", "luoyang", "wuyin", "guxiaoyan", "qianjianhua",
         "caoliujun", "fengjianguo", "shenyaqin"]
STAFF = {"luoyang", "wuyin"}                     # handler and signer of the 主办 department
PROPOSERS = {"caoliujun", "fengjianguo"}         # the lead proposer and a co-signer
LOGGED_IN = set(USERS) - {"anon"}
OK, LOGIN, FORBIDDEN, HIDDEN = 200, "login", 403, 404


def everyone_logged_in(status=OK):
    return {u: status for u in LOGGED_IN}


def only(allowed: set, other=FORBIDDEN, **special):
    return {u: special.get(u, OK if u in allowed else other) for u in LOGGED_IN}


def case_readers(other_members=HIDDEN):
    """Those involved read the case; other departments and the other body's clerk are refused, other
    members are told nothing exists."""
    return only({"clerk_zx"} | STAFF | PROPOSERS, shenyaqin=other_members)


ADMIN = only({"admin"})
SECURITY = only({"security"})
AUDIT = only({"auditor"})
CLERKS_AND_ADMIN = only({"admin", "clerk_zx", "clerk_rd"})

#: endpoint -> (path builder, GET statuses by user, or "post" for POST-only routes: who may post)
ROUTES = {
    "static": (lambda c: "/static/app.css", {**everyone_logged_in(), "anon": OK}),
    "health.healthz": (lambda c: "/healthz", {**everyone_logged_in(), "anon": OK}),
    "auth.login": (lambda c: "/login", {**everyone_logged_in(302), "anon": OK}),
    "auth.logout": (lambda c: "/logout", "post", LOGGED_IN),
    # the code page belongs to a login under way: without one, back to the login page (or the 工作台)
    "auth.second_factor": (lambda c: "/login/code", everyone_logged_in(302)),
    "auth.account": (lambda c: "/account", everyone_logged_in()),
    # the 三员 have no 工作台: it sends each to his own page
    "dashboard.index": (lambda c: "/", {**everyone_logged_in(), "admin": 302, "security": 302, "auditor": 302}),
    "notifications.index": (lambda c: "/notifications", everyone_logged_in()),
    "notifications.read_all": (lambda c: "/notifications/read-all", "post", LOGGED_IN),
    "notifications.open_": (lambda c: f"/notifications/{c['notification']}/open", "post", {"caoliujun"}),
    "submissions.index": (lambda c: "/submissions", everyone_logged_in()),
    "submissions.new": (lambda c: "/submissions/new", only({"clerk_zx", "clerk_rd"})),
    # the signed replies the user may see, zipped; with none, back to the list with a message
    "submissions.export_replies": (lambda c: "/submissions/replies.zip",
                                   only({"clerk_zx"} | STAFF | PROPOSERS, other=302)),
    # the list the user sees, as an .xlsx; a department sees only its cases (the other one's list is empty)
    "submissions.export_summary": (lambda c: "/submissions/summary.xlsx",
                                   only({"clerk_zx", "luoyang", "wuyin"}, clerk_rd=302, guxiaoyan=302,
                                        qianjianhua=302)),
    "submissions.detail": (lambda c: f"/submissions/{c['case']}", case_readers()),
    "submissions.attachment": (lambda c: f"/attachments/{c['attachment']}", case_readers(FORBIDDEN)),
    "submissions.edit": (lambda c: f"/submissions/{c['case']}/edit", "post", set()),
    "submissions.assign": (lambda c: f"/submissions/{c['case']}/assign", "post", set()),
    "submissions.resubmit": (lambda c: f"/submissions/{c['case']}/resubmit", "post", set()),
    "imports.index": (lambda c: "/imports", only({"clerk_zx", "clerk_rd"})),
    "imports.template_file": (lambda c: "/imports/template.xlsx", only({"clerk_zx", "clerk_rd"})),
    "imports.preview": (lambda c: "/imports/preview", "post", {"clerk_zx", "clerk_rd"}),
    "imports.commit": (lambda c: "/imports/commit", "post", {"clerk_zx", "clerk_rd"}),
    "batch.batch": (lambda c: "/submissions/batch", "post", {"clerk_zx", "clerk_rd"}),
    "statistics.index": (lambda c: "/statistics", only({"clerk_zx", "clerk_rd"})),
    "statistics.export": (lambda c: "/statistics.xlsx", only({"clerk_zx", "clerk_rd"})),
    # by sitting only: without one, back to the page with a message
    "statistics.report": (lambda c: "/statistics/report.docx", only(set(), clerk_zx=302, clerk_rd=302)),
    "sittings.index": (lambda c: "/sittings", CLERKS_AND_ADMIN),
    "sittings.deadlines": (lambda c: f"/sittings/{c['sitting']}/deadlines", only({"admin", "clerk_zx"})),
    "replies.edit": (lambda c: f"/assignments/{c['assignment']}/reply", "post", set()),
    "replies.import_docx": (lambda c: f"/assignments/{c['assignment']}/reply/import", "post", set()),
    "replies.show": (lambda c: f"/replies/{c['reply']}", case_readers()),
    "replies.download": (lambda c: f"/replies/{c['reply']}/download", case_readers()),
    "replies.pdf": (lambda c: f"/replies/{c['reply']}/pdf", case_readers()),
    # 版面检查: the offices' (members are told nothing is there)
    "replies.check": (lambda c: f"/replies/{c['reply']}/check",
                      only({"clerk_zx"} | STAFF, caoliujun=HIDDEN, fengjianguo=HIDDEN, shenyaqin=HIDDEN)),
    # 政务公开: the case's reply is 公开 and delivered, so anyone reads it (the others 404: test_public_replies)
    "public.replies": (lambda c: "/public/replies", {**everyone_logged_in(), "anon": OK}),
    "public.reply": (lambda c: f"/public/replies/{c['reply']}", {**everyone_logged_in(), "anon": OK}),
    "public.reply_text": (lambda c: f"/public/replies/{c['reply']}.txt", {**everyone_logged_in(), "anon": OK}),
    "public.reply_html": (lambda c: f"/public/replies/{c['reply']}.html", {**everyone_logged_in(), "anon": OK}),
    # 我的提案 / 我的建议: members' own page; 跟踪落实: the clerks' and the departments' lists
    "mine.index": (lambda c: "/mine", only(PROPOSERS | {"shenyaqin"})),
    "follow_up.index": (lambda c: "/follow-ups", only({"clerk_zx", "clerk_rd"} | STAFF | {"guxiaoyan", "qianjianhua"})),
    # 网上提交: the members' own; a draft is its lead's and its invitees' (test_online_submission), nobody else's
    "online.new": (lambda c: "/online/new", only(PROPOSERS | {"shenyaqin"})),
    "online.draft": (lambda c: f"/online/drafts/{c['draft']}", only({"caoliujun", "fengjianguo"}, shenyaqin=HIDDEN)),
    "online.file": (lambda c: f"/online/drafts/{c['draft']}/files/{c['draft_file']}",
                    only({"caoliujun", "fengjianguo"}, shenyaqin=HIDDEN)),
    "online.invite": (lambda c: f"/online/drafts/{c['draft']}/invite", "post", {"caoliujun"}),
    "online.uninvite": (lambda c: f"/online/drafts/{c['draft']}/invitations/{c['invitation']}/remove", "post",
                        {"caoliujun"}),
    "online.remove_file": (lambda c: f"/online/drafts/{c['draft']}/files/{c['draft_file']}/remove", "post",
                           {"caoliujun"}),
    "online.submit": (lambda c: f"/online/drafts/{c['draft']}/submit", "post", {"caoliujun"}),
    "online.delete": (lambda c: f"/online/drafts/{c['draft']}/delete", "post", {"caoliujun"}),
    "online.answer": (lambda c: f"/online/drafts/{c['draft']}/answer", "post", {"fengjianguo"}),
    "roles.index": (lambda c: "/roles", SECURITY),
    "roles.edit": (lambda c: f"/roles/{c['user']}", SECURITY),
    "audit.index": (lambda c: "/audit", AUDIT),
    "audit.export": (lambda c: "/audit/export.csv", AUDIT),
    "audit.verify": (lambda c: "/audit/verify", "post", {"auditor"}),
    "admin.retry_mail": (lambda c: "/admin/mail/1/retry", "post", {"admin"}),
    "admin.edit_list_item": (lambda c: "/admin/lists/categories/new", ADMIN),
    "admin.edit_department": (lambda c: f"/admin/departments/{c['department']}", ADMIN),
    "admin.edit_member": (lambda c: f"/admin/members/{c['member']}", ADMIN),
    "admin.edit_sitting": (lambda c: f"/admin/sittings/{c['sitting']}", ADMIN),
    "admin.edit_user": (lambda c: f"/admin/users/{c['user']}", ADMIN),
}
for _name, _path in (("index", ""), ("departments", "/departments"), ("lists", "/lists"), ("mail", "/mail"),
                     ("members", "/members"), ("sittings", "/sittings"), ("base_template", "/templates/base.docx"),
                     ("check_template", "/templates/check"), ("users", "/users"), ("new_user", "/users/new")):
    ROUTES[f"admin.{_name}"] = (lambda c, p=_path: f"/admin{p}", ADMIN)


#: pages with a form that posts back to them: whoever may not open one may not post it either
FORMS = {"online.draft", "online.new", "admin.check_template", "admin.edit_department", "admin.edit_list_item",
         "admin.edit_member",
         "admin.edit_sitting", "admin.edit_user", "admin.new_user", "roles.edit", "sittings.deadlines",
         "submissions.new"}


def _actions():
    """Workflow actions: their wrong users are tried in test_permissions.ACTIONS; here, every user not
    involved in the case (and anonymous) is refused on a delivered case."""
    from replyflow.actions.registry import ACTIONS
    from replyflow.workflow.states import ASSIGNMENT

    for spec in ACTIONS:
        if spec.path:
            prefix = "assignments" if spec.target == ASSIGNMENT else "submissions"
            key = "assignment" if spec.target == ASSIGNMENT else "case"
            ROUTES[f"actions.{spec.name}"] = (lambda c, p=spec.path, k=key, x=prefix: f"/{x}/{c[k]}/{p}",
                                              "post", None)


_actions()


def test_every_route_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - set(ROUTES)
    assert not missing, f"routes without a row in the matrix: {sorted(missing)}"
    assert not set(ROUTES) - endpoints, sorted(set(ROUTES) - endpoints)
    forms = {rule.endpoint for rule in app.url_map.iter_rules() if {"GET", "POST"} <= rule.methods
             and ROUTES[rule.endpoint][1] != "post" and not rule.endpoint.startswith("auth.")}
    assert forms == FORMS, forms ^ FORMS


@pytest.fixture
def case(world):
    make_user("auditor", ["audit_admin"], "审计员")
    s = make_case(world, "delivered")
    s.attachments.append(Attachment(filename="附件.pdf", content_type="application/pdf", size=5, data=b"%PDF-"))
    db.session.commit()
    a = s.assignments[0]
    notification = db.session.scalar(select(Notification).where(Notification.user_id == world.member_user.id))
    # a draft of the lead with a file, the co-signer invited to it
    draft = Draft(sitting=world.cppcc, lead=world.member, title="关于网上提交的草稿", content="正文")
    draft.files.append(DraftFile(filename="附件.pdf", content_type="application/pdf", size=5, data=b"%PDF-"))
    draft.invitations.append(DraftInvitation(member=world.cosigner, position=1))
    db.session.add(draft)
    db.session.commit()
    return {"draft": draft.id, "draft_file": draft.files[0].id, "invitation": draft.invitations[0].id,
            "case": s.id, "assignment": a.id, "reply": a.current_reply.id, "attachment": s.attachments[0].id,
            "sitting": s.sitting_id, "department": world.talent.id, "member": world.member.id,
            "user": world.handler.id, "notification": notification.id}


def pdf_available():
    return soffice_path() is not None


def _status(browser_, app, user, path):
    client = (browser_(user) if user != "anon" else browser_()).client
    response = client.get(path)
    if user == "anon" and response.status_code == 302 and "/login" in response.headers["Location"]:
        return LOGIN
    return response.status_code


GETS = sorted(e for e, row in ROUTES.items() if row[1] != "post")
POSTS = sorted(e for e, row in ROUTES.items() if row[1] == "post")


@pytest.mark.parametrize("endpoint", GETS)
def test_get_matrix(app, browser, case, endpoint):
    path, expected = ROUTES[endpoint][0](case), ROUTES[endpoint][1]
    expected = {"anon": LOGIN, **expected}
    if endpoint == "replies.pdf" and not pdf_available():
        expected = {u: HIDDEN if s == OK else s for u, s in expected.items()}   # no LibreOffice: no PDF link
    got = {user: _status(browser, app, user, path) for user in USERS}
    assert got == expected, {u: (got[u], expected[u]) for u in USERS if got[u] != expected[u]}


@pytest.mark.parametrize("endpoint", POSTS)
def test_post_matrix_refuses_and_changes_nothing(app, browser, case, endpoint):
    path = ROUTES[endpoint][0](case)
    allowed = ROUTES[endpoint][2]
    if allowed is None:   # a workflow action: nobody outside the case, whatever the state
        allowed = {"clerk_zx", "luoyang", "wuyin", "caoliujun", "fengjianguo"}
    if endpoint in ("auth.logout", "notifications.read_all", "notifications.open_", "audit.verify",
                    "admin.retry_mail") or endpoint.startswith("online."):
        refused = LOGGED_IN - allowed
    else:
        refused = LOGGED_IN - allowed - {"clerk_zx"} - STAFF - PROPOSERS
    before = snapshot()
    anon = browser().client.post(path, data={})
    assert anon.status_code in (302, 400) and (anon.status_code == 400 or "/login" in anon.headers["Location"])
    for user in sorted(refused):
        response = browser(user).post(path, {})
        assert response.status_code in (403, 404), (endpoint, user, response.status_code)
        assert snapshot() == before, (endpoint, user)


def accounts_and_settings():
    db.session.expire_all()
    return ([(u.username, sorted(u.roles), u.active, u.department_id, u.body, u.password_hash)
             for u in db.session.scalars(select(User).order_by(User.id))],
            *[db.session.scalar(select(func.count()).select_from(m)) for m in (Department, Sitting, Member, Category)])


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_form_matrix_refuses_the_post_of_whoever_may_not_open_the_form(app, browser, case, endpoint):
    path, expected = ROUTES[endpoint][0](case), ROUTES[endpoint][1]
    refused = sorted(u for u, status in expected.items() if status in (FORBIDDEN, HIDDEN))
    assert refused, "a form everyone may open belongs elsewhere"
    before = snapshot(), accounts_and_settings()
    for user in refused:
        response = browser(user).post(path, {"name": "改名", "username": "hacked", "roles": ["clerk"],
                                             "password": "Long-enough1", "active": "y"})
        assert response.status_code in (403, 404), (endpoint, user, response.status_code)
        assert (snapshot(), accounts_and_settings()) == before, (endpoint, user)
