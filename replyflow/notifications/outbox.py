"""The e-mail outbox: queued in the transaction of the change, sent afterwards, retried, never lost.

A drain claims messages in batches (pending → sending) with a conditional UPDATE … RETURNING, so two
drains running at once never send the same message; it sends them over one SMTP connection and records
the outcomes with one commit a batch. A failed send is retried with backoff and, after the last try,
marked failed for the admins to see.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from ..clock import now_utc
from ..extensions import db
from ..models import OutboxMessage
from .email import Connection, smtp_settings

#: minutes to wait after the 1st, 2nd ... failed try; one more failure after the last means "failed"
BACKOFF_MINUTES = (1, 5, 15, 60, 240)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
#: a claim older than this is a drain that died mid-send: the message goes back to pending
STALE_CLAIM = timedelta(minutes=10)
#: messages claimed, sent and recorded together: small enough that a batch ends well inside STALE_CLAIM
BATCH = 100


def email_enabled() -> bool:
    return smtp_settings(current_app.config) is not None


def _claim(ids: list[int], now) -> list[int]:
    """The ids of `ids` this drain now holds; a message another drain took first is not among them."""
    held = db.session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .values(status="sending", claimed_at=now_utc())
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)).all()
    db.session.commit()
    return held


def _record_failure(message: OutboxMessage, exc: Exception, counts: dict):
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = "failed"
        counts["failed"] += 1
    else:
        message.status = "pending"
        message.next_attempt_at = now_utc() + timedelta(minutes=BACKOFF_MINUTES[message.attempts - 1])
        counts["retry"] += 1


def drain(limit: int = 2000) -> dict:
    """Send what is due (up to `limit`); returns counts {"sent", "failed", "retry"}. Commits per batch."""
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
    with Connection(settings) as connection:
        for start in range(0, len(due), BATCH):
            held = _claim(due[start:start + BATCH], now)
            if not held:
                continue
            messages = db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.id.in_(held)).order_by(OutboxMessage.id)).all()
            for message in messages:
                if connection.down:
                    # the server did not answer: the rest wait for the next drain, no try counted against them
                    message.status, message.claimed_at = "pending", None
                    continue
                try:
                    connection.send(message.to_address, message.subject, message.body)
                except Exception as exc:  # any SMTP or network error: this one is retried later
                    _record_failure(message, exc, counts)
                else:
                    message.attempts += 1
                    message.status, message.sent_at, message.last_error = "sent", now_utc(), None
                    counts["sent"] += 1
            db.session.commit()
            if connection.down:
                break
    return counts


def retry(message: OutboxMessage):
    """An admin sends a failed message again."""
    message.status, message.attempts, message.next_attempt_at = "pending", 0, now_utc()
    db.session.flush()
