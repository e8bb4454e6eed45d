"""The submission list: visibility, filters, keyword search and sorting as one SELECT."""
from sqlalchemy import case, exists, or_, select

from .. import search
from ..clock import today
from ..extensions import db
from ..inputs import bounded_int, ids_of
from ..models import Assignment, Member, Submission, SubmissionProposer
from ..permissions import visible_submissions_clause
from ..services import numbering
from ..workflow.states import SUBMISSION_STATES

SORTS = {
    "number": "编号",
    "newest": "最近登记",
    "submitted": "提交日期",
    "due": "办理期限",
}


def _int(value):
    return bounded_int(value)


#: the most ids a list's ids= argument holds
MAX_IDS = 2000


def ids_in(value) -> list[int] | None:
    """ids=1,2,3: the cases asked for; None when not asked, [] when asked but none is an id (matching none)."""
    if value is None:
        return None
    return ids_of(str(value).split(",")[:MAX_IDS])


def overdue_clause(on=None):
    """已超期: an open assignment past its due date, i.e. the case's earliest open due date is past."""
    return Submission.next_due_on < (on or today())


def submission_query(user, args):
    """SELECT of the submissions `user` may see, filtered by the list's query arguments."""
    query = select(Submission)
    visible = visible_submissions_clause(user)
    if visible is not None:
        query = query.where(visible)

    q = (args.get("q") or "").strip()
    rank = None
    if q:
        # a case number finds its case at once (an index lookup); anything else, or a number no
        # case has, searches titles and proposers through the search index
        by_number = numbering.search_clause(q)
        if by_number is not None and db.session.scalar(query.with_only_columns(Submission.id).where(by_number)
                                                       .limit(1)) is not None:
            query = query.where(by_number)
        elif (indexed := search.matches(q, db.session.get_bind().dialect.name)) is not None:
            found, in_title = indexed
            query = query.where(found)
            if not args.get("sort") and in_title is not None:   # ranked: hits in the title or proposers first
                rank = case((in_title, 0), else_=1)
        else:   # a lone Chinese character: no index can serve it, so a scan
            like = f"%{q}%"
            by_proposer = exists().where(
                SubmissionProposer.submission_id == Submission.id,
                SubmissionProposer.member_id == Member.id, Member.name.ilike(like))
            query = query.where(or_(Submission.title.ilike(like), by_proposer))
    if (ids := ids_in(args.get("ids"))) is not None:   # the cases ticked for a batch export
        query = query.where(Submission.id.in_(ids) if ids else Submission.id.is_(None))
    if args.get("state") in SUBMISSION_STATES:
        query = query.where(Submission.state == args["state"])
    if (sitting := _int(args.get("sitting"))) is not None:
        query = query.where(Submission.sitting_id == sitting)
    if args.get("kind") in ("proposal", "suggestion"):
        query = query.where(Submission.kind == args["kind"])
    if (category := _int(args.get("category"))) is not None:
        query = query.where(Submission.category_id == category)
    if (department := _int(args.get("department"))) is not None:
        query = query.where(exists().where(
            Assignment.submission_id == Submission.id, Assignment.department_id == department,
            Assignment.state != "reassigned"))
    if args.get("overdue") == "1":
        query = query.where(overdue_clause())
    if args.get("key") == "1":
        query = query.where(Submission.is_key.is_(True))
    if args.get("incomplete") == "1":   # 信息不全: brought in without its text or its date
        query = query.where(or_(Submission.content.is_(None), Submission.content == "",
                                Submission.submitted_on.is_(None)))

    sort = args.get("sort") if args.get("sort") in SORTS else "number"
    if rank is not None:
        query = query.order_by(rank)
    if sort == "newest":
        query = query.order_by(Submission.created_at.desc(), Submission.id.desc())
    elif sort == "submitted":
        query = query.order_by(Submission.submitted_on.desc(), Submission.id.desc())
    elif sort == "due":
        query = query.order_by(Submission.next_due_on.is_(None), Submission.next_due_on, Submission.id)
    else:
        query = query.order_by(Submission.sitting_id.desc(), *numbering.natural_order())
    return query

