"""Writing and reading in-app notifications. Functions flush at most; the request commits."""
from sqlalchemy import func, select

from ..clock import now_utc
from ..extensions import db
from ..models import Notification, User, UserRole


def notify(users, submission, message, reminder=None):
    """Tell each user (once each, inactive users skipped) `message` (a messages.Message) in the app,
    and by e-mail when it has a subject and e-mail is on. Written in the caller's transaction."""
    from .outbox import queue_email

    seen = set()
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        db.session.add(Notification(user_id=user.id, submission_id=submission.id if submission else None,
                                    message=message.line[:300]))
        if message.subject:
            queue_email(user, message.subject, message.body, reminder=reminder)


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


def unread_count(user) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == user.id,
                                                  Notification.read_at.is_(None))
    ) or 0


def mark_read(user, notification_ids=None):
    query = select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_ids is not None:
        query = query.where(Notification.id.in_(notification_ids))
    now = now_utc()
    for n in db.session.scalars(query):
        n.read_at = now
    db.session.flush()
