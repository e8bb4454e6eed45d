"""Members on their phones: 网上提交 with two invited co-signers, and a B answer's 跟踪落实 to its 二次答复."""
from datetime import timedelta

from sqlalchemy import select

from replyflow.clock import today
from replyflow.extensions import db
from replyflow.models import Submission
from replyflow.services import assignments as assignment_service
from replyflow.services import feedback as feedback_service
from replyflow.services import replies as reply_service

from ..factories import make_case


def _find_and_invite(member, name):
    page = member.page
    page.get_by_label("查找委员", exact=True).fill(name[0])
    member.click("查找")
    row = page.locator("main li").filter(has_text=name)
    with page.expect_navigation():
        row.get_by_role("button", name="邀请联名").tap()


def _answer(member, title, answer):
    member.go("/")
    page = member.page
    with page.expect_navigation():
        page.locator("#invitations").get_by_role("link").filter(has_text=title[:10]).tap()
    page.get_by_label(answer, exact=True).check()
    member.click("提交答复")


def _send(world, a, data):
    """The 人才办 saves this reply, sends it for sign-off, signs and delivers it (what the browser is not testing)."""
    reply_service.save_draft(world.handler, a, data)
    reply_service.submit_for_signoff(world.handler, a)
    reply_service.sign_reply(world.signer, a)
    reply_service.deliver_reply(world.handler, a)
    db.session.commit()


def test_a_member_submits_on_a_phone_with_one_cosigner_agreeing_and_one_declining(world, person):
    world.cppcc.submission_opens_on, world.cppcc.submission_closes_on = today() - timedelta(days=5), \
        today() + timedelta(days=20)
    db.session.commit()
    title = "关于推进社区嵌入式养老服务设施建设的提案"
    lead = person("caoliujun", phone=True)
    lead.go("/online/new")
    page = lead.page
    page.get_by_label("标题", exact=True).fill(title)
    page.get_by_label("正文（情况、问题和具体建议）", exact=True).fill("建议在老旧小区嵌入建设养老服务站点，统筹运营。")
    page.get_by_label("类别", exact=True).select_option(label="社会")
    lead.click("保存草稿")
    assert "草稿已保存" in lead.flash()
    _find_and_invite(lead, "冯建国")
    _find_and_invite(lead, "沈雅琴")
    lead.check("网上提交草稿")

    _answer(person("fengjianguo", phone=True), title, "同意联名")
    decliner = person("shenyaqin", phone=True)
    _answer(decliner, title, "谢绝联名")

    lead.go("/")
    with page.expect_navigation():
        page.locator("#drafts").get_by_role("link").filter(has_text=title[:10]).tap()
    text = page.inner_text("main")
    assert "已同意" in text and "已谢绝" in text
    lead.click("提交提案", navigates=False)
    assert "1 位已同意的联名人" in lead.confirm("确定")
    s = db.session.scalar(select(Submission).where(Submission.title == title))
    assert s.online and s.state == "registered"
    assert [p.member.name for p in s.proposers] == ["曹留俊", "冯建国"]

    # the clerk registers it (立案) from 待立案, where it is marked 网上提交
    clerk = person("clerk_zx")
    clerk.go("/submissions?state=registered")
    assert "网上提交" in clerk.page.locator("main").inner_text()
    clerk.click(title, role="link")
    review = clerk.choose("立案")
    clerk.click("立案", navigates=False, within=review)
    clerk.confirm("确定立案")
    assert "已立案" in clerk.flash()

    # answered later; the co-signer who agreed follows it and gives an opinion, the one who declined cannot
    db.session.expire_all()
    s = db.session.get(Submission, s.id)
    assignment_service.assign(world.clerk, s, mode="lead", lead=world.talent)
    a = s.assignments[0]
    assignment_service.acknowledge(world.handler, a)
    data = reply_service.draft_defaults(world.handler, a)
    data.update(answer_class="A", body=data["body"] + "一、基本情况\n已纳入年度计划。", signer_name="吴寅",
                handler_name="罗杨", phone="15951228660")
    _send(world, a, data)

    cosigner = person("fengjianguo", phone=True)
    cosigner.go("/mine")
    assert title in cosigner.page.inner_text("main") and "联名" in cosigner.page.inner_text("main")
    cosigner.click(title, role="link")
    cosigner.page.locator("summary").filter(has_text="提出联名人意见").tap()
    cosigner.page.get_by_label("您作为联名人对答复的意见", exact=True).fill("希望尽快落地，明确完成时限。")
    cosigner.click("提出联名人意见")
    assert "意见已提交" in cosigner.flash()
    cosigner.check("联名人意见")
    decliner.go("/mine")
    assert title not in decliner.page.inner_text("main")
    response = decliner.page.goto(f"{decliner.base}/submissions/{s.id}")
    assert response.status == 404
    decliner.problems.clear()   # the 404 was the point


def test_a_b_answer_is_followed_up_and_its_second_answer_rated_on_a_phone(world, person):
    s = make_case(world, "delivered", answer_class="B")
    feedback_service.give_feedback(world.member_user, s.assignments[0], "satisfied", "basically_satisfied",
                                   contacted=False)   # rated: the case is closed, its matter followed up
    db.session.commit()
    url = f"/submissions/{s.id}"
    handler = person("luoyang")
    handler.go(url)
    page = handler.page
    page.locator("summary").filter(has_text="记录落实进展").click()
    page.get_by_label("落实进展", exact=True).fill("专项资金已列入预算，正在制定实施细则。")
    handler.click("记录落实进展")
    assert "落实进展已记录" in handler.flash()
    handler.check("跟踪落实中")
    handler.go("/follow-ups")
    assert s.title in page.inner_text("main")
    handler.check("跟踪落实")
    handler.go(url)
    handler.click("问题已解决，起草二次答复", navigates=False)
    handler.confirm("确定")
    db.session.expire_all()
    a = db.session.get(Submission, s.id).assignments[0]
    assert a.current_reply.second_answer and a.state == "drafting"
    data = {**a.current_reply.snapshot(), "answer_class": "A", "issue_date": None,
            "body": a.current_reply.body + "实施细则已印发。"}
    _send(world, a, data)

    member = person("caoliujun", phone=True)
    member.go("/mine")
    assert "二次答复" in member.page.inner_text("main")
    member.check("我的提案")
    member.click(s.title, role="link")
    page = member.page
    feedback = page.locator("main").locator("form", has=page.get_by_role("button", name="提交评价"))
    radios = feedback.get_by_label("满意", exact=True)
    radios.nth(0).tap()
    radios.nth(1).tap()
    feedback.get_by_label("是", exact=True).tap()
    feedback.get_by_label("面商", exact=True).tap()
    member.click("提交评价", within=feedback, navigates=False)
    member.confirm("确定提交评价")
    assert "评价已记录" in member.flash()
    member.check("二次答复已评价")
    db.session.expire_all()
    a = db.session.get(Submission, s.id).assignments[0]
    assert a.state == "closed" and a.follow_up == "done" and a.current_reply.feedback.result_rating == "satisfied"
