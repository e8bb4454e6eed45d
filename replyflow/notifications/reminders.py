"""Deadline reminders: the daily scan over open duties, each reminder queued exactly once.

The scan decides, for every open duty, the latest reminder milestone reached by today (15, 7, 3,
1 days before, the day itself, every 3 days overdue ...). Each reminder has a unique key written in
the same transaction as its notifications and e-mails, so running the scan twice, after a restart,
or in two processes at once queues every reminder exactly once.
"""
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import aliased, joinedload

from .. import clock
from ..extensions import db
from ..models import Assignment, Feedback, Member, Reminder, Reply, Sitting, Submission, SubmissionProposer, User, UserRole
from ..vocab import ANSWERING_ROLES
from ..workflow import deadlines
from ..workflow.states import OPEN
from . import messages
from .service import notify

log = logging.getLogger(__name__)

#: keys looked up, and reminders queued and committed, this many at a time
KEY_BATCH = 1000
QUEUE_BATCH = 200


@dataclass
class Duty:
    kind: str            # reply / opinion / signoff / feedback
    assignment_id: int
    due_on: date
    #: for feedback: the day the reply was delivered
    since: date | None = None
    department_id: int | None = None
    handler_id: int | None = None
    submission_id: int | None = None
    body: str | None = None


@dataclass
class Queued:
    key: str
    recipients: list[str]


def _local_day(moment: datetime | None) -> date | None:
    return clock.to_local(moment).date() if moment is not None else None


def open_duties(today: date):
    """Every duty that may have reached a reminder by `today`, read as plain rows in one statement: a reply
    or 会办 opinion only from its first reminder's day on (most open cases are weeks from theirs), every
    sign-off waiting, every delivered reply not yet rated whose rating reminder may be due."""
    config = current_app.config
    first_reminder = today + timedelta(days=max(config["REMINDER_DAYS_BEFORE"], default=0))
    # delivered on a local day at least REMINDER_FEEDBACK_AFTER days ago: before the next day's local midnight
    rated_before = (datetime.combine(today - timedelta(days=config["REMINDER_FEEDBACK_AFTER"] - 1), time(),
                                     tzinfo=clock.LOCAL_TZ).astimezone(timezone.utc).replace(tzinfo=None))
    last_round = aliased(Reply)
    latest = select(func.max(last_round.round)).where(last_round.assignment_id == Assignment.id).scalar_subquery()
    reply_needed = Assignment.state.in_(["awaiting_signoff", "delivered"])
    query = (
        select(Assignment.id, Assignment.role, Assignment.state, Assignment.due_on, Assignment.department_id,
               Assignment.handler_id, Submission.id.label("submission_id"), Sitting.body, Sitting.review_replies,
               Sitting.signoff_working_days, Sitting.feedback_months, Reply.submitted_at, Reply.delivered_at,
               exists().where(Feedback.reply_id == Reply.id).label("rated"))
        .join(Submission, Submission.id == Assignment.submission_id)
        .join(Sitting, Sitting.id == Submission.sitting_id)
        .outerjoin(Reply, and_(reply_needed, Reply.assignment_id == Assignment.id, Reply.round == latest))
        .where(or_(
            Assignment.state.in_(OPEN) & (Assignment.due_on <= first_reminder),
            Assignment.state == "awaiting_signoff",
            (Assignment.state == "delivered") & Assignment.role.in_(ANSWERING_ROLES)
            & (Reply.delivered_at < rated_before)))
        .order_by(Assignment.id))
    for row in db.session.execute(query):
        common = dict(department_id=row.department_id, handler_id=row.handler_id,
                      submission_id=row.submission_id, body=row.body)
        # the sitting's deadline settings, for the one definition of each deadline in workflow.deadlines
        sitting = SimpleNamespace(signoff_working_days=row.signoff_working_days, feedback_months=row.feedback_months)
        if row.state == "signed" and row.review_replies:
            continue  # waiting for the clerks' 答复审核: nothing for the department to do
        if row.state in OPEN:
            if row.due_on <= first_reminder:
                if row.role == "co":
                    if row.state in ("pending_ack", "adjustment_requested", "drafting"):
                        yield Duty("opinion", row.id, row.due_on, **common)
                else:
                    yield Duty("reply", row.id, row.due_on, **common)
            if row.state == "awaiting_signoff" and row.submitted_at is not None:
                yield Duty("signoff", row.id, deadlines.signoff_due(sitting, _local_day(row.submitted_at)), **common)
        elif row.delivered_at is not None and not row.rated:
            delivered_on = _local_day(row.delivered_at)
            yield Duty("feedback", row.id, deadlines.feedback_due(sitting, delivered_on), since=delivered_on, **common)


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


class Recipients:
    """Who is told of a batch's duties, read for the whole batch at once."""

    def __init__(self, duties):
        departments = {d.department_id for d in duties}
        self.staff = defaultdict(list)   # (department, role) → users
        for user, role in db.session.execute(
                select(User, UserRole.role).join(UserRole).where(
                    User.department_id.in_(departments), UserRole.role.in_(["handler", "signer"]),
                    User.active.is_(True)).order_by(User.id)):
            self.staff[(user.department_id, role)].append(user)
        self.clerks = defaultdict(list)   # body → clerks (a clerk of both bodies is in each)
        for user in db.session.scalars(select(User).join(UserRole).where(
                UserRole.role == "clerk", User.active.is_(True)).order_by(User.id)):
            for body in ([user.body] if user.body else ["cppcc", "npc"]):
                self.clerks[body].append(user)
        handler_ids = {d.handler_id for d in duties if d.handler_id}
        self.users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(handler_ids)))}
        rating = {d.submission_id for d in duties if d.kind == "feedback"}
        self.leads = dict(db.session.execute(
            select(SubmissionProposer.submission_id, User).join(Member, Member.id == SubmissionProposer.member_id)
            .join(User, User.id == Member.user_id)
            .where(SubmissionProposer.submission_id.in_(rating), SubmissionProposer.position == 0)).all())

    def of(self, duty: Duty, overdue: bool):
        if duty.kind == "feedback":
            lead = self.leads.get(duty.submission_id)
            return [lead] if lead is not None else []
        if duty.kind == "signoff":
            return list(self.staff[(duty.department_id, "signer")])
        handler = self.users.get(duty.handler_id)
        people = [handler] if handler is not None else list(self.staff[(duty.department_id, "handler")])
        if overdue:  # overdue duties also go to the department's head and to the clerks
            people += self.staff[(duty.department_id, "signer")] + self.clerks[duty.body]
        return people


def _existing(keys):
    found = set()
    for start in range(0, len(keys), KEY_BATCH):
        found.update(db.session.scalars(select(Reminder.key).where(Reminder.key.in_(keys[start:start + KEY_BATCH]))))
    return found


def _queue(batch, today) -> list[Queued]:
    """Queue one batch of new reminders with their notifications and e-mails, in one transaction."""
    claimed = {key: Reminder(key=key, duty=duty.kind, assignment_id=duty.assignment_id, rule=rule, due_on=duty.due_on)
               for duty, rule, key in batch}
    db.session.add_all(claimed.values())
    db.session.flush()   # the unique keys are claimed here, in one INSERT: a concurrent scan fails on them
    assignments = {a.id: a for a in db.session.scalars(
        select(Assignment).where(Assignment.id.in_({d.assignment_id for d, _, _ in batch})).options(
            joinedload(Assignment.department),
            joinedload(Assignment.submission).joinedload(Submission.sitting),
            joinedload(Assignment.submission).selectinload(Submission.proposers)))}
    people_of = Recipients([d for d, _, _ in batch])
    queued = []
    with db.session.no_autoflush:   # the batch's notifications and e-mails go in at the commit, a table at a time
        for duty, rule, key in batch:
            assignment, days_left = assignments[duty.assignment_id], (duty.due_on - today).days
            people = people_of.of(duty, overdue=days_left < 0)
            notify(people, assignment.submission, messages.reminder(duty.kind, assignment, duty.due_on, days_left),
                   reminder=claimed[key])
            queued.append(Queued(key, sorted({p.name for p in people if p is not None})))
    db.session.commit()
    return queued


def scan(today: date | None = None) -> list[Queued]:
    """Queue every reminder due by `today` that was not queued before; one transaction per batch.

    The work follows what is due: duties are read as rows in one statement, their milestones worked out
    in Python, the keys already queued looked up a thousand at a time, and only the new ones are loaded."""
    today = today or clock.today()
    plan = []
    for duty in open_duties(today):
        rule = milestone(duty, today)
        if rule is not None:
            plan.append((duty, rule, f"{duty.kind}:{duty.assignment_id}:{rule}:{duty.due_on.isoformat()}"))
    existing = _existing([key for _, _, key in plan])
    new = [item for item in plan if item[2] not in existing]
    queued = []
    for start in range(0, len(new), QUEUE_BATCH):
        batch = new[start:start + QUEUE_BATCH]
        for _ in range(3):
            try:
                queued += _queue(batch, today)
                break
            except (IntegrityError, OperationalError) as exc:
                # another scan queued some of these (or, on SQLite, holds the database): keep the rest
                db.session.rollback()
                if isinstance(exc, OperationalError) and "locked" not in str(exc):
                    raise
                taken = _existing([key for _, _, key in batch])
                log.info("%d reminder(s) already queued elsewhere", len(taken))
                batch = [item for item in batch if item[2] not in taken]
                if not batch:
                    break
    return queued
