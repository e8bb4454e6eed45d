"""Deadline reminders: the daily scan over open duties, each reminder queued exactly once.

The scan decides, for every open duty, the latest reminder milestone reached by today (15, 7, 3,
1 days before, the day itself, every 3 days overdue ...). Each reminder has a unique key written in
the same transaction as its notifications and e-mails, so running the scan twice, after a restart,
or in two processes at once queues every reminder exactly once.
"""
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import and_, exists, func, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import aliased, joinedload

from .. import clock
from ..extensions import db
from ..maintenance import refresh_planner_statistics
from ..models import (
    Assignment,
    Feedback,
    Member,
    Notification,
    OutboxMessage,
    Reminder,
    Reply,
    Sitting,
    Submission,
    SubmissionProposer,
    User,
    UserRole,
)
from ..models.assignment import FOLLOWED
from ..vocab import ANSWERING_ROLES
from ..workflow import deadlines
from ..workflow.states import OPEN
from . import messages
from .service import notification_rows

log = logging.getLogger(__name__)

#: keys looked up, and reminders queued and committed, this many at a time
KEY_BATCH = 1000
QUEUE_BATCH = 200
#: a scan that queued this many reminders refreshes the planner's statistics of the tables it grew
ANALYZE_AFTER = 1000
GROWN_TABLES = ("reminder", "notification", "outbox_message")


@dataclass
class Duty:
    kind: str            # reply / opinion / signoff / feedback / follow_up
    assignment_id: int
    due_on: date
    #: for feedback: the day the reply was delivered; for follow_up: the day of the last progress
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


def _duty_rows(*columns, where, latest_reply=False):
    """Assignments matching `where`, with their case's sitting settings (and, if asked, their latest
    reply), as plain rows: one statement."""
    query = (select(Assignment.id, Assignment.role, Assignment.state, Assignment.due_on, Assignment.department_id,
                    Assignment.handler_id, Assignment.submission_id, Sitting.body, Sitting.review_replies,
                    Sitting.signoff_working_days, Sitting.feedback_months, *columns)
             .join(Submission, Submission.id == Assignment.submission_id)
             .join(Sitting, Sitting.id == Submission.sitting_id))
    if latest_reply:
        last_round = aliased(Reply)
        latest = select(func.max(last_round.round)).where(last_round.assignment_id == Assignment.id).scalar_subquery()
        query = query.join(Reply, and_(Reply.assignment_id == Assignment.id, Reply.round == latest))
    return db.session.execute(query.where(*where).order_by(Assignment.id))


def _common(row) -> dict:
    return dict(department_id=row.department_id, handler_id=row.handler_id, submission_id=row.submission_id,
                body=row.body)


def _sitting(row):
    """The sitting's deadline settings, for the one definition of each deadline in workflow.deadlines."""
    return SimpleNamespace(signoff_working_days=row.signoff_working_days, feedback_months=row.feedback_months)


def open_duties(today: date):
    """Every duty that may have reached a reminder by `today`, read as plain rows in three simple
    statements (one OR over an outer join made PostgreSQL walk every assignment): a reply or 会办 opinion
    only from its first reminder's day on (most open cases are weeks from theirs), every sign-off waiting,
    and every delivered reply not yet rated while its rating is still asked for."""
    config = current_app.config
    first_reminder = today + timedelta(days=max(config["REMINDER_DAYS_BEFORE"], default=0))
    for row in _duty_rows(where=[Assignment.state.in_(OPEN), Assignment.due_on <= first_reminder]):
        if row.state == "signed" and row.review_replies:
            continue  # waiting for the clerks' 答复审核: nothing for the department to do
        if row.role != "co":
            yield Duty("reply", row.id, row.due_on, **_common(row))
        elif row.state in ("pending_ack", "adjustment_requested", "drafting"):
            yield Duty("opinion", row.id, row.due_on, **_common(row))
    for row in _duty_rows(Reply.submitted_at, where=[Assignment.state == "awaiting_signoff",
                                                     Reply.submitted_at.is_not(None)], latest_reply=True):
        yield Duty("signoff", row.id, deadlines.signoff_due(_sitting(row), _local_day(row.submitted_at)),
                   **_common(row))
    # rated after REMINDER_FEEDBACK_AFTER local days, and only within the sitting's feedback period: a
    # member is not asked years later to rate a reply (the SQL bound takes the longest period of any sitting)
    after = config["REMINDER_FEEDBACK_AFTER"]
    longest = db.session.scalar(select(func.max(Sitting.feedback_months))) or 0
    for row in _duty_rows(Reply.delivered_at, where=[
            Assignment.state == "delivered", Assignment.role.in_(ANSWERING_ROLES),
            Reply.delivered_at < _utc_midnight(today - timedelta(days=after - 1)),
            Reply.delivered_at >= _utc_midnight(deadlines.add_months(today, -longest) - timedelta(days=1)),
            ~exists().where(Feedback.reply_id == Reply.id)], latest_reply=True):
        delivered_on = _local_day(row.delivered_at)
        due_on = deadlines.feedback_due(_sitting(row), delivered_on)
        if today <= due_on:
            yield Duty("feedback", row.id, due_on, since=delivered_on, **_common(row))
    # 跟踪落实 with no progress for REMINDER_FOLLOW_UP_MONTHS (read by its index, stalest first); a 二次答复
    # being drafted is a reply duty of its own
    months = config["REMINDER_FOLLOW_UP_MONTHS"]
    if months > 0:
        for row in _duty_rows(Assignment.follow_up_last_on, where=[
                text(FOLLOWED), Assignment.follow_up == "open",   # the first term: its partial index
                # add_months clamps at a month's end (11月30日 + 3 = 2月28日): a few days' slack, milestone() decides
                Assignment.follow_up_last_on <= deadlines.add_months(today, -months) + timedelta(days=3),
                Assignment.state.in_(("delivered", "dissatisfied", "closed"))]):
            yield Duty("follow_up", row.id, deadlines.add_months(row.follow_up_last_on, months),
                       since=row.follow_up_last_on, **_common(row))


def _utc_midnight(day: date) -> datetime:
    """The start of the local `day`, as the naive UTC the database keeps."""
    return clock.local_to_utc(datetime.combine(day, time()))


def milestone(duty: Duty, today: date) -> str | None:
    """The latest reminder milestone of `duty` reached by `today`, as a rule name; None before the first."""
    config = current_app.config
    if duty.kind == "feedback":  # once, some days after delivery
        after = config["REMINDER_FEEDBACK_AFTER"]
        return f"after-{after}" if (today - duty.since).days >= after else None
    if duty.kind == "follow_up":  # on the day it went stale, then once a month while nothing is recorded
        if duty.due_on > today:
            return None
        late = months_between(duty.due_on, today)
        return f"stale-{late}"
    before = [0] if duty.kind == "signoff" else config["REMINDER_DAYS_BEFORE"]
    reached = [(duty.due_on - timedelta(days=d), f"before-{d}" if d else "due") for d in before
               if duty.due_on - timedelta(days=d) <= today]
    overdue = (today - duty.due_on).days
    every = config["REMINDER_OVERDUE_EVERY"]
    if overdue >= every:
        k = overdue // every * every
        reached.append((duty.due_on + timedelta(days=k), f"overdue-{k}"))
    return max(reached)[1] if reached else None


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (add_months' own clamping: 1月31日 to 2月28日 is one)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if deadlines.add_months(start, months) <= end else months - 1


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
        if duty.kind == "follow_up":  # the department reports progress; the clerks read /follow-ups?stale=1
            return people
        if overdue:  # overdue duties also go to the department's head and to the clerks
            people += self.staff[(duty.department_id, "signer")] + self.clerks[duty.body]
        return people


def _plan_afresh():
    """On PostgreSQL, plan this transaction's statements afresh each time. A first scan grows the reminder
    and outbox tables from nothing, and plans cached while they were small (psycopg's prepared statements,
    the foreign-key checks of each INSERT) go on reading them whole: at 200,000 cases the key lookups and
    the e-mails' INSERTs took 0.6–1.2 s each, 250 s in all, instead of milliseconds."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def _existing(keys):
    _plan_afresh()
    found = set()
    for start in range(0, len(keys), KEY_BATCH):
        found.update(db.session.scalars(select(Reminder.key).where(Reminder.key.in_(keys[start:start + KEY_BATCH]))))
    return found


def _queue(batch, today) -> list[Queued]:
    """Queue one batch of new reminders with their notifications and e-mails, in one transaction and
    three INSERTs (rows, not ORM objects: a first scan queues tens of thousands)."""
    _plan_afresh()
    now = clock.now_utc()
    # the unique keys are claimed here: a concurrent scan fails on them
    ids = dict(db.session.execute(insert(Reminder).returning(Reminder.key, Reminder.id), [
        dict(key=key, duty=duty.kind, assignment_id=duty.assignment_id, rule=rule, due_on=duty.due_on, created_at=now)
        for duty, rule, key in batch]).all())
    assignments = {a.id: a for a in db.session.scalars(
        select(Assignment).where(Assignment.id.in_({d.assignment_id for d, _, _ in batch})).options(
            joinedload(Assignment.department),
            joinedload(Assignment.submission).joinedload(Submission.sitting),
            joinedload(Assignment.submission).selectinload(Submission.proposers)))}
    people_of = Recipients([d for d, _, _ in batch])
    queued, notes, emails = [], [], []
    for duty, rule, key in batch:
        assignment, days_left = assignments[duty.assignment_id], (duty.due_on - today).days
        people = people_of.of(duty, overdue=days_left < 0)
        if duty.kind == "follow_up":
            message = messages.follow_up_stale(assignment, duty.since, months_between(duty.since, today))
        else:
            message = messages.reminder(duty.kind, assignment, duty.due_on, days_left)
        told, mailed = notification_rows(people, assignment.submission_id, message, ids[key])
        notes += told
        emails += mailed
        queued.append(Queued(key, sorted({p.name for p in people if p is not None})))
    for model, rows in ((Notification, notes), (OutboxMessage, emails)):
        if rows:
            db.session.execute(insert(model), rows)
    db.session.commit()
    return queued


def scan(today: date | None = None) -> list[Queued]:
    """Queue every reminder due by `today` that was not queued before; one transaction per batch.

    The work follows what is due: duties are read as rows in three statements, their milestones worked out
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
    if len(queued) >= ANALYZE_AFTER:
        refresh_planner_statistics(GROWN_TABLES)
    return queued
