"""The to-do lists of the 工作台, per role, each with its full count and first items."""
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from ..clock import today
from ..extensions import db
from ..models import Assignment, Sitting, Submission, SubmissionProposer
from ..services import numbering
from ..workflow.states import OPEN

SHOWN = 10


@dataclass
class TodoList:
    key: str
    title: str
    count: int
    items: list = field(default_factory=list)
    #: query arguments of /submissions showing the whole list, when it has one
    link: dict | None = None
    danger: bool = False


def _todo(key, title, query, link=None, danger=False, order=None):
    count = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(query.order_by(*(order or [])).limit(SHOWN)).all() if count else []
    return TodoList(key, title, count, items, link, danger)


def _body_filter(query, entity, user):
    if user.body is None:
        return query
    sittings = select(Sitting.id).where(Sitting.body == user.body)
    if entity is Submission:
        return query.where(Submission.sitting_id.in_(sittings))
    return query.where(Assignment.submission_id.in_(select(Submission.id).where(Submission.sitting_id.in_(sittings))))


def _deadline_lists(base):
    now = today()
    soon = now + timedelta(days=current_app.config["DUE_SOON_DAYS"])
    open_ = base.where(Assignment.state.in_(OPEN))
    return [
        _todo("due_soon", "即将到期", open_.where(Assignment.due_on >= now, Assignment.due_on <= soon),
              order=[Assignment.due_on]),
        _todo("overdue", "已超期", open_.where(Assignment.due_on < now), link={"overdue": "1"}, danger=True,
              order=[Assignment.due_on]),
    ]


def _reviewed_sittings(reviewed: bool):
    """Assignments whose sitting does (or does not) review signed replies before delivery."""
    return Assignment.submission_id.in_(select(Submission.id).where(Submission.sitting_id.in_(
        select(Sitting.id).where(Sitting.review_replies.is_(reviewed)))))


def clerk_lists(user):
    subs = lambda state: _body_filter(select(Submission).where(Submission.state == state), Submission, user)  # noqa: E731
    assigned = _body_filter(select(Assignment), Assignment, user)
    by_number = numbering.natural_order()
    return [
        _todo("to_review", "待立案", subs("registered"), {"state": "registered"}, order=by_number),
        _todo("to_assign", "待交办", subs("accepted"), {"state": "accepted"}, order=by_number),
        _todo("adjustments", "申请调整", assigned.where(Assignment.state == "adjustment_requested"),
              order=[Assignment.id]),
        _todo("to_check", "待审核答复", assigned.where(Assignment.state == "signed", _reviewed_sittings(True)),
              order=[Assignment.id]),
        _todo("dissatisfied", "不满意待处理", assigned.where(Assignment.state == "dissatisfied"), danger=True,
              order=[Assignment.id]),
        *_deadline_lists(assigned),
        _todo("awaiting_feedback", "待评价", assigned.where(Assignment.state == "delivered"),
              order=[Assignment.due_on]),
    ]


def department_lists(user):
    mine = select(Assignment).where(Assignment.department_id == user.department_id)
    lists = []
    if user.has_role("handler"):
        lists += [
            _todo("to_acknowledge", "待签收", mine.where(Assignment.state == "pending_ack"), order=[Assignment.due_on]),
            _todo("to_draft", "待起草", mine.where(Assignment.state == "drafting"), order=[Assignment.due_on]),
            _todo("to_deliver", "已签发待答复", mine.where(
                (Assignment.state == "approved") | ((Assignment.state == "signed") & _reviewed_sittings(False))),
                order=[Assignment.due_on]),
        ]
    if user.has_role("signer"):
        lists.append(_todo("to_sign", "待签发", mine.where(Assignment.state == "awaiting_signoff"),
                           order=[Assignment.due_on]))
    return lists + _deadline_lists(mine)


def member_lists(user):
    member = user.member
    if member is None:
        return []
    own = select(SubmissionProposer.submission_id).where(SubmissionProposer.member_id == member.id)
    lead_of = select(SubmissionProposer.submission_id).where(
        SubmissionProposer.member_id == member.id, SubmissionProposer.position == 0)
    return [
        _todo("to_rate", "待评价", select(Assignment).where(
            Assignment.state == "delivered", Assignment.submission_id.in_(lead_of)), order=[Assignment.id]),
        _todo("returned", "退回修改", select(Submission).where(
            Submission.state == "returned", Submission.id.in_(lead_of)), {"state": "returned"}, danger=True),
        _todo("mine", "我的提案/建议", select(Submission).where(Submission.id.in_(own)), {},
              order=[Submission.submitted_on.desc(), Submission.id.desc()]),
    ]


def lists_for(user):
    """Sections of the dashboard: (title, [TodoList]) for each role the user holds."""
    sections = []
    if user.has_role("clerk"):
        sections.append(("提案建议工作", clerk_lists(user)))
    if user.has_role("handler", "signer") and user.department_id:
        sections.append((user.department.name, department_lists(user)))
    if user.has_role("member"):
        sections.append(("我的提案建议", member_lists(user)))
    return sections
