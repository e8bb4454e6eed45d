"""Deadline reminders: the daily scan over open duties, each reminder queued exactly once.

The scan decides, for every open duty, the latest reminder milestone reached by today (15, 7, 3,
1 days before, the day itself, every 3 days overdue ...). Each reminder has a unique key written in
the same transaction as its notifications and e-mails, so running the scan twice, after a restart,
or in two processes at once queues every reminder exactly once.
"""
import logging
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from .. import clock
from ..extensions import db
from ..models import Assignment, Reminder
from ..workflow import deadlines
from ..workflow.states import OPEN
from . import messages
from .service import clerks_for, department_users, notify

log = logging.getLogger(__name__)


@dataclass
class Duty:
    kind: str            # reply / opinion / signoff / feedback
    assignment: Assignment
    due_on: date
    #: for feedback: the day the reply was delivered
    since: date | None = None


@dataclass
class Queued:
    key: str
    recipients: list[str]


def open_duties(today: date):
    query = select(Assignment).where(Assignment.state.in_([*OPEN, "delivered"])).order_by(Assignment.id)
    for a in db.session.scalars(query):
        sitting = a.submission.sitting
        if a.state == "signed" and sitting.review_replies:
            continue  # waiting for the clerks' 答复审核: nothing for the department to do
        if a.state in OPEN:
            if a.role == "co":
                if a.state in ("pending_ack", "adjustment_requested", "drafting"):
                    yield Duty("opinion", a, a.due_on)
            else:
                yield Duty("reply", a, a.due_on)
            reply = a.current_reply
            if a.state == "awaiting_signoff" and reply is not None and reply.submitted_at is not None:
                yield Duty("signoff", a, deadlines.signoff_due(sitting, clock.to_local(reply.submitted_at).date()))
        elif a.answers:
            reply = a.current_reply
            if reply is not None and reply.delivered_at is not None and reply.feedback is None:
                delivered_on = clock.to_local(reply.delivered_at).date()
                yield Duty("feedback", a, deadlines.feedback_due(sitting, delivered_on), since=delivered_on)


def milestone(duty: Duty, today: date) -> str | None:
    """The latest reminder milestone of `duty` reached by `today`, as a rule name; None before the first."""
    config = current_app.config
    if duty.kind == "feedback":  # once, some days after delivery
        after = config["REMINDER_FEEDBACK_AFTER"]
        return f"after-{after}" if (today - duty.since).days >= after else None
    before = [0] if duty.kind == "signoff" else config["REMINDER_DAYS_BEFORE"]
    reached = [(duty.due_on - timedelta(days=d), f"before-{d}" if d else "due") for d in before
               if duty.due_on - timedelta(days=d) <= today]
    overdue = (today - duty.due_on).days
    every = config["REMINDER_OVERDUE_EVERY"]
    if overdue >= every:
        k = overdue // every * every
        reached.append((duty.due_on + timedelta(days=k), f"overdue-{k}"))
    return max(reached)[1] if reached else None


def recipients(duty: Duty, overdue: bool):
    a = duty.assignment
    if duty.kind == "feedback":
        lead = a.submission.lead
        return [lead.user] if lead is not None and lead.user is not None else []
    if duty.kind == "signoff":
        return department_users(a.department_id, "signer")
    people = [a.handler] if a.handler is not None else department_users(a.department_id, "handler")
    if overdue:  # overdue duties also go to the department's head and to the clerks
        people += department_users(a.department_id, "signer") + clerks_for(a.submission.sitting.body)
    return people


def scan(today: date | None = None) -> list[Queued]:
    """Queue every reminder due by `today` that was not queued before. Commits per reminder."""
    today = today or clock.today()
    plan = []
    for duty in open_duties(today):
        rule = milestone(duty, today)
        if rule is not None:
            plan.append((duty, rule, f"{duty.kind}:{duty.assignment.id}:{rule}:{duty.due_on.isoformat()}"))
    existing = set(db.session.scalars(select(Reminder.key).where(Reminder.key.in_([k for _, _, k in plan]))))
    queued = []
    for duty, rule, key in plan:
        if key in existing:
            continue
        assignment_id, days_left = duty.assignment.id, (duty.due_on - today).days
        try:
            reminder = Reminder(key=key, duty=duty.kind, assignment_id=assignment_id, rule=rule, due_on=duty.due_on)
            db.session.add(reminder)
            db.session.flush()  # the unique key is claimed here; a concurrent scan fails on it
            assignment = db.session.get(Assignment, assignment_id)
            people = recipients(Duty(duty.kind, assignment, duty.due_on), overdue=days_left < 0)
            notify(people, assignment.submission, messages.reminder(duty.kind, assignment, duty.due_on, days_left),
                   reminder=reminder)
            db.session.commit()
        except (IntegrityError, OperationalError) as exc:
            db.session.rollback()
            if isinstance(exc, OperationalError) and "locked" not in str(exc):
                raise
            log.info("reminder %s already queued elsewhere", key)
            continue
        queued.append(Queued(key, sorted({p.name for p in people if p is not None})))
    return queued
