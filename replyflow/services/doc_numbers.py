"""发文字号: each department numbers its documents per year (常人才办〔2025〕24号), taken at signing.

A number is taken only when a reply is signed, so a draft opened and abandoned, or a re-handling
round, never burns one. The counter row is updated, not read, to take a number: two signers at
once are served one after the other and never get the same number.
"""
from sqlalchemy import select, update

from ..documents.spec import DOC_NUMBER
from ..extensions import db
from ..models import Assignment, DocNumberCounter, Reply
from . import ServiceError


def used_by_other(department_id: int, number: str, reply_id: int | None) -> bool:
    query = select(Reply.id).join(Assignment).where(Assignment.department_id == department_id,
                                                    Reply.doc_number == number)
    if reply_id is not None:
        query = query.where(Reply.id != reply_id)
    return db.session.scalar(query.limit(1)) is not None


def _highest_used(department_id: int, year: int) -> int:
    used = db.session.scalars(select(Reply.doc_number).join(Assignment).where(
        Assignment.department_id == department_id, Reply.doc_number.like(f"%〔{year}〕%"))).all()
    return max((int(m["seq"]) for n in used if (m := DOC_NUMBER.match(n or "")) and int(m["year"]) == year),
               default=0)


def _insert_ignoring_existing(**values):
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(DocNumberCounter).values(**values).on_conflict_do_nothing(
        index_elements=["department_id", "year"]))


def take(department, year: int, reply_id: int | None = None) -> str:
    """The department's next free number of `year`."""
    if db.session.get(DocNumberCounter, (department.id, year)) is None:
        # first use in a year: continue after the numbers typed by hand before the counter existed
        _insert_ignoring_existing(department_id=department.id, year=year, last=_highest_used(department.id, year))
    for _ in range(1000):
        seq = db.session.execute(update(DocNumberCounter).where(
            DocNumberCounter.department_id == department.id, DocNumberCounter.year == year)
            .values(last=DocNumberCounter.last + 1).returning(DocNumberCounter.last)).scalar_one()
        number = f"{department.doc_prefix}〔{year}〕{seq}号"
        if not used_by_other(department.id, number, reply_id):
            return number
    raise ServiceError("本单位今年的发文字号已无法自动编号，请手工填写。")

