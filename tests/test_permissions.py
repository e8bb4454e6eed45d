"""Every action, tried by the wrong people: wrong role, another department, another member.

Each must get 403 (or 404) and leave the database exactly as it was; then the right person
succeeds, so no test here passes by accident.
"""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import (
    Assignment,
    ContactRecord,
    Draft,
    DraftFile,
    Event,
    Feedback,
    FollowUpProgress,
    Notification,
    Reply,
    ReplyVersion,
    Submission,
)
from replyflow.services import assignments as assignment_service
from replyflow.services import feedback as feedback_service
from replyflow.services import submissions as submission_service

from .factories import make_case

REPLY_FORM = {"answer_class": "A", "disclosure": "public", "doc_number": "常人才办〔2025〕50号", "title": "标题",
              "salutation": "曹留俊委员：", "body": "正文", "signer_name": "吴寅", "handler_name": "罗杨",
              "phone": "1", "cc": "", "issuing_organ": "人才办", "issue_date": "", "send": "0"}


def snapshot():
    db.session.expire_all()
    return (
        [(s.id, s.state, s.title, s.merged_into_id) for s in db.session.scalars(select(Submission).order_by(Submission.id))],
        [(a.id, a.state, a.due_on, a.department_id, a.round, a.follow_up, a.follow_up_last_on) for a in
         db.session.scalars(select(Assignment).order_by(Assignment.id))],
        *[db.session.scalar(select(func.count()).select_from(m)) for m in
          (Event, Reply, ReplyVersion, Feedback, Notification, ContactRecord, DraftFile, FollowUpProgress)],
        [(d.id, d.state, d.title, d.version, [(i.member_id, i.state) for i in d.invitations])
         for d in db.session.scalars(select(Draft).order_by(Draft.id))],
    )


def lead(s):
    return next(a for a in s.assignments if a.role == "lead")


def co(s):
    return next(a for a in s.assignments if a.role == "co")


def under_follow_up_closed(w):
    """A B answer rated: the case is closed, its matter under 跟踪落实."""
    s = make_case(w, "delivered", answer_class="B")
    feedback_service.give_feedback(w.member_user, lead(s), "satisfied", "satisfied", contacted=False)
    return s


def returned(w):
    s = make_case(w)
    submission_service.return_for_revision(w.clerk, s, "请修改")
    return s


def adjustment(w):
    s = make_case(w, "assigned")
    assignment_service.request_adjustment(w.handler, lead(s), "不是本单位职能")
    return s


def extension_requested(w):
    from replyflow import clock
    from replyflow.services import deadlines as deadline_service
    with clock.frozen(date(2025, 3, 18)):
        s = make_case(w, "acknowledged")
        deadline_service.request_extension(w.handler, lead(s), date(2025, 7, 18), "需要调研")
    return s


def reviewed_signed(w):
    w.cppcc.review_replies = True
    return make_case(w, "signed")


def reviewed_approved(w):
    from replyflow.services import replies as reply_service
    s = reviewed_signed(w)
    reply_service.pass_review(w.clerk, lead(s))
    return s


def co_acknowledged(w):
    s = make_case(w, "acknowledged", mode="co")
    assignment_service.acknowledge(w.co_handler, co(s))
    return s


def withdrawal_requested(w):
    from replyflow.services import withdrawal
    s = make_case(w, "assigned")
    withdrawal.request_withdrawal(w.member_user, s, "情况已变化")
    return s


# (label, setup, url, form data, the right user, wrong users)
def key_case(w):
    return make_case(w, "assigned", is_key=True)


ACTIONS = [
    ("立案", lambda w: make_case(w), lambda s: f"/submissions/{s.id}/accept", {}, "clerk_zx",
     ["clerk_rd", "luoyang", "wuyin", "caoliujun", "shenyaqin", "admin"]),
    ("不立案", lambda w: make_case(w), lambda s: f"/submissions/{s.id}/reject", {"ground_id": "1"}, "clerk_zx",
     ["clerk_rd", "luoyang", "caoliujun", "admin"]),
    ("退回修改", lambda w: make_case(w), lambda s: f"/submissions/{s.id}/return", {"comment": "改"}, "clerk_zx",
     ["clerk_rd", "wuyin", "caoliujun"]),
    ("并案", lambda w: make_case(w, number=300) and make_case(w), lambda s: f"/submissions/{s.id}/merge",
     {"host_number": "300"}, "clerk_zx", ["clerk_rd", "luoyang", "caoliujun"]),
    ("转为意见", lambda w: make_case(w), lambda s: f"/submissions/{s.id}/convert", {}, "clerk_zx",
     ["clerk_rd", "zhanglei", "caoliujun"]),
    ("修改登记", lambda w: make_case(w), lambda s: f"/submissions/{s.id}/edit",
     {"sitting_id": "1", "kind": "proposal", "number": "299", "title": "改", "content": "改", "category_id": "1",
      "lead_name": "曹留俊", "cosigner_names": "", "submitted_on": "2025-01-10", "disclosure_wish": "public"},
     "clerk_zx", ["clerk_rd", "luoyang", "caoliujun"]),
    ("重新提交", returned, lambda s: f"/submissions/{s.id}/resubmit", {"title": "新", "content": "新"}, "caoliujun",
     ["fengjianguo", "shenyaqin", "luoyang", "chenshuyu"]),
    ("交办", lambda w: make_case(w, "accepted"), lambda s: f"/submissions/{s.id}/assign",
     {"mode": "lead", "lead_id": "1"}, "clerk_zx", ["clerk_rd", "luoyang", "wuyin", "caoliujun", "admin"]),
    ("重点督办", lambda w: make_case(w, "assigned"), lambda s: f"/submissions/{s.id}/supervision",
     {"is_key": "yes", "supervisor": "市政协副主席 张三", "supervising_office": "市政府办公室"}, "clerk_zx",
     ["clerk_rd", "luoyang", "wuyin", "caoliujun", "admin"]),
    ("督办记录", key_case, lambda s: f"/submissions/{s.id}/supervision/records",
     {"kind": "visit", "held_on": "2025-01-20", "summary": "张三副主席到现场调研。"}, "clerk_zx",
     ["clerk_rd", "luoyang", "wuyin", "caoliujun", "admin"]),
    ("签收", lambda w: make_case(w, "assigned"), lambda s: f"/assignments/{lead(s).id}/acknowledge", {}, "luoyang",
     ["zhanglei", "wuyin", "clerk_zx", "caoliujun", "guxiaoyan"]),
    ("申请调整", lambda w: make_case(w, "assigned"), lambda s: f"/assignments/{lead(s).id}/adjustment",
     {"comment": "理由"}, "luoyang", ["zhanglei", "wuyin", "clerk_zx", "caoliujun"]),
    ("同意调整", adjustment, lambda s: f"/assignments/{lead(s).id}/adjustment/grant", {"department_id": "3"},
     "clerk_zx", ["clerk_rd", "luoyang", "wuyin", "caoliujun"]),
    ("不同意调整", adjustment, lambda s: f"/assignments/{lead(s).id}/adjustment/refuse", {"comment": "否"},
     "clerk_zx", ["clerk_rd", "luoyang", "caoliujun"]),
    ("沟通记录", lambda w: make_case(w, "acknowledged"), lambda s: f"/assignments/{lead(s).id}/contacts",
     {"contact_on": "2025-01-20", "method": "phone", "summary": "通话"}, "luoyang",
     ["zhanglei", "wuyin", "clerk_zx", "caoliujun"]),
    ("会办意见", co_acknowledged, lambda s: f"/assignments/{co(s).id}/opinion", {"opinion": "意见"}, "zhanglei",
     ["luoyang", "wangfang", "liuwei", "clerk_zx", "caoliujun"]),
    ("起草答复件", lambda w: make_case(w, "acknowledged"), lambda s: f"/assignments/{lead(s).id}/reply",
     REPLY_FORM, "luoyang", ["zhanglei", "wuyin", "clerk_zx", "caoliujun", "guxiaoyan"]),
    ("送签", lambda w: make_case(w, "drafted"), lambda s: f"/assignments/{lead(s).id}/reply/submit", {}, "luoyang",
     ["wuyin", "zhanglei", "clerk_zx", "caoliujun"]),
    ("签发", lambda w: make_case(w, "awaiting_signoff"), lambda s: f"/assignments/{lead(s).id}/reply/sign", {},
     "wuyin", ["luoyang", "liuwei", "chenjun", "clerk_zx", "caoliujun"]),
    ("签发退回", lambda w: make_case(w, "awaiting_signoff"), lambda s: f"/assignments/{lead(s).id}/reply/return",
     {"comment": "改"}, "wuyin", ["luoyang", "liuwei", "clerk_zx", "caoliujun"]),
    ("答复", lambda w: make_case(w, "signed"), lambda s: f"/assignments/{lead(s).id}/reply/deliver", {}, "luoyang",
     ["zhanglei", "liuwei", "clerk_zx", "caoliujun"]),
    ("评价", lambda w: make_case(w, "delivered"), lambda s: f"/assignments/{lead(s).id}/feedback",
     {"handling_rating": "satisfied", "result_rating": "satisfied", "contacted": "no"}, "caoliujun",
     ["fengjianguo", "shenyaqin", "chenshuyu", "luoyang", "clerk_rd", "wuyin"]),
    ("重新办理", lambda w: make_case(w, "dissatisfied"), lambda s: f"/assignments/{lead(s).id}/rehandle", {},
     "clerk_zx", ["clerk_rd", "luoyang", "wuyin", "caoliujun"]),
    ("办结", lambda w: make_case(w, "dissatisfied"), lambda s: f"/assignments/{lead(s).id}/close",
     {"comment": "已沟通"}, "clerk_zx", ["clerk_rd", "luoyang", "caoliujun"]),
    ("催办", lambda w: make_case(w, "assigned"), lambda s: f"/assignments/{lead(s).id}/urge", {"comment": "请抓紧"},
     "clerk_zx", ["clerk_rd", "luoyang", "wuyin", "caoliujun"]),
    ("申请延期", lambda w: make_case(w, "acknowledged"), lambda s: f"/assignments/{lead(s).id}/extension",
     {"requested_due_on": (clock.today() + timedelta(days=120)).isoformat(), "comment": "调研"}, "luoyang",
     ["zhanglei", "wuyin", "clerk_zx", "caoliujun"]),
    ("同意延期", extension_requested, lambda s: f"/assignments/{lead(s).id}/extension/grant", {"due_on": ""},
     "clerk_zx", ["clerk_rd", "luoyang", "wuyin", "caoliujun"]),
    ("不同意延期", extension_requested, lambda s: f"/assignments/{lead(s).id}/extension/refuse", {"comment": "否"},
     "clerk_zx", ["clerk_rd", "luoyang", "caoliujun"]),
    ("免交会办意见", lambda w: make_case(w, "assigned", mode="co"), lambda s: f"/assignments/{co(s).id}/opinion/waive",
     {"comment": "会办单位书面说明无补充意见"}, "clerk_zx", ["clerk_rd", "luoyang", "zhanglei", "liuwei", "caoliujun"]),
    ("调整办理期限", lambda w: make_case(w, "assigned"), lambda s: f"/assignments/{lead(s).id}/due",
     {"due_on": (clock.today() + timedelta(days=200)).isoformat(), "comment": "协调会决定"}, "clerk_zx",
     ["clerk_rd", "luoyang", "wuyin", "caoliujun"]),
    ("答复审核通过", reviewed_signed, lambda s: f"/assignments/{lead(s).id}/review/pass", {"comment": ""}, "clerk_zx",
     ["clerk_rd", "luoyang", "wuyin", "caoliujun", "admin"]),
    ("退回重办", reviewed_signed, lambda s: f"/assignments/{lead(s).id}/review/return", {"comment": "未与委员沟通"},
     "clerk_zx", ["clerk_rd", "luoyang", "wuyin", "caoliujun"]),
    ("答复（须审核）", reviewed_approved, lambda s: f"/assignments/{lead(s).id}/reply/deliver", {}, "luoyang",
     ["clerk_zx", "zhanglei", "caoliujun"]),
    ("联名人意见", lambda w: make_case(w, "delivered"), lambda s: f"/assignments/{lead(s).id}/cosigner-opinion",
     {"opinion": "希望明确时限"}, "fengjianguo", ["caoliujun", "shenyaqin", "luoyang", "clerk_zx", "chenshuyu"]),
    ("申请撤回", lambda w: make_case(w, "assigned"), lambda s: f"/submissions/{s.id}/withdrawal",
     {"comment": "情况已变化"}, "caoliujun", ["fengjianguo", "shenyaqin", "luoyang", "clerk_zx", "chenshuyu"]),
    ("同意撤回", withdrawal_requested, lambda s: f"/submissions/{s.id}/withdrawal/confirm", {}, "clerk_zx",
     ["clerk_rd", "luoyang", "wuyin", "caoliujun", "admin"]),
    ("不同意撤回", withdrawal_requested, lambda s: f"/submissions/{s.id}/withdrawal/refuse", {"comment": "否"},
     "clerk_zx", ["clerk_rd", "luoyang", "caoliujun"]),
    ("落实进展", lambda w: make_case(w, "delivered", answer_class="B"),
     lambda s: f"/assignments/{lead(s).id}/follow-up/progress", {"text": "实施细则已起草。"}, "luoyang",
     ["wuyin", "zhanglei", "guxiaoyan", "clerk_zx", "caoliujun", "shenyaqin"]),
    ("二次答复", under_follow_up_closed, lambda s: f"/assignments/{lead(s).id}/follow-up/second-answer", {},
     "luoyang", ["wuyin", "zhanglei", "guxiaoyan", "clerk_zx", "caoliujun"]),
    ("录入纸质征询意见表", lambda w: make_case(w, "delivered"), lambda s: f"/assignments/{lead(s).id}/feedback",
     {"handling_rating": "satisfied", "result_rating": "basically_satisfied", "contacted": "no"}, "clerk_zx",
     ["clerk_rd", "luoyang", "wuyin", "shenyaqin"]),
]


@pytest.mark.parametrize("label,setup,url,data,right,wrong", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_only_the_right_person_may_act(world, browser, label, setup, url, data, right, wrong):
    s = setup(world)
    db.session.commit()
    target = url(s)
    before = snapshot()
    for username in wrong:
        response = browser(username).post(target, data)
        assert response.status_code in (403, 404), (label, username, response.status_code)
        assert snapshot() == before, (label, username)
    response = browser(right).post(target, data)
    assert response.status_code == 302, (label, right, response.status_code)
    after = snapshot()
    assert after != before, (label, "the right user changed nothing")
    # one action, one timeline entry (并案 writes one on each of the two cases)
    assert after[2] - before[2] == (2 if label == "并案" else 1), (label, after[2] - before[2])


def test_reading_a_case_is_limited_to_those_involved(world, browser):
    s = make_case(world, "drafted", mode="co")
    db.session.commit()
    url = f"/submissions/{s.id}"
    for username in ("clerk_zx", "luoyang", "wuyin", "zhanglei", "caoliujun", "fengjianguo"):
        assert browser(username).client.get(url).status_code == 200, username
    # 三员分立: the system administrator manages accounts and settings, not cases
    assert browser("admin").client.get(url).status_code == 403
    assert "第0294号" not in browser("admin").page("/submissions")
    assert browser("shenyaqin").client.get(url).status_code == 404   # another member
    assert browser("chenshuyu").client.get(url).status_code == 404   # a deputy
    assert browser("guxiaoyan").client.get(url).status_code == 403   # a department not involved
    assert browser("clerk_rd").client.get(url).status_code == 403    # the other body's clerk
    for username in ("shenyaqin", "guxiaoyan", "clerk_rd"):
        assert "第0294号" not in browser(username).page("/submissions"), username


def test_drafts_are_not_for_the_proposer(world, browser):
    s = make_case(world, "drafted")
    db.session.commit()
    reply = lead(s).current_reply
    assert browser("luoyang").client.get(f"/replies/{reply.id}/download").status_code == 200
    assert browser("caoliujun").client.get(f"/replies/{reply.id}").status_code == 404
    assert browser("caoliujun").client.get(f"/replies/{reply.id}/download").status_code == 404
    assert browser("guxiaoyan").client.get(f"/replies/{reply.id}").status_code == 403
    assert f"/replies/{reply.id}" not in browser("caoliujun").page(f"/submissions/{s.id}")


def test_attachments_follow_the_case(world, browser, ctx):
    from replyflow.models import Attachment
    s = make_case(world)
    s.attachments.append(Attachment(filename="a.pdf", content_type="application/pdf", size=5, data=b"%PDF-"))
    db.session.commit()
    url = f"/attachments/{s.attachments[0].id}"
    assert browser("caoliujun").client.get(url).status_code == 200
    assert browser("shenyaqin").client.get(url).status_code == 403
    assert browser("clerk_rd").client.get(url).status_code == 403


@pytest.mark.parametrize("url", ["/admin", "/admin/users", "/admin/users/new", "/admin/departments",
                                 "/admin/sittings", "/admin/members", "/admin/lists", "/admin/mail",
                                 "/admin/templates/check", "/admin/templates/base.docx"])
def test_administration_is_for_admins(world, browser, url):
    for username in ("clerk_zx", "luoyang", "wuyin", "caoliujun"):
        assert browser(username).client.get(url).status_code == 403, username
    assert browser("admin").client.get(url).status_code == 200


def test_registration_is_for_clerks(world, browser):
    for username in ("luoyang", "wuyin", "caoliujun", "admin"):
        assert browser(username).client.get("/submissions/new").status_code == 403
    assert browser("clerk_zx").client.get("/submissions/new").status_code == 200


def test_anonymous_users_are_sent_to_login(app, world):
    client = app.test_client()
    for url in ("/", "/submissions", "/submissions/1", "/notifications", "/admin"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
