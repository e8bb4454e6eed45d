"""Writing and reading in-app notifications. Functions flush at most; the request commits."""
from sqlalchemy import select, update

from ..clock import now_utc
from ..extensions import db
from ..models import Notification, OutboxMessage, User, UserRole
from ..paging import count_up_to


def notification_rows(users, submission_id, message, reminder_id=None, draft_id=None):
    """(notifications, outbox rows) telling each user once (inactive users skipped) `message` in the app;
    by e-mail when it has a subject, e-mail is on and the user has an address and wants e-mail; by SMS when
    it has a text message, SMS is on and the user has a mobile number and wants SMS: plain rows, for notify()
    and for the reminder scan's bulk INSERTs."""
    from .outbox import email_enabled, sms_enabled

    notes, outbox, seen = [], [], set()
    mail = bool(message.subject) and email_enabled()
    texts = bool(message.sms) and sms_enabled()
    now = now_utc()
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        notes.append(dict(user_id=user.id, submission_id=submission_id, draft_id=draft_id, message=message.line[:300],
                          created_at=now))
        if mail and user.email and user.email_enabled:
            outbox.append(dict(user_id=user.id, channel="email", to_address=user.email, subject=message.subject[:200],
                               body=message.body, reminder_id=reminder_id, next_attempt_at=now, created_at=now))
        if texts and user.mobile and user.sms_enabled:
            outbox.append(dict(user_id=user.id, channel="sms", to_address=user.mobile, subject="短信",
                               body=message.sms, reminder_id=reminder_id, next_attempt_at=now, created_at=now))
    return notes, outbox


def notify(users, submission, message, reminder=None, draft=None):
    """Tell each user (once each, inactive users skipped) `message` (a messages.Message) in the app, and by
    e-mail and SMS where it has them and they are on. Written in the caller's transaction."""
    notes, outbox = notification_rows(users, submission.id if submission else None, message,
                                      reminder.id if reminder is not None else None, draft.id if draft else None)
    db.session.add_all([Notification(**row) for row in notes] + [OutboxMessage(**row) for row in outbox])


def tell_proposers(submission, build, exclude=()):
    """Tell the proposers of `submission` and of the cases merged into it, each once, in words about
    their own case: `build(own)` gives the Message for the proposers of `own`."""
    seen = set(exclude)
    for own in [submission, *submission.merged]:
        users = [m.user for m in own.members if m.user is not None and m.user.id not in seen]
        seen.update(u.id for u in users)
        if users:
            notify(users, submission, build(own))


def department_users(department_id, role):
    return db.session.scalars(
        select(User).join(UserRole).where(User.department_id == department_id, UserRole.role == role,
                                          User.active.is_(True))
    ).all()


def clerks_for(body):
    return db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == "clerk", User.active.is_(True),
                                          (User.body == body) | User.body.is_(None))
    ).all()


#: the bell counts unread notifications up to this many, then shows 99+
UNREAD_CAP = 99


def unread_count(user) -> int:
    """`user`'s unread notifications, counted up to UNREAD_CAP + 1 (a clerk may hold tens of thousands)."""
    unread = select(Notification.id).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    return db.session.scalar(count_up_to(unread, UNREAD_CAP))


def unread_label(count: int) -> str:
    return f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count)


def mark_read(user, notification_ids=None):
    """Mark `user`'s unread notifications (or those of `notification_ids`) read, in one UPDATE."""
    query = (update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
             .values(read_at=now_utc()).execution_options(synchronize_session=False))
    if notification_ids is not None:
        query = query.where(Notification.id.in_(notification_ids))
    db.session.execute(query)
