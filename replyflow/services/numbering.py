"""Case numbers as each sitting writes them: 第0294号, 第54号, 2025D048, DH0271, Y19 ...

A sitting numbers its cases with digits shown to a width (4 → 0294, 0 → 54) or with codes typed as
published. A number is unique within its sitting, sorts naturally (2 before 10, codes by their
digits) and is found by any form a user types (294, 0294, 第0294号, 2025d048).
"""
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import or_, select, update

from ..extensions import db
from ..models import Sitting, Submission
from . import ServiceError

MAX_DIGITS = 9           # 10040017 has 8; a value must fit the database's 32-bit integer
MAX_CODE = 20
_CODE = re.compile(r"^[0-9A-Z][0-9A-Z\-]*$")
_RUNS = re.compile(r"\d+|\D+")


@dataclass(frozen=True)
class CaseNumber:
    text: str            # as stored and shown (without 第/号)
    seq: int | None      # its value, for search
    sort: str            # the natural sort key


def normalize(typed: str | None) -> str:
    """Full-width to half-width, spaces out, 第…号 off, letters upper-case: "第 0294 号" → "0294"."""
    text = unicodedata.normalize("NFKC", typed or "").strip().upper()
    text = re.sub(r"\s+", "", text)
    text = text.removeprefix("提案").removeprefix("建议")  # as pages show it: 提案第0294号
    if text.startswith("第"):
        text = text[1:]
    return text.removesuffix("号")


def natural_key(text: str) -> str:
    return "".join(part.zfill(10) if part.isdigit() else part for part in _RUNS.findall(text))


def _last_digits(text: str) -> int | None:
    runs = re.findall(r"\d+", text)
    return int(runs[-1]) if runs and len(runs[-1]) <= MAX_DIGITS else None


def from_value(sitting, value: int) -> CaseNumber:
    text = str(value).zfill(sitting.number_width) if sitting.number_width else str(value)
    return CaseNumber(text, value, natural_key(text))


def parse(sitting, typed: str) -> CaseNumber:
    """The number a user typed, in the sitting's numbering, or ServiceError saying what is wrong."""
    text = normalize(typed)
    if sitting.number_style == "digits":
        if not text.isdigit():
            raise ServiceError(f"{sitting.name}按数字编号，编号只能是数字（如 0294 或 第0294号）。")
        if len(text.lstrip("0")) > MAX_DIGITS:
            raise ServiceError(f"编号最多 {MAX_DIGITS} 位数字。")
        value = int(text)
        if value < 1:
            raise ServiceError("编号须大于 0。")
        return from_value(sitting, value)
    if len(text) > MAX_CODE or not _CODE.match(text):
        raise ServiceError(f"编号只能由字母、数字和连字符组成，最多 {MAX_CODE} 位（如 2025D048、DH0271）。")
    return CaseNumber(text, _last_digits(text), natural_key(text))


def clash(sitting, number: CaseNumber, exclude_id: int | None = None) -> Submission | None:
    """The other case of the sitting with this number (0294 and 294 are one number in digit numbering)."""
    same = Submission.number == number.text
    if sitting.number_style == "digits":
        same = or_(same, Submission.number_seq == number.seq)
    query = select(Submission).where(Submission.sitting_id == sitting.id, same)
    if exclude_id is not None:
        query = query.where(Submission.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def lock_sitting(sitting) -> int:
    """Take the sitting's row for this transaction and return its counter.

    An UPDATE, not a SELECT: it locks the row on PostgreSQL and takes SQLite's write lock, so two
    clerks registering at once are served one after the other and every read after it is current.
    """
    return db.session.execute(
        update(Sitting).where(Sitting.id == sitting.id).values(last_number=Sitting.last_number)
        .returning(Sitting.last_number)).scalar_one()


def next_free(sitting, counter: int | None = None) -> CaseNumber:
    """The next number, never given before: one past both the counter and the highest number in use.

    `counter` is what lock_sitting returned when the caller has taken the sitting's row already."""
    if sitting.number_style != "digits":
        raise ServiceError(f"{sitting.name}使用自定编码，请填写编号。")
    if counter is None:
        counter = lock_sitting(sitting)
    highest = db.session.scalar(select(db.func.max(Submission.number_seq)).where(
        Submission.sitting_id == sitting.id)) or 0
    value = max(counter, highest) + 1
    db.session.execute(update(Sitting).where(Sitting.id == sitting.id).values(last_number=value))
    db.session.expire(sitting, ["last_number"])
    return from_value(sitting, value)


def natural_order() -> list:
    """ORDER BY the sitting's numbering, the unnumbered last (as both databases agree to sort them)."""
    return [Submission.number_sort.is_(None), Submission.number_sort, Submission.id]


def assign_to(submission, number: CaseNumber | None):
    submission.number = number.text if number else None
    submission.number_seq = number.seq if number else None
    submission.number_sort = number.sort if number else None


def search_clause(typed: str):
    """WHERE clause finding cases by a number in any form a user types; None when it cannot be one."""
    text = normalize(typed)
    if not text or len(text) > MAX_CODE or not _CODE.match(text) or not re.search(r"\d", text):
        return None
    if text.isdigit():
        if len(text.lstrip("0")) > MAX_DIGITS:
            return None
        return or_(Submission.number == text, Submission.number_seq == int(text))
    return Submission.number == text


def find(sitting_id: int, typed: str) -> Submission | None:
    sitting = db.session.get(Sitting, sitting_id)
    try:
        number = parse(sitting, typed)
    except ServiceError:
        return None
    return clash(sitting, number)
