"""Submissions as offices really write them: numbers, sittings, namesakes, collective proposers, "等5名代表"."""
import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import Member, Sitting, Submission

from .conftest import flashes
from .factories import make_case, make_member


def fresh(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def sitting(name="测试会议", body="cppcc", style="digits", width=4, auto="register", opened=None, closed=None):
    s = Sitting(body=body, name=name, year=2025, number_style=style, number_width=width, auto_numbering=auto,
                opened_on=opened, closed_on=closed, joint_salutation="lead_count" if body == "cppcc" else "each")
    db.session.add(s)
    db.session.commit()
    return s


def register(world, browser, the_sitting, expect=302, clerk=None, **changes):
    """Register through the form as the clerk of the sitting's body; returns the response."""
    clerk = clerk or browser("clerk_zx" if the_sitting.body == "cppcc" else "clerk_rd")
    data = {"sitting_id": the_sitting.id, "kind": the_sitting.submission_kind, "number": "",
            "title": "关于加强基层医疗服务的建议", "content": "建议增加社区医生。", "category_id": world.categories["社会"].id,
            "lead_name": "曹留俊" if the_sitting.body == "cppcc" else "陈姝伃", "cosigner_names": "",
            "submitted_on": "2025-01-10", "disclosure_wish": "public", "period": "session", **changes}
    with clock.frozen(date(2025, 2, 1)):
        page = clerk.page("/submissions/new")
        return clerk.post("/submissions/new", data, token=clerk.token(page), expect=expect)


def newest():
    db.session.expire_all()
    return db.session.scalars(select(Submission).order_by(Submission.id.desc())).first()


# -- case numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("style,width,typed,label", [
    ("digits", 4, "第0294号", "第0294号"),
    ("digits", 4, "294", "第0294号"),
    ("digits", 4, "０２９４", "第0294号"),        # typed with full-width digits
    ("digits", 0, "第54号", "第54号"),
    ("digits", 3, "第046号", "第046号"),
    ("digits", 3, "46", "第046号"),
    ("digits", 0, "2024047", "第2024047号"),
    ("digits", 0, "10040017", "第10040017号"),
    ("digits", 0, "20230158", "第20230158号"),
    ("code", 0, "2025D048", "第2025D048号"),
    ("code", 0, "2025d048", "第2025D048号"),
    ("code", 0, "DH0271", "第DH0271号"),
    ("code", 0, "Y19", "第Y19号"),
])
def test_numbers_in_every_real_form(world, browser, style, width, typed, label):
    s = sitting(style=style, width=width, auto="none" if style == "code" else "register")
    clerk = browser("clerk_zx")
    page = clerk.follow(register(world, browser, s, clerk=clerk, number=typed))
    assert newest().number_label == label and f"已登记，编号：{label}。" in page
    assert label in browser("clerk_zx").page("/submissions")


def test_a_number_is_unique_within_its_sitting_only(world, browser):
    s = sitting()
    register(world, browser, s, number="0294")
    response = register(world, browser, s, number="294", expect=200)  # 294 and 0294 are one number
    assert "测试会议已有提案第0294号《关于加强基层医疗服务的建议》，编号不能重复" in " ".join(flashes(response.text))
    other = sitting(name="另一次会议")
    register(world, browser, other, number="294")
    codes = sitting(name="编码会议", style="code", auto="none")
    register(world, browser, codes, number="Y19")
    response = register(world, browser, codes, number="y19", expect=200)
    assert "编码会议已有提案第Y19号" in " ".join(flashes(response.text))
    assert db.session.scalar(select(func.count(Submission.id))) == 3


def test_numbers_sort_naturally(world, browser):
    s = sitting(width=0)
    for n in ("10", "2", "1", "100"):
        register(world, browser, s, number=n, title=f"关于第{n}件的建议")
    page = browser("clerk_zx").page(f"/submissions?sitting={s.id}")
    order = [page.index(f"关于第{n}件的建议") for n in ("1", "2", "10", "100")]
    assert order == sorted(order)
    codes = sitting(name="编码会议", style="code", auto="none")
    for n in ("Y19", "Y2", "DH0271", "2025D048"):
        register(world, browser, codes, number=n, title=f"关于{n}的建议")
    page = browser("clerk_zx").page(f"/submissions?sitting={codes.id}")
    order = [page.index(f"关于{n}的建议") for n in ("2025D048", "DH0271", "Y2", "Y19")]
    assert order == sorted(order)


@pytest.mark.parametrize("query", ["294", "0294", "第0294号", "第294号", " 第 0294 号 ", "０２９４", "提案第0294号"])
def test_search_finds_a_digit_number_in_any_form(world, browser, query):
    make_case(world, number=294)
    make_case(world, number=2941, title="关于另一件事的建议")
    db.session.commit()
    page = browser("clerk_zx").page(f"/submissions?q={query}")
    assert "第0294号" in page and "第2941号" not in page


@pytest.mark.parametrize("query", ["2025D048", "2025d048", "第2025D048号"])
def test_search_finds_a_code_in_any_form(world, browser, query):
    codes = sitting(name="编码会议", style="code", auto="none")
    register(world, browser, codes, number="2025D048", title="关于编码件的建议")
    register(world, browser, codes, number="2025D049", title="关于另一编码件的建议")
    page = browser("clerk_zx").page(f"/submissions?q={query}")
    assert "关于编码件的建议" in page and "关于另一编码件的建议" not in page


def test_a_number_left_empty_is_given_at_registration_and_never_reused(world, browser):
    s = sitting()
    register(world, browser, s, number="0010")
    clerk = browser("clerk_zx")
    page = clerk.follow(register(world, browser, s, clerk=clerk))
    assert "已登记，编号：第0011号" in page and newest().number == "0011"
    # the case given 0011 is renumbered: 0011 is not handed out again
    case = newest()
    with clock.frozen(date(2025, 2, 1)):
        from replyflow.services import submissions as service
        from tests.factories import submission_data
        data = submission_data(world, sitting=s, number="0020", title=case.title)
        service.update_submission(world.clerk, case, data)
        db.session.commit()
    register(world, browser, s)
    assert newest().number == "0021"
    assert "自动编号：第0021号" in newest().events[0].comment


def test_a_number_can_be_given_at_acceptance_or_not_at_all(world, browser):
    at_accept = sitting(auto="accept")
    register(world, browser, at_accept)
    case = newest()
    assert case.number is None and "（无编号）" in browser("clerk_zx").page(f"/submissions/{case.id}")
    with clock.frozen(date(2025, 2, 2)):
        browser("clerk_zx").submit(f"/submissions/{case.id}", f"/submissions/{case.id}/accept", {"comment": ""})
    case = fresh(Submission, case.id)
    assert case.number == "0001" and case.events[-1].comment == "编号：第0001号"
    # 闭会期间 suggestions published without a number
    recess = sitting(name="广州市十四届人大三次会议闭会期间", body="npc", style="code", auto="none")
    register(world, browser, recess, period="recess")
    item = newest()
    assert item.number is None and item.period == "recess"
    assert item.reference == "广州市十四届人大三次会议闭会期间 建议《关于加强基层医疗服务的建议》"


def _register_in_thread(app, username, sitting_id, category_id, results, barrier):
    from .conftest import Browser
    from .factories import PASSWORD

    client = Browser(app)
    client.login(username, PASSWORD)
    page = client.page("/submissions/new")
    token = client.token(page)
    barrier.wait()
    response = client.post("/submissions/new", {
        "sitting_id": sitting_id, "kind": "proposal", "number": "", "title": f"关于并发登记{threading.get_ident()}的建议",
        "content": "正文", "category_id": category_id, "lead_name": "曹留俊", "cosigner_names": "",
        "submitted_on": "2025-01-10", "disclosure_wish": "public"}, token=token)
    results.append(response.status_code)


def test_two_clerks_registering_at_once_get_two_numbers(app, world):
    from replyflow.services import admin as admin_service
    s = sitting()
    admin_service.save_user(None, username="clerk_zx2", name="钱芳", password="secret-pass-1", roles=["clerk"],
                            body="cppcc", must_change=False)
    db.session.commit()
    results, barrier = [], threading.Barrier(4)
    threads = [threading.Thread(target=_register_in_thread, args=(
        app, ("clerk_zx", "clerk_zx2")[i % 2], s.id, world.categories["社会"].id, results, barrier)) for i in range(4)]
    with clock.frozen(date(2025, 2, 1)):
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert results == [302] * 4
    db.session.expire_all()
    numbers = sorted(db.session.scalars(select(Submission.number).where(Submission.sitting_id == s.id)))
    assert numbers == ["0001", "0002", "0003", "0004"]
    assert fresh(Sitting, s.id).last_number == 4


# -- sittings: dates and periods ---------------------------------------------------------------

def test_a_submission_date_outside_the_sitting_is_refused(world, browser):
    s = sitting(name="政协子洲县第十届委员会第二次会议", opened=date(2025, 1, 8), closed=date(2025, 1, 11))
    response = register(world, browser, s, submitted_on="2025-01-20", expect=200)
    assert ("提交日期须在政协子洲县第十届委员会第二次会议会期内（2025年1月8日至2025年1月11日），会后提交的请选择“闭会期间”"
            in " ".join(flashes(response.text)))
    response = register(world, browser, s, submitted_on="2025-01-05", expect=200)
    assert "会期内" in " ".join(flashes(response.text))
    response = register(world, browser, s, submitted_on="2025-01-05", period="recess", expect=200)
    assert "闭会期间提交的，日期不能早于政协子洲县第十届委员会第二次会议闭幕（2025年1月11日）" in " ".join(flashes(response.text))
    assert db.session.scalar(select(func.count(Submission.id))) == 0
    register(world, browser, s, submitted_on="2025-01-09")
    assert newest().period == "session"
    register(world, browser, s, submitted_on="2025-01-20", period="recess")
    assert newest().period == "recess" and "闭会期间" in browser("clerk_zx").page(f"/submissions/{newest().id}")
    # 闭会期间 ends when the body's next sitting opens
    sitting(name="政协子洲县第十届委员会第三次会议", opened=date(2025, 1, 28), closed=date(2025, 1, 31))
    response = register(world, browser, s, submitted_on="2025-01-29", period="recess", expect=200)
    assert "2025年1月29日已是政协子洲县第十届委员会第三次会议（2025年1月28日开幕）期间" in " ".join(flashes(response.text))
    # a sitting without dates still knows its year
    undated = sitting(name="广州市十四届人大三次会议闭会期间", body="npc", style="code", auto="none")
    response = register(world, browser, undated, number="D1", submitted_on="2024-08-12", period="recess", expect=200)
    assert "提交日期早于广州市十四届人大三次会议闭会期间的年度（2025年）" in " ".join(flashes(response.text))


def test_sitting_names_are_free_text_and_settings_are_checked(world, browser):
    admin = browser("admin")
    base = {"body": "npc", "year": "2025", "reply_months": "3", "opinion_months": "1", "adjustment_days": "5",
            "signoff_working_days": "5", "feedback_months": "1", "rehandling_months": "1", "extension_months": "3",
            "extension_cap_months": "6", "active": "y", "number_width": "0"}
    response = admin.submit("/admin/sittings/new", "/admin/sittings/new", {
        **base, "name": "广州市十四届人大三次会议闭会期间", "number_style": "code", "auto_numbering": "register"},
        expect=200)
    assert "自定编码的会议不能自动编号" in " ".join(flashes(response.text))
    response = admin.submit("/admin/sittings/new", "/admin/sittings/new", {
        **base, "name": "广州市十四届人大三次会议", "number_style": "digits", "auto_numbering": "register",
        "opened_on": "2025-01-12", "closed_on": "2025-01-10"}, expect=200)
    assert "闭幕日期不能早于开幕日期" in " ".join(flashes(response.text))
    admin.submit("/admin/sittings/new", "/admin/sittings/new", {
        **base, "name": "广州市十四届人大三次会议闭会期间", "number_style": "code", "auto_numbering": "none"})
    created = db.session.scalar(select(Sitting).where(Sitting.name == "广州市十四届人大三次会议闭会期间"))
    assert (created.number_style, created.auto_numbering, created.joint_salutation) == ("code", "none", "each")
    # once it holds cases, its numbering style stays: 2025D048 would not be a number
    register(world, browser, created, number="2025D048", submitted_on="2025-01-20", period="recess")
    url = f"/admin/sittings/{created.id}"
    response = admin.submit(url, url, {**base, "name": created.name, "number_style": "digits",
                                       "auto_numbering": "register"}, expect=200)
    assert "已有登记的件，不能改变编号方式" in " ".join(flashes(response.text))


# -- proposers --------------------------------------------------------------------------------

def _namesakes():
    first = Member(body="cppcc", kind="person", name="王伟", affiliation="经济界", unit="天合光能股份有限公司")
    second = Member(body="cppcc", kind="person", name="王伟", affiliation="科技界", unit="常州大学")
    db.session.add_all([first, second])
    db.session.commit()
    return first, second


def test_two_members_of_one_name_are_kept_apart(world, browser):
    first, second = _namesakes()
    response = register(world, browser, world.cppcc, lead_name="王伟", expect=200)
    assert "「王伟」有同名的人，请在下方选择是哪一位" in " ".join(flashes(response.text))
    assert 'name="pick_lead"' in response.text and "王伟（科技界·常州大学）" in response.text
    assert db.session.scalar(select(func.count(Submission.id))) == 0
    register(world, browser, world.cppcc, lead_name="王伟", pick_lead=str(second.id))
    assert newest().lead.id == second.id
    # or written so that it picks one out, as a co-signer too
    register(world, browser, world.cppcc, number="0300", lead_name="王伟（天合光能）", cosigner_names="曹留俊、王伟（常州大学）")
    case = newest()
    assert [m.id for m in case.members] == [first.id, world.member.id, second.id]
    response = register(world, browser, world.cppcc, lead_name="王伟（医药卫生界）", expect=200)
    assert "找不到名为「王伟（医药卫生界）」" in " ".join(flashes(response.text))
    # editing writes the namesakes so that they stay apart
    edit = browser("clerk_zx").page(f"/submissions/{case.id}/edit")
    assert 'value="王伟（经济界·天合光能股份有限公司）"' in edit and "王伟（科技界·常州大学）" in edit


def test_namesakes_need_something_that_tells_them_apart(world, browser):
    admin = browser("admin")
    form = {"body": "cppcc", "kind": "person", "name": "王伟", "affiliation": "经济界", "unit": "常州大学",
            "group_kind": "", "user_id": "0"}
    admin.submit("/admin/members/new", "/admin/members/new", form)
    admin.submit("/admin/members/new", "/admin/members/new", {**form, "affiliation": "科技界"})
    response = admin.submit("/admin/members/new", "/admin/members/new", form, expect=200)
    assert "已有名为「王伟」且界别、单位相同的记录" in " ".join(flashes(response.text))
    response = admin.submit("/admin/members/new", "/admin/members/new",
                            {**form, "name": "县政协提案与法治委", "kind": "group"}, expect=200)
    assert "请选择集体提出者的类型" in " ".join(flashes(response.text))
    response = admin.submit("/admin/members/new", "/admin/members/new", {**form, "affiliation": "", "unit": ""},
                            expect=200)
    assert "同名的须填写界别或工作单位加以区分" in " ".join(flashes(response.text))
    assert db.session.scalar(select(func.count(Member.id)).where(Member.name == "王伟")) == 2
    assert "常州大学" in admin.page("/admin/members?q=常州大学")


def test_a_collective_proposer(world, browser):
    make_member("cppcc", "九三学社中央", kind="group").group_kind = "party"
    committee = make_member("cppcc", "县政协提案与法治委", kind="group")
    committee.group_kind = "committee"
    db.session.commit()
    register(world, browser, world.cppcc, number="0003", lead_name="九三学社中央", title="关于加快集聚青年科技人才的提案")
    case = newest()
    page = browser("clerk_zx").page(f"/submissions/{case.id}")
    assert case.is_collective and "九三学社中央" in page and "集体提案·民主党派" in page
    response = register(world, browser, world.cppcc, lead_name="县政协提案与法治委", cosigner_names="曹留俊", expect=200)
    assert "以集体名义提出的，不能再添加个人联名人" in " ".join(flashes(response.text))


def test_a_lead_and_n_deputies_not_named(world, browser):
    make_member("npc", "王建平")
    make_member("npc", "刘晓梅")
    db.session.commit()
    register(world, browser, world.npc, lead_name="王建平", cosigner_names="刘晓梅", proposer_count="5")
    case = newest()
    assert (case.proposer_total, case.unnamed_count, case.proposers_label) == (5, 3, "王建平等5名代表")
    assert "王建平等5名代表" in browser("clerk_rd").page("/submissions")
    assert "另有3人未列名（共5名代表）" in browser("clerk_rd").page(f"/submissions/{case.id}")
    response = register(world, browser, world.npc, number="0301", lead_name="王建平", cosigner_names="刘晓梅、陈姝伃",
                        proposer_count="2", expect=200)
    assert "不少于已列出的3人" in " ".join(flashes(response.text))


def test_a_masked_name_and_many_ordered_co_signers(world, browser):
    names = ["许**", "顾明华", "丁晓红", "邵红梅", "韩志刚", "唐晓燕", "陆佳怡", "潘志远", "郑秀兰"]
    for name in names:
        make_member("cppcc", name)
    db.session.commit()
    register(world, browser, world.cppcc, lead_name="曹留俊", cosigner_names="、".join(names))
    case = newest()
    assert [m.name for m in case.cosigners] == names
    assert "许**" in browser("clerk_zx").page("/submissions?q=许**")


def test_a_number_no_case_has_searches_titles_instead(world, browser):
    make_case(world, number=294, title="关于落实2025年民生实事项目的建议")
    make_case(world, number=12, title="关于另一件事的建议")
    db.session.commit()
    page = browser("clerk_zx").page("/submissions?q=2025")
    assert "关于落实<mark>2025</mark>年民生实事项目的建议" in page and "关于另一件事的建议" not in page
    page = browser("clerk_zx").page("/submissions?q=12")  # a number some case has: that case only
    assert "关于另一件事的建议" in page and "关于落实2025年" not in page
