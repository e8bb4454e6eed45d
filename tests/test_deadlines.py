"""Due dates on China's official calendar, the per-sitting policy, and extensions (申请延期)."""
import logging
from datetime import date

import pytest
from sqlalchemy import select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import Event, Notification, Submission
from replyflow.workflow import deadlines

from .conftest import flashes
from .factories import make_case


@pytest.mark.parametrize("start,days,expected", [
    (date(2025, 9, 26), 5, date(2025, 10, 10)),   # 国庆: Sun 9-28 is a 调休 working day, 10-1..10-8 off
    (date(2025, 9, 30), 1, date(2025, 10, 9)),
    (date(2025, 10, 9), 2, date(2025, 10, 11)),   # Sat 10-11 is a 调休 working day
    (date(2026, 2, 13), 1, date(2026, 2, 14)),    # 春节 2026: Sat 2-14 is a working day ...
    (date(2026, 2, 14), 1, date(2026, 2, 24)),    # ... then 2-15..2-23 off
    (date(2026, 2, 24), 4, date(2026, 2, 28)),    # Sat 2-28 works too
    (date(2025, 3, 18), 5, date(2025, 3, 25)),    # an ordinary week
])
def test_working_days_follow_the_official_calendar(start, days, expected):
    assert deadlines.add_working_days(start, days) == expected


@pytest.mark.parametrize("start,months,expected", [
    (date(2025, 11, 30), 3, date(2026, 2, 28)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)),
    (date(2025, 12, 31), 2, date(2026, 2, 28)),
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
])
def test_calendar_months_across_month_ends(start, months, expected):
    assert deadlines.add_months(start, months) == expected


def test_unknown_year_falls_back_to_weekdays_and_says_so(caplog, world, browser):
    deadlines.FALLBACK_YEARS.discard(2099)
    with caplog.at_level(logging.WARNING, logger="replyflow.workflow.deadlines"):
        assert deadlines.add_working_days(date(2099, 1, 2), 1) == date(2099, 1, 5)  # Fri → Mon
    assert "2099" in caplog.text and "Monday–Friday" in caplog.text
    page = browser("admin").page("/admin/mail")
    assert "2099" in page
    deadlines.FALLBACK_YEARS.discard(2099)


def test_default_due_dates_per_duty(world):
    sitting = world.cppcc
    assert deadlines.reply_due(sitting, date(2025, 11, 30)) == date(2026, 2, 28)
    assert deadlines.opinion_due(sitting, date(2025, 3, 18)) == date(2025, 4, 18)
    assert deadlines.adjustment_last_day(sitting, date(2025, 9, 26)) == date(2025, 10, 10)
    assert deadlines.signoff_due(sitting, date(2026, 2, 13)) == date(2026, 2, 27)  # 2-14 works, 2-15..23 off
    assert deadlines.feedback_due(sitting, date(2025, 6, 17)) == date(2025, 7, 17)
    assert deadlines.rehandling_due(sitting, date(2025, 7, 1)) == date(2025, 8, 1)


def test_co_handling_is_due_a_month_after_assignment(world, ctx):
    with clock.frozen(date(2025, 3, 18)):
        s = make_case(world, "assigned", mode="co")
    lead, co = s.assignments
    assert (lead.due_on, co.due_on) == (date(2025, 6, 18), date(2025, 4, 18))


def test_clerk_edits_the_policy_of_their_sittings(world, browser):
    clerk = browser("clerk_zx")
    page = clerk.page("/sittings")
    assert "市政协十五届四次会议" in page and "市十六届人大五次会议" not in page
    url = f"/sittings/{world.cppcc.id}/deadlines"
    form = {"reply_months": "2", "opinion_months": "1", "adjustment_days": "3", "signoff_working_days": "4",
            "feedback_months": "1", "rehandling_months": "1", "extension_months": "2", "extension_cap_months": "5"}
    clerk.submit(url, url, form)
    db.session.expire_all()
    assert (world.cppcc.reply_months, world.cppcc.adjustment_days) == (2, 3)
    response = clerk.submit(url, url, {**form, "opinion_months": "3"}, expect=200)
    assert "会办意见期限不能长于答复期限" in " ".join(flashes(response.text))
    assert browser("clerk_rd").client.get(url).status_code == 403
    assert browser("luoyang").client.get(url).status_code == 403
    with clock.frozen(date(2025, 3, 18)):
        s = make_case(world, "assigned", number=400)
    assert s.assignments[0].due_on == date(2025, 5, 18)  # the new policy: two months


def test_extension_requested_granted_and_told(world, browser):
    with clock.frozen(date(2025, 3, 18)):
        s = make_case(world, "acknowledged")
    db.session.commit()
    a = s.assignments[0]
    url = f"/submissions/{s.id}"
    handler, clerk = browser("luoyang"), browser("clerk_zx")
    with clock.frozen(date(2025, 6, 10)):
        # beyond 3 more months is refused, and so is a date before the current one
        page = handler.follow(handler.submit(url, f"/assignments/{a.id}/extension",
                                             {"requested_due_on": "2025-09-19", "comment": "需要调研"}))
        assert "最多可延期至2025年9月18日" in " ".join(flashes(page))
        page = handler.follow(handler.submit(url, f"/assignments/{a.id}/extension",
                                             {"requested_due_on": "2025-06-01", "comment": "需要调研"}))
        assert "须晚于现有期限" in " ".join(flashes(page))
        handler.submit(url, f"/assignments/{a.id}/extension", {"requested_due_on": "2025-08-18", "comment": "需要实地调研"})
        assert f"/assignments/{a.id}/extension\"" not in handler.page(url)  # one request at a time
        clerk_page = clerk.page(url)
        assert "延至 2025年8月18日" in clerk_page and "需要实地调研" in clerk_page
        clerk.submit(url, f"/assignments/{a.id}/extension/grant", {"due_on": "2025-07-31", "comment": "给一个半月"})
    db.session.expire_all()
    a = db.session.get(Submission, s.id).assignments[0]
    assert a.due_on == date(2025, 7, 31) and a.extensions[0].status == "granted"
    change = db.session.scalar(select(Event).where(Event.action == "grant_extension"))
    assert change.comment.startswith("同意延期，办理期限：2025年6月18日 → 2025年7月31日")
    told = db.session.scalars(select(Notification.message).where(Notification.user_id == world.member_user.id)).all()
    assert any("办理期限延至2025年7月31日" in m for m in told)
    assert "办理期限：2025年6月18日 → 2025年7月31日" in browser("clerk_zx").page(url)


def test_extension_refused_and_never_beyond_six_months(world, browser):
    with clock.frozen(date(2025, 3, 18)):
        s = make_case(world, "acknowledged")
    db.session.commit()
    a = s.assignments[0]
    url = f"/submissions/{s.id}"
    handler, clerk = browser("luoyang"), browser("clerk_zx")
    with clock.frozen(date(2025, 6, 10)):
        handler.submit(url, f"/assignments/{a.id}/extension", {"requested_due_on": "2025-08-18", "comment": "调研"})
        clerk.submit(url, f"/assignments/{a.id}/extension/refuse", {"comment": "请按期答复"})
    db.session.expire_all()
    a = db.session.get(Submission, s.id).assignments[0]
    assert a.due_on == date(2025, 6, 18) and a.extensions[0].status == "refused"
    # a first extension to 8-18, then the cap: 6 months after assignment is 9-18
    with clock.frozen(date(2025, 6, 11)):
        handler.submit(url, f"/assignments/{a.id}/extension", {"requested_due_on": "2025-08-18", "comment": "调研"})
        clerk.submit(url, f"/assignments/{a.id}/extension/grant", {"due_on": ""})
        handler.submit(url, f"/assignments/{a.id}/extension", {"requested_due_on": "2025-09-18", "comment": "再调研"})
        page = clerk.follow(clerk.submit(url, f"/assignments/{a.id}/extension/grant", {"due_on": "2025-09-30"}))
    assert "最多可延期至2025年9月18日" in " ".join(flashes(page))
    db.session.expire_all()
    assert db.session.get(Submission, s.id).assignments[0].due_on == date(2025, 8, 18)
