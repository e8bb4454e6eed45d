"""What the case page shows to one user: the case, and exactly the actions they may take now."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload, selectinload

from .. import permissions as perm
from ..actions.registry import BY_TRANSITION, CaseAction
from ..clock import today
from ..extensions import db
from ..models import (
    AnswerClass,
    Assignment,
    Attachment,
    ContactRecord,
    Event,
    Feedback,
    FollowUpProgress,
    Reply,
    ReplyVersion,
    Submission,
    SupervisionRecord,
    User,
)
from ..vocab import FOLLOW_UP_STATES
from ..workflow import engine

#: timeline entries a proposer sees; the rest is the offices' internal working
PUBLIC_ACTIONS = {
    "register", "accept", "reject", "return_for_revision", "resubmit", "merge", "convert", "assign",
    "assign_department", "grant_adjustment", "deliver_reply", "feedback_satisfied",
    "feedback_dissatisfied", "order_rehandling", "close_assignment", "all_answered", "close_case", "reopen",
    "submit_online", "request_withdrawal", "confirm_withdrawal", "refuse_withdrawal", "add_cosigner_opinion",
    "record_progress", "start_second_answer",
}


@dataclass
class Offer:
    """One action the user may take now, ready to render."""

    action: CaseAction
    label: str
    url: str
    form: object | None
    #: why it cannot be done yet (a guard that does not hide it), shown under a disabled button
    blocked: str | None = None


def offers(user, obj) -> list[Offer]:
    """The registry rows for the transitions `user` may start on `obj` now, in registry order."""
    ctx = {"today": today()}
    found: dict[str, Offer] = {}
    for t in engine.available(user, obj):
        spec = BY_TRANSITION.get(t.name)
        if spec is None or spec.name in found:
            continue
        found[spec.name] = Offer(spec, spec.button(user, obj), spec.url(obj),
                                 spec.form(user, obj) if spec.form else None,
                                 t.guard(user, obj, ctx) if t.guard else None)
    order = {name: i for i, name in enumerate(BY_TRANSITION)}
    return sorted(found.values(), key=lambda o: order[o.action.transition])


def loaded_for_the_page():
    """Everything the case page shows, in a fixed number of statements whatever the case holds: small
    collections joined to their row, the larger ones one SELECT … IN each; never a version's text, and the
    people named on the page (actors, signers) without their roles, which the page does not ask."""
    def person(relationship):
        return joinedload(relationship).lazyload(User.role_rows)

    replies = selectinload(Submission.assignments).selectinload(Assignment.replies)
    return [
        joinedload(Submission.sitting), joinedload(Submission.category), joinedload(Submission.merged_into),
        selectinload(Submission.proposers),
        selectinload(Submission.attachments).defer(Attachment.data),
        selectinload(Submission.merged),
        # joined: a handful of rows at most, and the page keeps its fixed number of statements
        joinedload(Submission.supervision_records).options(person(SupervisionRecord.recorded_by)),
        selectinload(Submission.events).options(person(Event.actor), joinedload(Event.assignment)),
        selectinload(Submission.assignments).options(
            joinedload(Assignment.extensions), joinedload(Assignment.contacts).options(person(ContactRecord.recorded_by)),
            joinedload(Assignment.progress).options(person(FollowUpProgress.recorded_by))),
        replies.options(person(Reply.signed_by), person(Reply.reviewed_by),
                        joinedload(Reply.feedback).options(person(Feedback.entered_by)),
                        joinedload(Reply.cosigner_opinions)),
        replies.selectinload(Reply.versions).options(defer(ReplyVersion.data), person(ReplyVersion.saved_by)),
    ]


def superseded(replies) -> set[int]:
    """The replies a later round replaced: each but the last, unless it was delivered and the next is its
    二次答复 (which follows it, it does not replace it)."""
    return {r.id for r, after in zip(replies, replies[1:]) if not (after.second_answer and r.delivered_at)}


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
            "superseded": superseded(a.replies),
            "offers": offers(user, a) if host is submission else [],
            "replies": replies,
            "drafts_visible": perm.can_view_drafts(user, a),
        })
    events = [e for e in submission.events if internal or e.action in PUBLIC_ACTIONS]
    lead_assignment = next((a for a in host.active_assignments if a.role == "lead"), None)
    return {
        "submission": submission,
        "host": host,
        "internal": internal,
        "contacts_visible": perm.sees_contacts(user, host),
        "offers": offers(user, submission),
        "assignments": assignments,
        "lead_assignment": lead_assignment,
        "opinions": [a for a in host.active_assignments if a.role == "co" and a.opinion],
        "events": events,
        "answer_classes": {c.code: c.label for c in db.session.scalars(
            select(AnswerClass).where(AnswerClass.body == submission.sitting.body))},
        "follow_up_states": FOLLOW_UP_STATES,
    }
