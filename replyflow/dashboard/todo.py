"""The to-do lists of the 工作台, per role, each with its count (up to COUNT_CAP, then 99+) and first items.

Built for a province's archive: all counts come in one statement (each box's rows counted up to a cap by
the index that suits it), every list's first items from one UNION of small sorted LIMITs, and the items
with what the page shows in two more statements — the number of statements stays the same however many
cases there are, and no count reads more than a box's first hundred rows."""
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, literal, select, true, union_all
from sqlalchemy.orm import joinedload, selectinload

from .. import planner
from ..clock import today
from ..extensions import db
from ..models import Assignment, Sitting, Submission, SubmissionProposer
from ..paging import count_up_to
from ..services import numbering
from ..workflow.states import OPEN

SHOWN = 10
#: a box counts its rows up to this many and then shows 99+, as the office's messaging apps do: a full count
#: of a province's archive costs more than the whole page, and the list behind the box counts further
COUNT_CAP = 99


@dataclass
class TodoList:
    key: str
    title: str
    count: int = 0
    items: list = field(default_factory=list)
    #: query arguments of /submissions showing the whole list, when it has one, or the endpoint of its page
    link: dict | str | None = None
    danger: bool = False
    #: more than COUNT_CAP rows
    more: bool = False


@dataclass
class Box:
    """One list: which rows of `entity` it holds and in what order its first items come."""
    key: str
    title: str
    entity: type
    where: object
    order: list
    link: dict | str | None = None
    danger: bool = False


def _case_is(*conditions):
    """Assignments whose case's sitting meets `conditions`. EXISTS, not IN: with IN SQLite walks every case
    of the sittings to probe its assignments, instead of reading a box's few assignments by their state
    and looking up each one's case."""
    return (select(Submission.id).join(Sitting, Sitting.id == Submission.sitting_id)
            .where(Submission.id == Assignment.submission_id, *conditions).exists())


def _in_body(entity, user):
    """A clerk of one body sees that body's cases only (TRUE for a clerk of both)."""
    if user.body is None:
        return true()
    return planner.body_clause(user.body, entity)


def _reviewed_sittings(reviewed: bool):
    """Assignments whose sitting does (or does not) review signed replies before delivery."""
    return _case_is(Sitting.review_replies.is_(reviewed))


def _deadline_boxes(scope):
    now = today()
    soon = now + timedelta(days=current_app.config["DUE_SOON_DAYS"])
    open_ = Assignment.state.in_(OPEN) & scope
    return [
        Box("due_soon", "即将到期", Assignment, open_ & (Assignment.due_on >= now) & (Assignment.due_on <= soon),
            [Assignment.due_on, Assignment.id]),
        Box("overdue", "已超期", Assignment, open_ & (Assignment.due_on < now), [Assignment.due_on, Assignment.id],
            link={"overdue": "1"}, danger=True),
    ]


def clerk_boxes(user):
    body_s, body_a = _in_body(Submission, user), _in_body(Assignment, user)
    by_number = [Submission.sitting_id.desc(), *numbering.natural_order()]   # the list's order, indexed
    return [
        Box("to_review", "待立案", Submission, (Submission.state == "registered") & body_s, by_number,
            {"state": "registered"}),
        Box("to_assign", "待交办", Submission, (Submission.state == "accepted") & body_s, by_number,
            {"state": "accepted"}),
        Box("adjustments", "申请调整", Assignment, (Assignment.state == "adjustment_requested") & body_a,
            [Assignment.id]),
        Box("to_check", "待审核答复", Assignment, (Assignment.state == "signed") & _reviewed_sittings(True) & body_a,
            [Assignment.id]),
        Box("dissatisfied", "不满意待处理", Assignment, (Assignment.state == "dissatisfied") & body_a, [Assignment.id],
            danger=True),
        *_deadline_boxes(body_a),
        Box("awaiting_feedback", "待评价", Assignment, (Assignment.state == "delivered") & body_a,
            [Assignment.due_on, Assignment.id]),
    ]


def department_boxes(user):
    mine = Assignment.department_id == user.department_id
    boxes = []
    if user.has_role("handler"):
        boxes += [
            Box("to_acknowledge", "待签收", Assignment, mine & (Assignment.state == "pending_ack"),
                [Assignment.due_on, Assignment.id]),
            Box("to_draft", "待起草", Assignment, mine & (Assignment.state == "drafting"), [Assignment.due_on, Assignment.id]),
            Box("to_deliver", "已签发待答复", Assignment, mine & Assignment.state.in_(["approved", "signed"]) & (
                (Assignment.state == "approved") | _reviewed_sittings(False)),
                [Assignment.due_on, Assignment.id]),
        ]
    if user.has_role("signer"):
        boxes.append(Box("to_sign", "待签发", Assignment, mine & (Assignment.state == "awaiting_signoff"),
                         [Assignment.due_on, Assignment.id]))
    return boxes + _deadline_boxes(mine)


def member_boxes(user):
    member = user.member
    if member is None:
        return []
    own = select(SubmissionProposer.submission_id).where(SubmissionProposer.member_id == member.id)
    lead_of = select(SubmissionProposer.submission_id).where(
        SubmissionProposer.member_id == member.id, SubmissionProposer.position == 0)
    return [
        Box("to_rate", "待评价", Assignment, (Assignment.state == "delivered") & Assignment.submission_id.in_(lead_of),
            [Assignment.id]),
        Box("returned", "退回修改", Submission, (Submission.state == "returned") & Submission.id.in_(lead_of),
            [Submission.id], {"state": "returned"}, danger=True),
        Box("mine", "我的提案/建议", Submission, Submission.id.in_(own),
            [Submission.submitted_on.desc(), Submission.id.desc()], "mine.index"),
    ]


def _fill(sections):
    """Counts and first items of every box of every section, in a fixed number of statements."""
    boxes = [box for _, section in sections for box in section]
    lists = {box.key: TodoList(box.key, box.title, link=box.link, danger=box.danger) for box in boxes}
    if not boxes:
        return []
    # one statement: for each box, its rows counted up to COUNT_CAP + 1 by the index that suits it
    counted = db.session.execute(select(*[
        count_up_to(select(box.entity.id).where(box.where), COUNT_CAP).scalar_subquery().label(box.key)
        for box in boxes])).one()
    for box in boxes:
        found = getattr(counted, box.key)
        lists[box.key].count, lists[box.key].more = min(found, COUNT_CAP), found > COUNT_CAP
    for entity in (Submission, Assignment):
        parts = []
        for box in boxes:
            if box.entity is entity and lists[box.key].count:
                first = (select(entity.id, func.row_number().over(order_by=box.order).label("n"))
                         .where(box.where).order_by(*box.order).limit(SHOWN).subquery())
                parts.append(select(literal(box.key).label("box"), first.c.id, first.c.n))
        if not parts:
            continue
        keyed = db.session.execute(union_all(*parts)).all()
        loaded = {row.id: row for row in db.session.scalars(select(entity).where(
            entity.id.in_({k.id for k in keyed})).options(*_shown(entity)))}
        for k in sorted(keyed, key=lambda k: (k.box, k.n)):
            lists[k.box].items.append(loaded[k.id])
    return [(title, [lists[box.key] for box in section]) for title, section in sections]


def _shown(entity):
    """What an item's line shows, loaded with it."""
    if entity is Submission:
        return [joinedload(Submission.sitting),
                selectinload(Submission.proposers).joinedload(SubmissionProposer.member)]
    return [joinedload(Assignment.department), joinedload(Assignment.submission).joinedload(Submission.sitting)]


def lists_for(user):
    """Sections of the dashboard: (title, [TodoList]) for each role the user holds."""
    sections = []
    if user.has_role("clerk"):
        sections.append(("提案建议工作", clerk_boxes(user)))
    if user.has_role("handler", "signer") and user.department_id:
        sections.append((user.department.name, department_boxes(user)))
    if user.has_role("member"):
        sections.append(("我的提案建议", member_boxes(user)))
    return _fill(sections)
