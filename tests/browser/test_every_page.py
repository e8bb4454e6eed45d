"""Every page a role opens, at the office size and on a phone: no sideways scroll, no broken short label,
40 px taps on the phone, no serious axe-core violation, no console error (see conftest.Person.check), and
every control reached by the Tab key."""
from datetime import timedelta

import pytest

from replyflow.clock import today
from replyflow.extensions import db
from replyflow.online import service as online

from ..factories import make_case, make_user


@pytest.fixture
def places(world):
    drafted = make_case(world, "drafted", mode="co")
    delivered = make_case(world, "delivered", number=78)
    registered = make_case(world, "registered", number=12)
    followed = make_case(world, "delivered", number=79, answer_class="B")   # under 跟踪落实
    make_user("auditor", ["audit_admin"], "审计管理员")
    # 网上提交 open, and a draft of the member's with a co-signer invited
    world.cppcc.submission_opens_on, world.cppcc.submission_closes_on = today() - timedelta(days=3), today() + timedelta(days=9)
    draft = online.create_draft(world.member_user, world.cppcc, online.DraftData(
        "关于加快推进老旧小区加装电梯工作的提案", "一、问题\n审批慢。", None, "recess", "public"))
    online.invite(world.member_user, draft, world.cosigner.id)
    db.session.commit()
    return {"draft": draft, "drafted": drafted, "followed": followed, "delivered": delivered, "registered": registered,
            "assignment": drafted.assignments[0], "reply": delivered.assignments[0].current_reply,
            "draft_reply": drafted.assignments[0].current_reply,
            "sitting": world.cppcc, "department": world.talent, "member": world.member, "user": world.handler}


PAGES = {
    None: ["/login", "/public/replies", "/public/replies?q=人才", "/public/replies/{reply.id}"],
    "clerk_zx": ["/", "/submissions", "/submissions?state=registered&sort=due", "/submissions/new",
                 "/submissions/{registered.id}", "/submissions/{drafted.id}", "/submissions/{drafted.id}/edit",
                 "/submissions/{registered.id}/assign", "/sittings", "/sittings/{sitting.id}/deadlines",
                 "/notifications", "/account", "/imports", "/statistics", "/statistics?sitting={sitting.id}",
                 "/submissions?q=人才", "/follow-ups", "/follow-ups?stale=1", "/replies/{reply.id}/check"],
    "luoyang": ["/", "/submissions", "/submissions/{drafted.id}", "/assignments/{assignment.id}/reply",
                "/replies/{reply.id}", "/replies/{draft_reply.id}/check", "/notifications", "/account", "/follow-ups",
                "/submissions/{followed.id}"],
    "caoliujun": ["/", "/mine", "/submissions", "/submissions/{delivered.id}", "/replies/{reply.id}", "/notifications",
                  "/account", "/online/new", "/online/drafts/{draft.id}", "/online/drafts/{draft.id}?find=冯"],
    "admin": ["/admin", "/admin/users", "/admin/users/new", "/admin/users/{user.id}", "/admin/departments",
              "/admin/departments/{department.id}", "/admin/sittings", "/admin/sittings/{sitting.id}",
              "/admin/members", "/admin/members/{member.id}", "/admin/lists", "/admin/lists/categories/new",
              "/admin/templates/check", "/admin/mail"],
    "security": ["/roles", "/roles/{user.id}"],
    "auditor": ["/audit", "/audit?action=login"],
}


@pytest.mark.parametrize("username", list(PAGES), ids=lambda u: u or "anonymous")
def test_every_page_of_a_role_reads_well_at_both_sizes(world, person, places, username):
    visitor = person(username, phone=username == "caoliujun")
    for n, path in enumerate(PAGES[username]):
        visitor.go(path.format(**places))
        visitor.check(f"{n:02d}-" + path.strip("/").split("?")[0].replace("/", "-").replace("{", "").replace("}", "")[:40])
        assert visitor.reachable_by_keyboard() == [], f"{path}: not reached by Tab"
