"""网上提交 over HTTP: a member drafts, invites co-signers who confirm or decline, submits in the sitting's window;
the clerk finds it in 待立案 marked 网上提交; 撤回 asked by the lead and decided by the clerk."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from replyflow.clock import today
from replyflow.extensions import db
from replyflow.models import Draft, DraftInvitation, Notification, OutboxMessage, Submission

from .conftest import flashes
from .factories import make_case, make_member, make_user


@pytest.fixture
def window(world):
    """The CPPCC sitting takes online submissions from five days ago to five days on."""
    world.cppcc.submission_opens_on = today() - timedelta(days=5)
    world.cppcc.submission_closes_on = today() + timedelta(days=5)
    world.namesake = make_member("cppcc", "冯建国")     # a namesake without an account: cannot confirm in the app
    world.namesake.unit = "常州工学院"
    db.session.commit()
    return world.cppcc


def said(html) -> str:
    return " ".join(flashes(html))


DRAFT = {"title": "关于加快老旧小区加装电梯的提案", "content": "一、问题\n加装电梯审批慢。\n二、建议\n简化审批。",
         "period": "session", "disclosure_wish": "public", "suggested_departments": "市住建局"}


def _draft(world, lead="caoliujun", browser=None, **changes):
    me = browser(lead)
    form = {**DRAFT, "category_id": str(world.categories["城建"].id), **changes}
    response = me.post(f"/online/new?sitting={world.cppcc.id}", form)
    assert response.status_code == 302, said(response.text)
    return me, db.session.scalars(select(Draft).order_by(Draft.id.desc())).first()


def _counts():
    db.session.expire_all()
    return [db.session.scalar(select(func.count()).select_from(m)) for m in (Draft, DraftInvitation, Submission)]


def test_outside_the_window_nothing_is_saved(world, browser, window):
    window.submission_closes_on = today() - timedelta(days=1)
    db.session.commit()
    me = browser("caoliujun")
    before = _counts()
    response = me.post(f"/online/new?sitting={world.cppcc.id}", {**DRAFT, "category_id": "0"})
    assert response.status_code == 302
    assert "网上提交已截止" in said(me.client.get(response.headers["Location"]).text)
    assert _counts() == before
    # a draft made in the window cannot be saved, extended or submitted once it closed
    window.submission_closes_on = today() + timedelta(days=1)
    db.session.commit()
    me, draft = _draft(world, browser=browser)
    window.submission_closes_on = today() - timedelta(days=1)
    db.session.commit()
    before = _counts()
    for path, data in ((f"/online/drafts/{draft.id}", {**DRAFT, "title": "改过的标题", "version": "1"}),
                       (f"/online/drafts/{draft.id}/invite", {"member_id": str(world.cosigner.id)}),
                       (f"/online/drafts/{draft.id}/submit", {})):
        response = me.post(path, data)
        page = me.client.get(response.headers["Location"]) if response.status_code == 302 else response
        assert "网上提交已截止" in page.text, path
    assert _counts() == before
    db.session.expire_all()
    assert db.session.get(Draft, draft.id).title == DRAFT["title"]


def test_a_sitting_never_opened_says_so(world, browser):
    response = browser("caoliujun").client.get(f"/online/new?sitting={world.cppcc.id}", follow_redirects=True)
    assert "未开放网上提交" in response.text


def test_two_invited_one_confirms_one_declines_and_the_clerk_gets_it(world, browser, window):
    me, draft = _draft(world, browser=browser)
    found = me.get(f"/online/drafts/{draft.id}?find=冯建国").text
    assert "常州工学院" in found and "未开通账号" in found       # namesakes told apart; one cannot be invited
    me.post(f"/online/drafts/{draft.id}/invite", {"member_id": str(world.cosigner.id)}, expect=302)
    me.post(f"/online/drafts/{draft.id}/invite", {"member_id": str(world.other_member_user.member.id)}, expect=302)
    refused = me.post(f"/online/drafts/{draft.id}/invite", {"member_id": str(world.namesake.id)})
    assert "尚未开通账号" in said(me.client.get(refused.headers["Location"]).text)
    # each invitee is told, and reads the draft
    told = db.session.scalars(select(Notification).where(Notification.draft_id == draft.id)).all()
    assert {n.user_id for n in told} == {world.cosigner_user.id, world.other_member_user.id}
    yes, no = browser("fengjianguo"), browser("shenyaqin")
    assert "加装电梯审批慢" in yes.get(f"/online/drafts/{draft.id}").text
    yes.post(f"/online/drafts/{draft.id}/answer", {"answer": "confirm"}, expect=302)
    no.post(f"/online/drafts/{draft.id}/answer", {"answer": "decline"}, expect=302)
    page = me.get(f"/online/drafts/{draft.id}").text
    assert "已同意联名" in page and "已谢绝" in page
    response = me.post(f"/online/drafts/{draft.id}/submit", {})
    assert response.status_code == 302 and "/submissions/" in response.headers["Location"]
    db.session.expire_all()
    case = db.session.scalars(select(Submission).order_by(Submission.id.desc())).first()
    assert case.online and case.state == "registered" and case.registered_by_id == world.member_user.id
    assert [m.name for m in case.members] == ["曹留俊", "冯建国"] and case.submitted_on == today()
    assert case.number == "0001"                   # the sitting's rule: numbered at registration
    assert db.session.get(Draft, draft.id).state == "submitted"
    # the clerk finds it in 待立案 with its mark, and 立案s it
    clerk = browser("clerk_zx")
    listed = clerk.get("/submissions?state=registered").text
    assert "关于加快老旧小区加装电梯的提案" in listed and "网上提交" in listed
    clerk.post(f"/submissions/{case.id}/accept", {}, expect=302)
    db.session.expire_all()
    assert db.session.get(Submission, case.id).state == "accepted"
    # the one who agreed sees the case; the one who declined does not
    assert yes.client.get(f"/submissions/{case.id}").status_code == 200
    assert no.client.get(f"/submissions/{case.id}").status_code == 404
    # the draft can no longer change
    after = me.post(f"/online/drafts/{draft.id}", {**DRAFT, "title": "再改", "version": "1"})
    assert after.headers["Location"].endswith(f"/submissions/{case.id}")
    assert "草稿不能再修改" in said(me.client.get(after.headers["Location"]).text)
    db.session.expire_all()
    assert db.session.get(Submission, case.id).title == DRAFT["title"]


def test_a_cosigner_cannot_edit_invite_or_submit_and_others_see_nothing(world, browser, window):
    me, draft = _draft(world, browser=browser)
    me.post(f"/online/drafts/{draft.id}/invite", {"member_id": str(world.cosigner.id)}, expect=302)
    cosigner = browser("fengjianguo")
    assert "<textarea" not in cosigner.get(f"/online/drafts/{draft.id}").text
    before = _counts()
    for path in (f"/online/drafts/{draft.id}", f"/online/drafts/{draft.id}/invite", f"/online/drafts/{draft.id}/submit",
                 f"/online/drafts/{draft.id}/delete"):
        assert cosigner.post(path, {**DRAFT, "title": "联名人改的", "member_id": str(world.other_member_user.member.id)}
                             ).status_code == 403, path
    assert _counts() == before
    db.session.expire_all()
    assert db.session.get(Draft, draft.id).title == DRAFT["title"]
    # another member, a clerk and a department: nothing is there
    for outsider in ("shenyaqin", "clerk_zx", "luoyang"):
        status = browser(outsider).client.get(f"/online/drafts/{draft.id}").status_code
        assert status in (403, 404), outsider
    assert browser("shenyaqin").post(f"/online/drafts/{draft.id}/answer", {"answer": "confirm"}).status_code == 404


def test_changing_the_text_asks_those_who_agreed_again(world, browser, window):
    me, draft = _draft(world, browser=browser)
    me.post(f"/online/drafts/{draft.id}/invite", {"member_id": str(world.cosigner.id)}, expect=302)
    browser("fengjianguo").post(f"/online/drafts/{draft.id}/answer", {"answer": "confirm"}, expect=302)
    db.session.expire_all()
    version = str(db.session.get(Draft, draft.id).version)
    response = me.post(f"/online/drafts/{draft.id}", {**DRAFT, "content": "新的正文。", "category_id": "0",
                                                      "version": version})
    assert "已请冯建国重新确认联名" in said(me.client.get(response.headers["Location"]).text)
    db.session.expire_all()
    assert db.session.get(Draft, draft.id).invitations[0].state == "invited"
    # a save from a page opened before that one is refused and changes nothing
    stale = me.post(f"/online/drafts/{draft.id}", {**DRAFT, "content": "旧窗口里的正文。", "category_id": "0",
                                                   "version": version})
    assert "已在别处" in said(stale.text)
    db.session.expire_all()
    assert db.session.get(Draft, draft.id).content == "新的正文。"


def test_submitting_needs_text_and_category(world, browser, window):
    me, draft = _draft(world, browser=browser, content="", category_id="0")
    response = me.post(f"/online/drafts/{draft.id}/submit", {})
    assert "提交前请填写：正文、类别" in said(me.client.get(response.headers["Location"]).text)
    assert _counts()[2] == 0


def test_a_group_account_submits_a_collective_proposal(world, browser, window):
    # the admin links the group's record to its account (管理 → 委员/代表 → 登录账号)
    user = make_user("minmeng", ["member"], "民盟常州市委", body="cppcc")
    db.session.delete(user.member)
    db.session.flush()
    world.group.user = user
    db.session.commit()
    me, draft = _draft(world, lead="minmeng", browser=browser)
    assert 'id="cosigners"' not in me.get(f"/online/drafts/{draft.id}").text
    refused = me.post(f"/online/drafts/{draft.id}/invite", {"member_id": str(world.cosigner.id)})
    assert "集体名义" in said(me.client.get(refused.headers["Location"]).text)
    me.post(f"/online/drafts/{draft.id}/submit", {}, expect=302)
    db.session.expire_all()
    case = db.session.scalars(select(Submission)).one()
    assert case.is_collective and case.proposers_label == "民盟常州市委"


def test_invitations_go_by_email_with_a_link(world, browser, window, smtp):
    me, draft = _draft(world, browser=browser)
    me.post(f"/online/drafts/{draft.id}/invite", {"member_id": str(world.cosigner.id)}, expect=302)
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == world.cosigner_user.id)).one()
    assert "【联名邀请】曹留俊" in mail.subject and f"/online/drafts/{draft.id}" in mail.body


def test_withdrawal_end_to_end(world, browser):
    case = make_case(world, "acknowledged")
    db.session.commit()
    lead = browser("caoliujun")
    assert "申请撤回" in lead.get(f"/submissions/{case.id}").text
    assert browser("fengjianguo").post(f"/submissions/{case.id}/withdrawal", {"comment": "x"}).status_code == 403
    lead.post(f"/submissions/{case.id}/withdrawal", {"comment": "情况已变化，提案内容已不适用。"}, expect=302)
    db.session.expire_all()
    assert db.session.get(Submission, case.id).withdrawal_pending
    clerk = browser("clerk_zx")
    assert "情况已变化" in clerk.get(f"/submissions/{case.id}").text
    clerk.post(f"/submissions/{case.id}/withdrawal/confirm", {}, expect=302)
    db.session.expire_all()
    case = db.session.get(Submission, case.id)
    assert case.state == "withdrawn" and {a.state for a in case.assignments} == {"withdrawn"}
    assert case.next_due_on is None
    told = db.session.scalars(select(Notification).where(Notification.user_id == world.handler.id,
                                                         Notification.message.contains("已由提出人撤回"))).all()
    assert told
    assert "已撤回" in clerk.get("/submissions").text                     # it stays in the list
    assert "本件已撤回" in lead.get(f"/submissions/{case.id}").text


def test_withdrawal_refused_and_not_after_the_answer(world, browser):
    case = make_case(world, "accepted")
    answered = make_case(world, "delivered", number=295)
    db.session.commit()
    lead = browser("caoliujun")
    lead.post(f"/submissions/{case.id}/withdrawal", {"comment": "想撤回"}, expect=302)
    browser("clerk_zx").post(f"/submissions/{case.id}/withdrawal/refuse", {"comment": "已交办准备中"}, expect=302)
    db.session.expire_all()
    assert db.session.get(Submission, case.id).state == "accepted" and not db.session.get(Submission, case.id).withdrawal_pending
    assert "申请撤回" not in lead.get(f"/submissions/{answered.id}").text
    before = db.session.get(Submission, answered.id).state
    lead.post(f"/submissions/{answered.id}/withdrawal", {"comment": "想撤回"})
    db.session.expire_all()
    answered = db.session.get(Submission, answered.id)
    assert answered.state == before and not answered.withdrawal_pending


def test_the_admin_sees_each_sittings_window(window, world, browser):
    page = browser("admin").page("/admin/sittings")
    row = next(r for r in page.split("<tr>") if world.cppcc.name in r)
    assert "开放中" in row and f"{today().year}年" in row
    other = next(r for r in page.split("<tr>") if world.npc.name in r)
    assert "未开放" in other and "开放中" not in other
