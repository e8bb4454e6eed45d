"""Each role's daily job, typed and clicked in Chromium as a person does, at an office screen (1366×768)
and, for members, on a phone (390×844 with touch)."""
from datetime import timedelta

from sqlalchemy import select

from replyflow.clock import cn_date, today
from replyflow.extensions import db
from replyflow.models import Department, User


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
    security.page.locator("main").get_by_role("link", name="zhaoqiang").click()
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
    review.get_by_role("button", name="立案").click()
    said = clerk.confirm("确定立案")
    assert "不能撤回" in said
    assert "已立案" in clerk.flash()
    page.locator("main").get_by_role("link", name="交办").click()
    page.get_by_label("主办单位", exact=True).select_option(label=world.talent.name)
    page.locator("#lead-mode").get_by_label(world.scitech.name, exact=True).check()
    due = today() + timedelta(days=90)
    page.get_by_label("办理期限", exact=True).fill(cn_date(due))
    clerk.check("交办")
    clerk.click("交办")
    assert "承办单位即收到通知" in clerk.confirm("确定交办")
    text = page.inner_text("main")
    assert "主办：" + world.talent.name in text and "会办：" + world.scitech.name in text
    clerk.check("已交办")
