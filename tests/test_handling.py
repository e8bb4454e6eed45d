"""The department's handling: 申请调整 and its answer, 催办, 沟通记录, deadlines on the pages."""
from datetime import date

from sqlalchemy import select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import Notification, Submission

from .conftest import flashes
from .factories import make_case


def fresh(s):
    db.session.expire_all()
    return db.session.get(Submission, s.id)


def notes(user):
    return [n.message for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))]


def assigned_case(world, on=date(2025, 3, 18)):
    with clock.frozen(on):
        s = make_case(world, "assigned")
    db.session.commit()
    return s


def test_adjustment_requested_and_granted_moves_the_case(world, browser):
    s = assigned_case(world)
    a = s.assignments[0]
    url = f"/submissions/{s.id}"
    handler, clerk = browser("luoyang"), browser("clerk_zx")
    with clock.frozen(date(2025, 3, 20)):
        page = handler.follow(handler.submit(url, f"/assignments/{a.id}/adjustment", {"comment": ""}))
        assert "请填写调整理由" in " ".join(flashes(page))
        handler.submit(url, f"/assignments/{a.id}/adjustment", {"comment": "不属于本单位职能。"})
    assert fresh(s).assignments[0].state == "adjustment_requested"
    assert any("申请调整" in n for n in notes(world.clerk))
    with clock.frozen(date(2025, 3, 21)):
        clerk.submit(url, f"/assignments/{a.id}/adjustment/grant", {"department_id": world.education.id,
                                                                    "due_on": "", "comment": "改由教育局主办"})
    s = fresh(s)
    old, new = s.assignments
    assert (old.state, old.replaced_by_id) == ("reassigned", new.id)
    assert (new.department_id, new.role, new.state, new.due_on) == (world.education.id, "lead", "pending_ack",
                                                                     date(2025, 6, 18))
    # the old department no longer acts on it; the new one does
    assert f"/assignments/{old.id}/acknowledge" not in handler.page(url)
    assert f"/assignments/{new.id}/acknowledge" in browser("wangfang").page(url)
    assert any("新交办" in n for n in notes(world.edu_handler))


def test_adjustment_refused_returns_to_acknowledgement(world, browser):
    s = assigned_case(world)
    a = s.assignments[0]
    url = f"/submissions/{s.id}"
    with clock.frozen(date(2025, 3, 19)):
        browser("luoyang").submit(url, f"/assignments/{a.id}/adjustment", {"comment": "职能交叉"})
        browser("clerk_zx").submit(url, f"/assignments/{a.id}/adjustment/refuse", {"comment": "属于本单位职能"})
    assert fresh(s).assignments[0].state == "pending_ack"
    assert any("未同意" in n for n in notes(world.handler))


def test_adjustment_only_within_the_window(world, browser):
    s = assigned_case(world)  # assigned on Tuesday 2025年3月18日: five working days end on the 25th
    a = s.assignments[0]
    url = f"/submissions/{s.id}"
    handler = browser("luoyang")
    with clock.frozen(date(2025, 3, 25)):
        assert f"/assignments/{a.id}/adjustment" in handler.page(url)
    with clock.frozen(date(2025, 3, 26)):
        assert f"/assignments/{a.id}/adjustment" not in handler.page(url)
        page = handler.follow(handler.post(f"/assignments/{a.id}/adjustment", {"comment": "晚了"}, expect=302))
    assert "申请调整须在交办后5个工作日内提出（截至2025年3月25日）" in " ".join(flashes(page))
    assert fresh(s).assignments[0].state == "pending_ack"


def test_urge_notifies_the_department(world, browser):
    s = assigned_case(world)
    a = s.assignments[0]
    url = f"/submissions/{s.id}"
    browser("clerk_zx").submit(url, f"/assignments/{a.id}/urge", {"comment": "请抓紧签收办理。"})
    assert any("催办" in n and "请抓紧签收办理" in n for n in notes(world.handler))
    assert any("催办" in n for n in notes(world.signer))
    assert "请抓紧签收办理" in browser("clerk_zx").page(url)  # on the timeline


def test_contact_record_dates_are_checked(world, browser):
    s = assigned_case(world)
    a = s.assignments[0]
    url = f"/submissions/{s.id}"
    handler = browser("luoyang")
    with clock.frozen(date(2025, 3, 20)):
        handler.submit(url, f"/assignments/{a.id}/acknowledge")
        for day, message in (("2025-03-21", "不能晚于今天"), ("2024-12-01", "不能早于提交日期"), ("2025-13-01", "格式不正确")):
            page = handler.follow(handler.submit(url, f"/assignments/{a.id}/contacts",
                                                 {"contact_on": day, "method": "phone", "summary": "通话"}))
            assert message in " ".join(flashes(page)), day
        page = handler.follow(handler.submit(url, f"/assignments/{a.id}/contacts",
                                             {"contact_on": "2025-03-20", "method": "visit", "summary": ""}))
        assert "请填写沟通内容" in " ".join(flashes(page))
    assert fresh(s).assignments[0].contacts == []


def test_due_dates_and_overdue_on_lists_and_dashboard(world, browser):
    s = assigned_case(world, on=date(2025, 3, 18))  # due 2025年6月18日
    handler = browser("luoyang")
    with clock.frozen(date(2025, 6, 14)):
        page = handler.page("/")
        assert 'id="todo-due_soon"' in page and "剩4天" in page
    with clock.frozen(date(2025, 6, 20)):
        page = handler.page("/")
        assert "超期2天" in page
        listing = handler.page("/submissions?overdue=1")
        assert "第0294号" in listing and "overdue" in listing
        assert "2025年6月18日" in handler.page(f"/submissions/{s.id}")
    with clock.frozen(date(2025, 6, 10)):
        assert "第0294号" not in handler.page("/submissions?overdue=1")
