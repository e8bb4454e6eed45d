"""Due dates: one module, from the sitting's policy, on China's official calendar.

Working days follow the State Council's calendar (weekends, public holidays, 调休 make-up working
days) through the `chinesecalendar` package. For a year the package does not know yet, weekends
alone count, which is logged and shown on the admin page.
"""
import calendar
import logging
from datetime import date, timedelta

import chinese_calendar

log = logging.getLogger(__name__)
#: years for which the weekday fallback was used (shown to admins)
FALLBACK_YEARS: set[int] = set()


def add_months(start: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (11月30日 + 3 months = 2月28/29日)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in FALLBACK_YEARS:
            FALLBACK_YEARS.add(day.year)
            log.warning("China's official calendar for %s is not known yet: counting Monday–Friday as working "
                        "days (update the chinesecalendar package)", day.year)
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (start itself not counted)."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def calendar_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


def reply_due(sitting, assigned_on: date) -> date:
    """A reply: the sitting's months after assignment (3 by default)."""
    return add_months(assigned_on, sitting.reply_months)


def opinion_due(sitting, assigned_on: date) -> date:
    """A 会办意见: the sitting's months after assignment (1 by default), never after the reply."""
    return min(add_months(assigned_on, sitting.opinion_months), reply_due(sitting, assigned_on))


def adjustment_last_day(sitting, assigned_on: date) -> date:
    """Last day to ask for reassignment: the sitting's working days after assignment (5 by default)."""
    return add_working_days(assigned_on, sitting.adjustment_days)


def signoff_due(sitting, submitted_on: date) -> date:
    """A draft sent for sign-off: the sitting's working days later (5 by default)."""
    return add_working_days(submitted_on, sitting.signoff_working_days)


def feedback_due(sitting, delivered_on: date) -> date:
    return add_months(delivered_on, sitting.feedback_months)


def rehandling_due(sitting, ordered_on: date) -> date:
    return add_months(ordered_on, sitting.rehandling_months)


def extension_limit(sitting, assignment) -> date:
    """The latest due date an extension may grant: +3 months, never beyond 6 months after assignment."""
    return min(add_months(assignment.due_on, sitting.extension_months),
               add_months(assignment.assigned_on, sitting.extension_cap_months))
