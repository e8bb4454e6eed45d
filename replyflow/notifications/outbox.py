"""The e-mail outbox: queued in the transaction of the change, sent afterwards, retried, never lost.

A drain claims a message (pending → sending) with a conditional UPDATE before sending it, so two
drains running at once never send the same message; a failed send is retried with backoff and,
after the last try, marked failed for the admins to see.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from ..clock import now_utc
from ..extensions import db
from ..models import OutboxMessage
from .email import send, smtp_settings

#: minutes to wait after the 1st, 2nd ... failed try; one more failure after the last means "failed"
BACKOFF_MINUTES = (1, 5, 15, 60, 240)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
#: a claim older than this is a drain that died mid-send: the message goes back to pending
STALE_CLAIM = timedelta(minutes=10)


def email_enabled() -> bool:
    return smtp_settings(current_app.config) is not None


def queue_email(user, subject: str, body: str, reminder=None) -> OutboxMessage | None:
    """Queue an e-mail to `user`, unless e-mail is off, they have no address or switched e-mail off."""
    if not email_enabled() or user is None or not user.email or not user.email_enabled or not user.active:
        return None
    message = OutboxMessage(user_id=user.id, to_address=user.email, subject=subject[:200], body=body,
                            reminder_id=reminder.id if reminder is not None else None, next_attempt_at=now_utc())
    db.session.add(message)
    return message


def drain(limit: int = 200) -> dict:
    """Send what is due; returns counts {"sent", "failed", "retry"}. Commits per message."""
    settings = smtp_settings(current_app.config)
    counts = {"sent": 0, "failed": 0, "retry": 0}
    if settings is None:
        return counts
    now = now_utc()
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - STALE_CLAIM).values(status="pending"))
    db.session.commit()
    due = db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id).limit(limit)).all()
    for message_id in due:
        claimed = db.session.execute(update(OutboxMessage).where(
            OutboxMessage.id == message_id, OutboxMessage.status == "pending").values(
            status="sending", claimed_at=now_utc()))
        db.session.commit()
        if claimed.rowcount != 1:
            continue  # another drain took it
        message = db.session.get(OutboxMessage, message_id)
        try:
            send(settings, message.to_address, message.subject, message.body)
        except Exception as exc:  # any SMTP or network error: retry later
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
                counts["failed"] += 1
            else:
                message.status = "pending"
                message.next_attempt_at = now_utc() + timedelta(minutes=BACKOFF_MINUTES[message.attempts - 1])
                counts["retry"] += 1
        else:
            message.attempts += 1
            message.status, message.sent_at, message.last_error = "sent", now_utc(), None
            counts["sent"] += 1
        db.session.commit()
    return counts


def retry(message: OutboxMessage):
    """An admin sends a failed message again."""
    message.status, message.attempts, message.next_attempt_at = "pending", 0, now_utc()
    db.session.flush()
