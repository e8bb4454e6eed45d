"""What the case page shows to one user: the case, and exactly the actions they may take now."""
from sqlalchemy import select

from .. import permissions as perm
from ..extensions import db
from ..models import AnswerClass, Department, RejectionGround
from ..workflow import engine

#: timeline entries a proposer sees; the rest is the offices' internal working
PUBLIC_ACTIONS = {
    "register", "accept", "reject", "return_for_revision", "resubmit", "merge", "convert", "assign",
    "assign_department", "grant_adjustment", "deliver_reply", "feedback_satisfied",
    "feedback_dissatisfied", "order_rehandling", "close_assignment", "all_answered", "close_case", "reopen",
}


def build_case_page(user, submission) -> dict:
    internal = perm.sees_internal(user, submission)
    host = submission.answer_host
    assignments = []
    for a in host.assignments:
        if not internal and a.state == "reassigned":
            continue
        replies = [r for r in a.replies if perm.can_view_reply(user, r)]
        assignments.append({
            "obj": a,
            "actions": {t.name for t in engine.available(user, a)} if host is submission else set(),
            "replies": replies,
            "drafts_visible": perm.can_view_drafts(user, a),
        })
    events = [e for e in submission.events if internal or e.action in PUBLIC_ACTIONS]
    lead_assignment = next((a for a in host.active_assignments if a.role == "lead"), None)
    return {
        "submission": submission,
        "host": host,
        "internal": internal,
        "actions": {t.name for t in engine.available(user, submission)},
        "assignments": assignments,
        "lead_assignment": lead_assignment,
        "opinions": [a for a in host.active_assignments if a.role == "co" and a.opinion],
        "events": events,
        "grounds": db.session.scalars(select(RejectionGround).where(RejectionGround.active.is_(True))
                                      .order_by(RejectionGround.position)).all(),
        "departments": db.session.scalars(select(Department).where(Department.active.is_(True))
                                          .order_by(Department.name)).all(),
        "answer_classes": {c.code: c.label for c in db.session.scalars(
            select(AnswerClass).where(AnswerClass.body == submission.sitting.body))},
    }
