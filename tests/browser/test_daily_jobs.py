"""Each role's daily job, typed and clicked in Chromium as a person does, at an office screen (1366×768)
and, for members, on a phone (390×844 with touch)."""
from datetime import timedelta

from sqlalchemy import select

from replyflow.clock import cn_date, today
from replyflow.extensions import db
from replyflow.models import Department, User

from ..factories import make_case


def test_admin_creates_an_account_and_a_department_and_the_security_admin_grants_it(world, person):
    admin = person("admin")
    admin.check("系统管理")
    admin.go("/admin/users/new")
    admin.page.get_by_label("用户名", exact=True).fill("zhaoqiang")
    admin.page.get_by_label("姓名", exact=True).fill("赵强")
    admin.page.get_by_label("电子邮箱", exact=True).fill("zhaoqiang@example.com")
    admin.page.get_by_label("密码", exact=True).fill("Start-2026-zq")
    admin.check("新建账号")
    admin.click("保存")
    assert "请安全管理员" in admin.flash()
    admin.check("账号列表")
    admin.go("/admin/departments/new")
    admin.page.get_by_label("单位名称", exact=True).fill("常州市民政局")
    admin.page.get_by_label("发文字号前缀（如 常人才办）", exact=True).fill("常民")
    admin.page.get_by_label("发文机关标志（红头，如 中共常州市委人才工作领导小组办公室文件）", exact=True).fill(
        "常州市民政局文件")
    admin.check("新增承办单位")
    admin.click("保存")
    admin.check("承办单位列表")
    assert db.session.scalar(select(Department).where(Department.name == "常州市民政局")) is not None

    security = person("security")
    security.go("/roles?q=zhaoqiang")
    security.click("zhaoqiang", role="link")
    security.page.get_by_label("经办人", exact=True).check()
    security.page.get_by_label("所属单位（经办人、签发人）", exact=True).select_option(label="常州市民政局")
    security.check("授权")
    security.click("保存授权")
    security.check("授权管理")
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.username == "zhaoqiang"))
    assert user.roles == {"handler"} and user.department.name == "常州市民政局"


def test_clerk_registers_0294_accepts_it_and_assigns_a_lead_and_a_co_department(world, person):
    clerk = person("clerk_zx")
    clerk.check("工作台")
    clerk.go("/submissions/new")
    page = clerk.page
    page.get_by_label("会议届次", exact=True).select_option(label=world.cppcc.name)
    page.get_by_label("提案", exact=True).check()
    page.get_by_label("编号", exact=True).fill("0294")
    page.get_by_label("提交日期", exact=True).fill("2025-1-10")
    assert page.locator(".date-echo").inner_text() == "即 2025年1月10日（星期五）"
    page.get_by_label("标题", exact=True).fill("关于广纳海外高层次人才，赋能区域经济高质量发展的建议")
    page.get_by_label("正文", exact=True).fill("人才是第一资源。建议完善海外高层次人才引进政策，优化服务保障。")
    page.get_by_label("领衔人或集体提出者", exact=True).fill("曹留俊")
    page.get_by_label("联名人", exact=True).fill("冯建国、许振宇")
    page.get_by_label("类别", exact=True).select_option(label="经济")
    clerk.check("登记")
    clerk.click("保存")
    assert "提案第0294号" in page.inner_text("main")
    clerk.check("待立案的件")
    # one decision at a time: nothing open until a decision is chosen, then only its form
    assert page.locator("fieldset.decision form:visible").count() == 0
    review = clerk.choose("立案")
    assert review.locator("form:visible").count() == 1
    clerk.click("立案", navigates=False, within=review)
    said = clerk.confirm("确定立案")
    assert "不能撤回" in said
    assert "已立案" in clerk.flash()
    clerk.click("交办", role="link")
    page.get_by_label("主办单位", exact=True).select_option(label=world.talent.name)
    page.locator("#lead-mode").get_by_label(world.scitech.name, exact=True).check()
    due = today() + timedelta(days=90)
    page.get_by_label("办理期限", exact=True).fill(cn_date(due))
    clerk.check("交办")
    clerk.click("交办", navigates=False)
    assert "承办单位即收到通知" in clerk.confirm("确定交办")
    text = page.inner_text("main")
    assert "主办：" + world.talent.name in text and "会办：" + world.scitech.name in text
    clerk.check("已交办")


def _case(world, stage, **kw):
    s = make_case(world, stage, **kw)
    db.session.commit()
    return s


def test_the_co_handler_gives_its_opinion_and_the_lead_handler_talks_to_the_member_drafts_and_sends(world, person):
    s = _case(world, "assigned", mode="co")
    co = person("zhanglei")
    co.go(f"/submissions/{s.id}")
    co.check("会办单位收到的件")
    co.click("签收")
    assert "已签收" in co.flash()
    co.page.get_by_label("会办意见（提交给主办单位）", exact=True).fill("同意主办单位意见。建议在科技人才项目中统筹考虑。")
    co.check("会办意见")
    co.click("提交会办意见")
    assert "会办意见已提交" in co.flash()

    lead = person("luoyang")
    lead.go(f"/submissions/{s.id}")
    lead.check("主办单位收到的件")
    lead.click("签收")
    page = lead.page
    page.locator("main summary", has_text="添加沟通记录").click()
    contact = page.locator("main details[open]")
    contact.get_by_label("电话", exact=True).check()
    contact.get_by_label("沟通内容", exact=True).fill("电话联系曹留俊委员，介绍办理思路，委员表示认可。")
    lead.check("沟通记录")
    lead.click("添加沟通记录", within=contact)
    assert "沟通记录已保存" in lead.flash()
    lead.click("起草/修改答复件", role="link")
    page.get_by_label("答复类别", exact=True).select_option("A")
    page.get_by_label("不公开", exact=True).check()
    body = page.get_by_label("正文", exact=True)
    body.fill(body.input_value() + "\n一、基本情况\n我们高度重视，认真研究。\n二、下一步工作\n继续完善政策。")
    lead.check("起草答复件")
    lead.click("保存")
    assert "第1版" in page.inner_text("main")
    lead.click("保存并送签")
    assert "送签" in lead.flash()
    lead.check("已送签")
    db.session.expire_all()
    assert {a.role: a.state for a in s.assignments} == {"lead": "awaiting_signoff", "co": "opinion_submitted"}


def test_the_signer_returns_the_draft_once_with_a_comment_then_signs_it(world, person):
    from replyflow.services import replies as reply_service

    s = _case(world, "awaiting_signoff")
    signer = person("wuyin")
    signer.go(f"/submissions/{s.id}")
    signer.check("待签发")
    signer.choose("退回经办人修改")
    signer.page.get_by_label("退回意见", exact=True).fill("第二部分请写明时间表。")
    signer.click("退回经办人修改")
    assert "已退回经办人修改" in signer.flash()
    a = s.assignments[0]
    reply_service.submit_for_signoff(world.handler, a)   # the handler's part is the test above
    db.session.commit()
    signer.go(f"/submissions/{s.id}")
    signer.choose("签发")
    signer.check("再次送签")
    signer.click("签发", navigates=False)
    assert "不能再修改" in signer.confirm("确定签发")
    assert "已签发" in signer.flash()
    signer.check("已签发")
    handler = person("luoyang")
    handler.go(f"/submissions/{s.id}")
    handler.click("答复提出人", navigates=False)
    assert "不能撤回" in handler.confirm("确定答复提出人")
    assert "已答复提出人" in handler.flash()
    handler.check("已答复")


def test_the_member_on_a_phone_finds_the_case_reads_and_downloads_the_reply_and_is_not_satisfied(world, person, tmp_path):
    import docx

    s = _case(world, "delivered")
    number = s.assignments[0].current_reply.doc_number
    member = person("caoliujun", phone=True)
    member.check("工作台")
    page = member.page
    page.get_by_role("button", name="菜单").tap()
    with page.expect_navigation():
        page.get_by_role("link", name="我的提案").tap()
    member.check("我的提案")
    assert "已答复" in page.inner_text("main") and number in page.inner_text("main")
    member.click(s.title, role="link")
    member.check("办理情况")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="查看", exact=True).first.tap()
    assert number in page.inner_text("main")
    mark = page.locator(".reply-paper .rf-mark")
    style = mark.evaluate("el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]")
    assert style == ["rgb(238, 0, 0)", "rgba(0, 0, 0, 0)"], style   # red, and no highlight behind it
    assert mark.evaluate("el => el.offsetHeight < 2 * parseFloat(getComputedStyle(el).fontSize)"
                         " && el.scrollWidth <= el.clientWidth"), "the red mark breaks or overflows"
    member.check("答复件")
    page.go_back()
    with page.expect_download() as download:
        page.locator("main").get_by_role("link", name="Word", exact=True).first.tap()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    text = "\n".join(p.text for p in docx.Document(saved).paragraphs)
    assert number in text and s.title in text
    feedback = page.locator("main").locator("form", has=page.get_by_role("button", name="提交评价"))
    radios = feedback.get_by_label("不满意", exact=True)
    radios.nth(0).tap()
    radios.nth(1).tap()
    feedback.get_by_label("是", exact=True).tap()
    feedback.get_by_label("电话", exact=True).tap()
    feedback.get_by_label("意见和建议", exact=True).fill("答复没有具体时间表。")
    member.check("征询意见")
    member.click("提交评价", within=feedback, navigates=False)
    assert "不能修改" in member.confirm("确定提交评价")
    assert "评价已记录" in member.flash()
    member.check("已评价")
    db.session.expire_all()
    assert s.assignments[0].state == "dissatisfied"


def test_the_clerk_orders_rehandling_and_later_closes_the_case(world, person):
    from replyflow.services import feedback as feedback_service
    from replyflow.services import replies as reply_service

    s = _case(world, "dissatisfied")
    a = s.assignments[0]
    clerk = person("clerk_zx")
    clerk.go(f"/submissions/{s.id}")
    clerk.check("不满意的件")
    clerk.choose("重新办理")
    rehandle = clerk.page.locator("main [id^=order_rehandling]")
    rehandle.get_by_label("说明", exact=True).fill("请补充时间表后重新答复。")
    clerk.check("重新办理")
    clerk.click("重新办理")
    assert "重新办理" in clerk.flash()
    # the department answers again and the member is still not satisfied
    db.session.expire_all()
    assert a.state == "drafting" and a.round == 2
    data = reply_service.draft_defaults(world.handler, a)
    data.update(answer_class="B", body=data["body"] + "一、时间表\n2027年底前完成。", signer_name="吴寅",
                handler_name="罗杨", phone="15951228660")
    reply_service.save_draft(world.handler, a, data)
    reply_service.submit_for_signoff(world.handler, a)
    reply_service.sign_reply(world.signer, a)
    reply_service.deliver_reply(world.handler, a)
    feedback_service.give_feedback(world.member_user, a, "dissatisfied", "dissatisfied", "仍不满意")
    db.session.commit()
    clerk.go(f"/submissions/{s.id}")
    clerk.choose("办结")
    clerk.page.get_by_label("办结说明", exact=True).fill("已重新办理一次，作办结处理。")
    clerk.click("办结", navigates=False)
    assert "不再重新办理" in clerk.confirm("确定办结")
    assert "已办结" in clerk.flash()
    clerk.check("已办结")


def test_every_action_of_the_clerks_review_is_reachable_by_keyboard(world, person):
    s = _case(world, "registered")
    clerk = person("clerk_zx")
    clerk.go(f"/submissions/{s.id}")
    assert clerk.reachable_by_keyboard() == []
    clerk.page.keyboard.press("Shift+Tab")
    clerk.choose("不立案")
    assert clerk.reachable_by_keyboard() == []


def test_the_clerk_does_not_accept_a_case_and_says_why(world, person):
    s = _case(world, "registered", number=295)
    clerk = person("clerk_zx")
    clerk.go(f"/submissions/{s.id}")
    review = clerk.choose("不立案")
    ground = review.get_by_label("不立案理由", exact=True)
    clerk.click("不立案", navigates=False, within=review)      # no ground chosen: the page says so, in Chinese
    assert ground.evaluate("el => el.validationMessage") == "请选择此项。"
    assert not clerk.page.locator("#confirm-dialog").is_visible()
    ground.select_option(index=1)
    clerk.check("不立案")
    clerk.click("不立案", navigates=False, within=review)
    assert "提出人将看到不立案的理由" in clerk.confirm("确定不立案")
    assert "已作不立案处理" in clerk.flash()
    clerk.check("已不立案")


def test_overdue_is_written_out_not_only_coloured(world, person):
    s = _case(world, "acknowledged")
    s.assignments[0].due_on = today() - timedelta(days=5)
    db.session.commit()
    handler = person("luoyang")
    row = handler.page.locator("main .list-group-item", has_text=s.title).first
    assert "超期5天" in row.inner_text()
    handler.check("工作台")
