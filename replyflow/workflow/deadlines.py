"""Due dates. Calendar arithmetic only for now; one module so the policy changes in one place."""
import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (11月30日 + 3 months = 2月28/29日)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def reply_due(sitting, assigned_on: date) -> date:
    """Default due date of a reply: the sitting's months after assignment (3 by default)."""
    return add_months(assigned_on, sitting.reply_months)


def rehandling_due(sitting, ordered_on: date) -> date:
    return add_months(ordered_on, sitting.rehandling_months)
