"""Bad input: a clear Chinese message and nothing saved, for every form."""
import io
from datetime import date

import pytest
from sqlalchemy import func, select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import Assignment, Attachment, Department, Event, Reply, Sitting, Submission, User

from .conftest import flashes
from .factories import make_case

GOOD = {
    "kind": "proposal", "number": "294", "title": "关于广纳海外高层次人才的建议", "content": "正文",
    "lead_name": "曹留俊", "cosigner_names": "冯建国", "submitted_on": "2025-01-10", "disclosure_wish": "public",
}


def count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def register(clerk, world, files=None, **changes):
    data = {**GOOD, "sitting_id": world.cppcc.id, "category_id": world.categories["经济"].id, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    with clock.frozen(date(2025, 2, 1)):
        page = clerk.page("/submissions/new")
        return clerk.post("/submissions/new", data, token=clerk.token(page), files=files)


@pytest.mark.parametrize("changes,message", [
    ({"title": ""}, "请填写标题"),
    ({"title": "长" * 201}, "标题最多 200 字"),
    ({"content": ""}, "请填写正文"),
    ({"number": "0"}, "编号须大于 0"),
    ({"number": "abc"}, "编号只能是数字"),
    ({"number": "2025D048"}, "编号只能是数字"),
    ({"number": "1" * 10}, "编号最多 9 位数字"),
    ({"number": "第" + "长" * 40}, "编号最多 30 字"),
    ({"proposer_count": "1"}, "提出人数须在 2 到 1000 之间"),
    ({"proposer_count": "x"}, "提出人数"),
    ({"period": "holiday"}, "不是有效的选择"),
    ({"lead_name": ""}, "请填写领衔人"),
    ({"lead_name": "不存在的人"}, "找不到名为「不存在的人」"),
    ({"cosigner_names": "曹留俊"}, "领衔人不能同时作为联名人"),
    ({"cosigner_names": "冯建国、冯建国"}, "联名人中有重复的姓名"),
    ({"cosigner_names": "陈姝伃"}, "找不到名为「陈姝伃」"),  # a deputy cannot co-sign a CPPCC proposal
    ({"submitted_on": "2025-02-02"}, "提交日期不能晚于今天"),
    ({"submitted_on": "2024-12-30"}, "与所选会议不符"),
    ({"submitted_on": "01/10/2025"}, "格式不正确"),
    ({"submitted_on": "2025-02-30"}, "格式不正确"),
    ({"kind": "suggestion"}, "只受理提案"),
    ({"kind": None}, "请选择类型"),
])
def test_registration_rejects_bad_input(world, browser, changes, message):
    response = register(browser("clerk_zx"), world, **changes)
    assert response.status_code == 200
    assert any(message in m for m in flashes(response.text)), (message, flashes(response.text))
    assert count(Submission) == 0 and count(Event) == 0


def test_duplicate_number_in_a_sitting(world, browser):
    make_case(world, number=294)
    db.session.commit()
    response = register(browser("clerk_zx"), world)
    assert "市政协十五届四次会议已有提案第0294号《" in " ".join(flashes(response.text))
    assert count(Submission) == 1
    # the same number in another sitting is fine
    response = register(browser("clerk_rd"), world, sitting_id=world.npc.id, kind="suggestion",
                        lead_name="陈姝伃", cosigner_names="")
    assert response.status_code == 302 and count(Submission) == 2


@pytest.mark.parametrize("name,data,message", [
    ("a.exe", b"MZ\x90\x00", "格式不受支持"),
    ("a.pdf", b"not a pdf", "内容与扩展名不符"),
    ("a.png", b"", "是空文件"),
])
def test_bad_attachments_save_nothing(world, browser, name, data, message):
    response = register(browser("clerk_zx"), world, files={"attachments": [(io.BytesIO(data), name)]})
    assert any(message in m for m in flashes(response.text)), flashes(response.text)
    assert count(Submission) == 0 and count(Attachment) == 0


def test_oversized_attachment(world, browser, app):
    app.config["ATTACHMENT_MAX_BYTES"] = 1000
    try:
        response = register(browser("clerk_zx"), world,
                            files={"attachments": [(io.BytesIO(b"%PDF-" + b"0" * 2000), "big.pdf")]})
    finally:
        app.config["ATTACHMENT_MAX_BYTES"] = 20 * 1024 * 1024
    assert any("超过" in m for m in flashes(response.text)) and count(Submission) == 0


@pytest.mark.parametrize("form,message", [
    ({"mode": "lead", "lead_id": "0"}, "请选择主办单位"),
    ({"mode": "split", "split_ids": ["1"]}, "分办须选择至少两个单位"),
    ({"mode": "lead", "lead_id": "1", "co_ids": ["1"]}, "主办单位不能同时作为会办单位"),
    ({"mode": "lead", "lead_id": "1", "due_on": "2025-03-01"}, "办理期限须晚于交办日期"),
    ({"mode": "lead", "lead_id": "1", "comment": "长" * 2001}, "交办意见最多 2000 字"),
    ({"mode": "", "lead_id": "1"}, "请选择交办方式"),
])
def test_assignment_rejects_bad_input(world, browser, form, message):
    s = make_case(world, "accepted")
    db.session.commit()
    clerk = browser("clerk_zx")
    url = f"/submissions/{s.id}/assign"
    with clock.frozen(date(2025, 3, 18)):
        response = clerk.submit(url, url, form, expect=200)
    assert any(message in m for m in flashes(response.text)), flashes(response.text)
    assert count(Assignment) == 0 and db.session.get(Submission, s.id).state == "accepted"


REPLY = {"answer_class": "A", "disclosure": "public", "doc_number": "常人才办〔2025〕24号", "title": "标题",
         "salutation": "曹留俊委员：", "body": "正文", "signer_name": "吴寅", "handler_name": "罗杨", "phone": "1",
         "cc": "", "issuing_organ": "人才办", "issue_date": "", "send": "0"}


@pytest.mark.parametrize("changes,message", [
    ({"doc_number": "常人才办[2025]24号"}, "发文字号格式应如"),
    ({"doc_number": "常人才办〔2025〕第24号"}, "发文字号格式应如"),
    ({"doc_number": "常人才办〔2025〕024号"}, "发文字号格式应如"),
    ({"title": "长" * 201}, "标题最多 200 字"),
    ({"answer_class": "Z"}, "不是有效的选择"),
    ({"disclosure": ""}, "请选择公开属性"),
    ({"issue_date": "2024-01-01"}, "成文日期不能早于提交日期"),
    ({"doc_number": "常人才办〔2025〕7号"}, "已被本单位其他答复件使用"),
])
def test_reply_editor_rejects_bad_input(world, browser, changes, message):
    taken = make_case(world, "drafted", number=300)
    taken.assignments[0].current_reply.doc_number = "常人才办〔2025〕7号"
    s = make_case(world, "acknowledged")
    db.session.commit()
    url = f"/assignments/{s.assignments[0].id}/reply"
    response = browser("luoyang").submit(url, url, {**REPLY, **changes}, expect=200)
    assert any(message in m for m in flashes(response.text)), flashes(response.text)
    assert count(Reply) == 1  # only the other case's


def test_feedback_needs_both_ratings(world, browser):
    s = make_case(world, "delivered")
    db.session.commit()
    member = browser("caoliujun")
    page = member.follow(member.submit(f"/submissions/{s.id}", f"/assignments/{s.assignments[0].id}/feedback",
                                       {"handling_rating": "satisfied"}))
    assert "请选择对办理结果的评价" in " ".join(flashes(page))
    db.session.expire_all()
    assert db.session.get(Submission, s.id).assignments[0].state == "delivered"


def test_action_not_allowed_in_the_current_state(world, browser):
    s = make_case(world, "accepted")
    db.session.commit()
    clerk = browser("clerk_zx")
    page = clerk.follow(clerk.post(f"/submissions/{s.id}/accept", {}, expect=302))
    assert "当前状态为「待交办」，不能立案" in " ".join(flashes(page))
    page = clerk.follow(clerk.post(f"/submissions/{s.id}/reject", {"ground_id": "1"}, expect=302))
    assert "不能不立案" in " ".join(flashes(page))


def test_forms_without_csrf_token_are_refused(world, browser):
    s = make_case(world)
    db.session.commit()
    clerk = browser("clerk_zx")
    response = clerk.client.post(f"/submissions/{s.id}/accept", data={})
    assert response.status_code == 400 and "页面已过期" in response.text
    assert db.session.get(Submission, s.id).state == "registered"


@pytest.mark.parametrize("form,message", [
    ({"username": "admin", "name": "x", "password": "Long-enough1"}, "已被使用"),
    ({"username": "new", "name": "x", "password": "short"}, "密码至少 8 位"),
    ({"username": "new", "name": "x", "password": ""}, "新账号须设置密码"),
    ({"username": "new user", "name": "x", "password": "Long-enough1"}, "用户名只能包含"),
    ({"username": "new", "name": "x", "password": "Long-enough1", "email": "bad"}, "邮箱格式不正确"),
])
def test_admin_user_form(world, browser, form, message):
    before = count(User)
    admin = browser("admin")
    response = admin.submit("/admin/users/new", "/admin/users/new", {"active": "y", **form}, expect=200)
    assert any(message in m for m in flashes(response.text)), flashes(response.text)
    assert count(User) == before


@pytest.mark.parametrize("form,message", [
    ({"roles": ["handler"], "department_id": "0"}, "须选择所属单位"),
    ({"roles": ["member"], "department_id": "0", "body": ""}, "须选择所属（政协或人大）"),
    ({"roles": ["clerk"], "body": "both"}, "不是有效的选择"),
    ({"roles": ["clerk", "root"]}, "不是有效的选择"),
    ({"roles": ["signer"], "department_id": "999999"}, "不是有效的选择"),
])
def test_security_admin_grant_form(world, browser, form, message):
    security = browser("security")
    response = security.submit(f"/roles/{world.co_handler.id}", f"/roles/{world.co_handler.id}",
                               {"body": "", **form}, expect=200)
    assert message in response.text, flashes(response.text)
    db.session.expire_all()
    assert world.co_handler.roles == {"handler"} and world.co_handler.department == world.scitech


POLICY = {"reply_months": "3", "opinion_months": "1", "adjustment_days": "5", "signoff_working_days": "5",
          "feedback_months": "1", "rehandling_months": "1", "extension_months": "3", "extension_cap_months": "6"}


NUMBERING = {"number_style": "digits", "number_width": "4", "auto_numbering": "register"}


def test_admin_creates_accounts_departments_and_sittings(world, browser):
    admin, security = browser("admin"), browser("security")
    page = admin.follow(admin.submit("/admin/users/new", "/admin/users/new", {
        "username": "newhandler", "name": "新经办人", "password": "Long-enough1", "active": "y",
        "email": "a@example.com"}))
    assert "它还没有角色：请安全管理员" in page
    user = db.session.scalar(select(User).where(User.username == "newhandler"))
    assert user.roles == set() and "尚未授权" in page
    security.submit(f"/roles/{user.id}", f"/roles/{user.id}", {
        "roles": ["handler", "signer"], "department_id": world.education.id, "body": ""})
    db.session.expire_all()
    assert user.roles == {"handler", "signer"} and user.department_id == world.education.id
    admin.submit("/admin/departments/new", "/admin/departments/new", {
        "name": "常州市民政局", "doc_prefix": "常民", "header_title": "常州市民政局文件", "active": "y",
        "doc_format": "file"})
    response = admin.submit("/admin/departments/new", "/admin/departments/new", {
        "name": "常州市民政局", "doc_prefix": "常民", "header_title": "常州市民政局文件", "doc_format": "file"},
        expect=200)
    assert "已存在" in " ".join(flashes(response.text))
    assert count(Department) == 5
    admin.submit("/admin/sittings/new", "/admin/sittings/new", {
        "body": "cppcc", "name": "市政协十五届五次会议", "year": "2026", "opened_on": "2026-01-08", **POLICY,
        **NUMBERING, "active": "y"})
    response = admin.submit("/admin/sittings/new", "/admin/sittings/new", {
        "body": "cppcc", "name": "市政协十五届六次会议", "year": "2027", "opened_on": "2026-01-08", **POLICY,
        **NUMBERING, "reply_months": "13"}, expect=200)
    assert "答复期限（交办后月数）须为 1 到 12" in " ".join(flashes(response.text))
    assert count(Sitting) == 3
    # a new member account and its member record; then the member list
    admin.submit("/admin/users/new", "/admin/users/new", {
        "username": "newmember", "name": "新委员", "password": "Long-enough1", "active": "y"})
    member = db.session.scalar(select(User).where(User.username == "newmember"))
    security.submit(f"/roles/{member.id}", f"/roles/{member.id}", {"roles": ["member"], "department_id": "0", "body": "cppcc"})
    assert "新委员" in admin.page("/admin/members")
    # the editable lists
    admin.submit("/admin/lists/categories/new", "/admin/lists/categories/new", {"name": "文化", "position": "8",
                                                                                 "active": "y"})
    admin.submit("/admin/lists/answer-classes/new", "/admin/lists/answer-classes/new",
                 {"body": "npc", "code": "E", "label": "已转有关方面研究", "position": "5"})
    page = admin.page("/admin/lists")
    assert "文化" in page and "已转有关方面研究" in page


def test_login_errors(world, browser, app):
    client = browser().client
    page = client.get("/login").text
    from .conftest import Browser
    token = Browser.TOKEN.search(page).group(1)
    response = client.post("/login", data={"username": "luoyang", "password": "wrong", "csrf_token": token})
    assert response.status_code == 200 and "用户名或密码不正确" in response.text
    response = client.post("/login", data={"username": "", "password": "", "csrf_token": token})
    assert "请填写用户名" in response.text
    user = db.session.scalar(select(User).where(User.username == "luoyang"))
    user.active = False
    db.session.commit()
    from .factories import PASSWORD
    response = client.post("/login", data={"username": "luoyang", "password": PASSWORD, "csrf_token": token})
    assert "已停用" in response.text
    response = client.post("/login?next=//evil.example.com/", data={
        "username": "wuyin", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"


def _co_acknowledged(w):
    from replyflow.services import assignments as assignment_service
    s = make_case(w, "acknowledged", mode="co")
    assignment_service.acknowledge(w.co_handler, s.assignments[1])
    return s


def _adjustment_requested(w):
    from replyflow.services import assignments as assignment_service
    with clock.frozen(date(2025, 3, 18)):
        s = make_case(w, "assigned", mode="co")
        assignment_service.request_adjustment(w.handler, s.assignments[0], "职能不符")
    return s


# small action forms on the case page: (setup, who, path under /assignments/<id>/, data, message)
ACTION_FORMS = [
    (lambda w: make_case(w, "assigned"), "clerk_zx", 0, "urge", {"comment": ""}, "请填写催办内容"),
    (lambda w: make_case(w, "assigned"), "clerk_zx", 0, "urge", {"comment": "长" * 2001}, "催办内容最多 2000 字"),
    (_co_acknowledged, "zhanglei", 1, "opinion", {"opinion": "  "}, "请填写会办意见"),
    (_adjustment_requested, "clerk_zx", 0, "adjustment/grant", {"department_id": "", "comment": ""},
     "请选择调整后的承办单位"),
    (_adjustment_requested, "clerk_zx", 0, "adjustment/grant", {"department_id": "2"}, "已承办本件"),
    (_adjustment_requested, "clerk_zx", 0, "adjustment/refuse", {"comment": ""}, "请填写不同意的理由"),
    (lambda w: make_case(w, "dissatisfied"), "clerk_zx", 0, "rehandle", {"due_on": "2020-01-01"},
     "重新办理的期限须晚于今天"),
    (lambda w: make_case(w, "dissatisfied"), "clerk_zx", 0, "close", {"comment": ""}, "请填写办结说明"),
    (lambda w: make_case(w, "acknowledged"), "luoyang", 0, "extension", {"requested_due_on": "", "comment": "调研"},
     "请填写申请延期至"),
    (lambda w: make_case(w, "acknowledged"), "luoyang", 0, "contacts",
     {"contact_on": "2025-01-20", "method": "fax", "summary": "通话"}, "不是有效的选择"),
]


@pytest.mark.parametrize("setup,who,index,path,data,message", ACTION_FORMS,
                         ids=[f"{f[3]}-{i}" for i, f in enumerate(ACTION_FORMS)])
def test_case_page_forms_reject_bad_input(world, browser, setup, who, index, path, data, message):
    from tests.test_permissions import snapshot
    s = setup(world)
    db.session.commit()
    before = snapshot()
    user = browser(who)
    page = user.follow(user.post(f"/assignments/{s.assignments[index].id}/{path}", data, expect=302))
    assert any(message in m for m in flashes(page)), flashes(page)
    assert snapshot() == before


def test_resubmission_needs_title_and_text(world, browser):
    from replyflow.services import submissions as submission_service
    s = make_case(world)
    submission_service.return_for_revision(world.clerk, s, "请修改")
    db.session.commit()
    url = f"/submissions/{s.id}/resubmit"
    response = browser("caoliujun").submit(url, url, {"title": "", "content": "x"}, expect=200)
    assert "请填写标题" in " ".join(flashes(response.text))
    db.session.expire_all()
    assert db.session.get(Submission, s.id).state == "returned"


def test_a_case_with_attachments_saves_its_registration_again(world, browser):
    from replyflow.models import Attachment

    s = make_case(world)
    s.attachments.append(Attachment(filename="附件.pdf", content_type="application/pdf", size=5, data=b"%PDF-"))
    db.session.commit()
    clerk = browser("clerk_zx")
    page = clerk.page(f"/submissions/{s.id}/edit")
    data = {"sitting_id": str(s.sitting_id), "kind": s.kind, "period": s.period, "number": s.number,
            "title": "新的标题", "content": s.content, "category_id": str(s.category_id), "lead_name": "曹留俊",
            "cosigner_names": "冯建国、许振宇", "submitted_on": s.submitted_on.isoformat(), "disclosure_wish": "public"}
    clerk.post(f"/submissions/{s.id}/edit", data, expect=302, token=clerk.token(page))
    db.session.expire_all()
    assert s.title == "新的标题" and [a.filename for a in s.attachments] == ["附件.pdf"]


@pytest.mark.parametrize("page", ["edit", "assign"])
def test_a_page_of_its_own_on_a_closed_case_says_why_and_goes_back(world, browser, page):
    s = make_case(world, "delivered")
    db.session.commit()
    clerk = browser("clerk_zx")
    response = clerk.client.get(f"/submissions/{s.id}/{page}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/submissions/{s.id}")
    assert "当前状态为" in clerk.follow(response)


def test_a_bad_email_is_named_once_however_often_the_form_was_opened(world, browser):
    admin = browser("admin")
    for _ in range(3):
        admin.page("/admin/users/new")
    response = admin.submit("/admin/users/new", "/admin/users/new",
                            {"username": "new", "name": "x", "password": "Long-enough1", "email": "bad"}, expect=200)
    assert response.text.count("电子邮箱格式不正确") == 1


def test_odd_query_strings_on_the_new_pages_are_never_a_500(world, browser):
    from .factories import make_case

    make_case(world)
    db.session.commit()
    clerk = browser("clerk_zx")
    for url in ("/submissions?_scheme=x", "/submissions?_method=POST&q=人才", "/submissions/summary.xlsx?_scheme=x",
                "/submissions?ids=²", "/submissions?ids=0", "/submissions/summary.xlsx?ids=" + "9" * 5000,
                "/statistics?sitting=3000000000", "/statistics?sitting=²", "/statistics.xlsx?body=x",
                "/statistics/report.docx?sitting=-1", "/submissions/3000000000", "/submissions?q=%00%01"):
        status = clerk.client.get(url).status_code
        assert status in (200, 302, 404), (url, status)
    # ids= with no id in it lists nothing, not everything
    assert "没有符合条件的提案建议" in clerk.page("/submissions?ids=0")


def test_a_date_of_only_spaces_is_no_date(world, browser):
    clerk = browser("clerk_zx")
    page = clerk.page("/submissions/new")
    response = clerk.post("/submissions/new", {
        "sitting_id": str(world.cppcc.id), "kind": "proposal", "period": "session", "title": "关于测试的提案",
        "content": "内容", "lead_name": "曹留俊", "submitted_on": "   ", "disclosure_wish": "public",
        "category_id": str(world.categories["经济"].id)}, token=clerk.token(page))
    assert response.status_code == 200 and "请填写提交日期" in response.text
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 0
