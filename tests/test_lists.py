"""The submission list: filters, keyword search, sorting, pagination; and the notification list."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import Notification

from .factories import make_case


def numbers(html):
    """The numbers in the list's table (phones get the same rows again as a stacked list)."""
    table = html.split('<table class="table table-hover mb-0">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"(?:提案|建议)第(\d{4})号", table)


def test_phones_get_the_same_rows_stacked(world, browser):
    make_case(world, "assigned", number=9, title="关于加快推进老旧小区加装电梯工作的建议")
    db.session.commit()
    page = browser("clerk_zx").page("/submissions")
    stacked = page.split('<ul class="list-group list-group-flush d-md-none">', 1)[1].split("</ul>", 1)[0]
    assert "提案第0009号" in stacked and "关于加快推进老旧小区加装电梯工作的建议" in stacked and "曹留俊等2名委员" in stacked


def test_filters_search_sort_and_pages(world, browser, app):
    with clock.frozen(date(2025, 3, 18)):
        make_case(world, "registered", number=5, title="关于加强电动自行车安全管理的建议")
        make_case(world, "accepted", number=3, title="关于完善婴幼儿托育服务体系的建议", lead=world.other_member_user.member,
                  cosigners=[])
        make_case(world, "assigned", number=9, title="关于加快推进老旧小区加装电梯工作的建议")
        make_case(world, "assigned", number=7, sitting=world.npc, title="关于加快城乡公交一体化的建议")
    db.session.commit()
    clerk = browser("clerk_zx")
    assert numbers(clerk.page("/submissions")) == ["0003", "0005", "0009"]  # the 政协 clerk's, by number
    assert numbers(clerk.page("/submissions?state=registered")) == ["0005"]
    assert numbers(clerk.page("/submissions?q=电梯")) == ["0009"]
    assert numbers(clerk.page("/submissions?q=沈雅琴")) == ["0003"]          # by proposer
    assert numbers(clerk.page("/submissions?q=第0005号")) == ["0005"]        # by number
    assert numbers(clerk.page(f"/submissions?department={world.talent.id}")) == ["0009"]
    assert numbers(clerk.page(f"/submissions?sitting={world.cppcc.id}&kind=proposal&category="
                              f"{world.categories['经济'].id}")) == ["0003", "0005", "0009"]
    assert numbers(clerk.page("/submissions?sort=due"))[0] == "0009"       # the one with a deadline first
    with clock.frozen(date(2025, 7, 1)):
        assert numbers(clerk.page("/submissions?overdue=1")) == ["0009"]
    assert numbers(clerk.page("/submissions?state=bogus&sitting=x&page=abc")) == ["0003", "0005", "0009"]
    assert numbers(browser("clerk_rd").page("/submissions")) == ["0007"]
    assert numbers(browser("shenyaqin").page("/submissions")) == ["0003"]

    app.config["PAGE_SIZE"] = 2
    try:
        first, second = clerk.page("/submissions"), clerk.page("/submissions?page=2")
    finally:
        app.config["PAGE_SIZE"] = 20
    assert numbers(first) == ["0003", "0005"] and numbers(second) == ["0009"]
    assert "page=2" in first and "共 3 件" in first


def test_notifications_open_and_mark_read(world, browser):
    s = make_case(world, "accepted")
    db.session.commit()
    member = browser("caoliujun")
    page = member.page("/notifications")
    assert "已立案" in page and "未读 1 条" in page
    notification = db.session.scalar(select(Notification).where(Notification.user_id == world.member_user.id))
    response = member.submit("/notifications", f"/notifications/{notification.id}/open")
    assert response.headers["Location"].endswith(f"/submissions/{s.id}")
    db.session.expire_all()
    assert notification.read_at is not None
    assert "未读 0 条" in member.page("/notifications")
    # nobody opens another's notification
    assert browser("shenyaqin").post(f"/notifications/{notification.id}/open").status_code == 404


def test_a_clerk_with_thousands_of_notifications_sees_99_plus_unread_first_and_reads_them_all(world, browser):
    """A clerk is told of every overdue reminder of the body: the bell counts to 99, the list shows the
    unread newest first, and 全部标为已读 marks them all (one UPDATE, not an object each)."""
    from datetime import datetime, timedelta

    user = world.clerk
    start = datetime(2025, 6, 1, 8)
    db.session.execute(db.insert(Notification), [
        dict(user_id=user.id, message=f"提醒{i:03d}", created_at=start + timedelta(minutes=i),
             read_at=start if i % 10 == 0 else None) for i in range(150)])
    db.session.commit()
    clerk = browser("clerk_zx")
    page = clerk.page("/notifications")
    assert "未读 99+ 条" in page and '<span class="badge rounded-pill bg-warning text-dark">99+</span>' in page
    shown = re.findall(r"提醒(\d{3})", page)
    assert shown[:3] == ["149", "148", "147"] and "140" not in shown[:10] and len(shown) == 30   # unread first
    assert re.findall(r"提醒(\d{3})", clerk.page("/notifications?page=5"))[-1] == "000"   # the read ones last
    clerk.submit("/notifications", "/notifications/read-all")
    assert "未读 0 条" in clerk.page("/notifications")
    assert db.session.scalar(select(func.count()).where(Notification.user_id == user.id,
                                                        Notification.read_at.is_(None))) == 0


def test_a_long_list_is_counted_up_to_its_cap_and_still_paged_to_the_end(world, browser, app):
    for n in range(1, 8):
        make_case(world, "registered", number=n)
    db.session.commit()
    clerk = browser("clerk_zx")
    app.config.update(PAGE_SIZE=2, LIST_COUNT_CAP=3)
    try:
        first, third, fourth, past = (clerk.page(f"/submissions?page={p}") for p in (1, 3, 4, 9))
    finally:
        app.config.update(PAGE_SIZE=20, LIST_COUNT_CAP=2000)
    assert "超过 3 件" in first and "共 " not in first.split("</h1>")[0]
    assert numbers(first) == ["0001", "0002"] and numbers(third) == ["0005", "0006"] and numbers(fourth) == ["0007"]
    assert "page=4" in third                              # past the cap the pager still offers the next page
    assert 'page-item disabled"><a class="page-link" href="/submissions?page=5"' in fourth   # and ends at the end
    assert numbers(past) == []
    app.config["LIST_COUNT_CAP"] = 7
    try:
        exact = clerk.page("/submissions")
    finally:
        app.config["LIST_COUNT_CAP"] = 2000
    assert "共 7 件" in exact


@pytest.mark.parametrize("dense", [0, 500])
def test_each_clerk_lists_only_his_bodys_cases_in_order_both_ways(world, browser, monkeypatch, dense):
    """SQLite starts from a body of few cases (planner.DENSE) and walks the list's order for a large one:
    both give the body's cases, in the same order, and none of the other body's."""
    from replyflow import planner

    monkeypatch.setattr(planner, "DENSE", dense)
    for number in (12, 3, 7):
        make_case(world, "registered", number=number, sitting=world.npc)
    for number in (5, 1):
        make_case(world, "assigned", number=number)
    db.session.commit()
    assert numbers(browser("clerk_rd").page("/submissions")) == ["0003", "0007", "0012"]
    assert numbers(browser("clerk_rd").page("/submissions?sort=newest")) == ["0007", "0003", "0012"]
    assert numbers(browser("clerk_zx").page("/submissions")) == ["0001", "0005"]
