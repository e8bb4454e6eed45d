"""Which replies are public, and the public list's filters.

A reply is public when its 公开属性 is 公开 and it has been delivered: 依申请公开 and 不公开 replies, drafts
and signed replies not yet delivered are never read here, by the list or by an address."""
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager

from .. import planner, search
from ..clock import today
from ..extensions import db
from ..models import Assignment, Department, Reply, Sitting, Submission
from ..models.search_terms import runs

PUBLIC = and_(Reply.disclosure == "public", Reply.delivered_at.is_not(None))


def published(reply_id: int) -> Reply | None:
    """The public reply of that id, with what its page shows; None for any other reply."""
    return db.session.scalar(_base().where(Reply.id == reply_id))


def _base():
    return (select(Reply).join(Reply.assignment).join(Assignment.submission).where(PUBLIC)
            .options(contains_eager(Reply.assignment).contains_eager(Assignment.submission)
                     .joinedload(Submission.sitting),
                     contains_eager(Reply.assignment).joinedload(Assignment.department)))


class Refused(ValueError):
    """A keyword the index cannot look up (a lone Chinese character)."""


def listing(sitting_id=None, department_id=None, year=None, keyword="", dialect="sqlite"):
    """The public replies matching the filters, newest first (the order of ix_reply_public)."""
    query = _base()
    newest = Reply.issue_date
    if sitting_id:
        query = query.where(Submission.sitting_id == sitting_id)
        if dialect == "sqlite" and not planner.is_many(select(Submission.id).where(Submission.sitting_id == sitting_id)):
            # a sitting of few cases: start from them and sort, rather than walk every public reply newest
            # first for theirs (SQLite keeps no per-value statistics; 143 ms for 41 cases among 200,000)
            newest = func.coalesce(Reply.issue_date, Reply.issue_date)
    if department_id:
        query = query.where(Assignment.department_id == department_id)
    if year:
        query = query.where(Reply.issue_date >= date(year, 1, 1), Reply.issue_date <= date(year, 12, 31))
    if keyword:
        in_text = search.in_full_text(keyword, dialect)
        if in_text is None:
            raise Refused("关键词请至少输入两个连续的汉字，或一个完整的词。")
        # the index holds the case's own text and all its replies: what is found must be in this reply's words
        query = query.where(in_text, *(or_(Reply.title.icontains(word, autoescape=True),
                                           Reply.body.icontains(word, autoescape=True)) for word in runs(keyword)))
    return query.order_by(newest.desc(), Reply.id.desc())


def choices():
    """(sittings, departments, years) that have public replies' cases: what the filters offer."""
    sittings = db.session.scalars(select(Sitting).order_by(Sitting.year.desc(), Sitting.name)).all()
    departments = db.session.scalars(select(Department).where(Department.active.is_(True))
                                     .order_by(Department.name)).all()
    # a sitting's replies are issued in its year or the next
    years = sorted({y for s in sittings for y in (s.year, s.year + 1) if y <= today().year}, reverse=True)
    return sittings, departments, years


def heading(reply) -> str:
    """对市十六届人大五次会议第0078号建议的答复（关于…的建议）, as offices publish it."""
    submission = reply.assignment.submission
    named = f"{submission.sitting.name}{submission.number_label}{submission.kind_label}" if submission.number \
        else f"{submission.sitting.name}{submission.kind_label}"
    return f"对{named}的答复（{submission.title}）"
