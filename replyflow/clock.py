"""The one source of "now" and "today": stored times are naive UTC, dates are Asia/Shanghai.

`frozen()` sets the clock for a block of code: the demo replays cases over past months with it,
and tests walk a case through time.
"""
import re
from contextlib import contextmanager
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
_frozen_utc: datetime | None = None


def now_utc() -> datetime:
    if _frozen_utc is not None:
        return _frozen_utc
    return datetime.now(timezone.utc).replace(tzinfo=None)


def now_timestamp() -> float:
    """Seconds since the epoch by the app's clock (session ages, TOTP steps), frozen with it in tests."""
    return now_utc().replace(tzinfo=timezone.utc).timestamp()


def today() -> date:
    """Today's date in China, whatever the server's own time zone."""
    return to_local(now_utc()).date()


def to_local(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc).astimezone(LOCAL_TZ)


_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_DIGITS = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def parse_date(text: str) -> date | None:
    """A date as people type it: 2025-06-16, 2025/6/16, 2025.6.16, 2025年6月16日 or 20250616; None if not one."""
    match = _DATE.match(text or "") or _DIGITS.match(text or "")
    if not match:
        return None
    try:
        value = date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return value if 1900 <= value.year <= 2199 else None


def cn_date(value) -> str:
    """2025年6月16日: Arabic numerals, no zero padding, as official documents write dates."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return f"{value.year}年{value.month}月{value.day}日"


def local_to_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=LOCAL_TZ).astimezone(timezone.utc).replace(tzinfo=None)


@contextmanager
def frozen(at: date | datetime):
    """Within the block, now is `at` (a local date means 10:00 that day, Beijing time).

    One clock for the whole process: freeze it around threads, never inside them."""
    global _frozen_utc
    if not isinstance(at, datetime):
        at = datetime.combine(at, time(10, 0))
    previous, _frozen_utc = _frozen_utc, local_to_utc(at)
    try:
        yield
    finally:
        _frozen_utc = previous
