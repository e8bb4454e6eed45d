"""The outbox of e-mails and SMS: queued in the transaction of the change, sent afterwards, retried, never lost.

A drain claims messages in batches (pending → sending) with a conditional UPDATE … RETURNING, so two
drains running at once never send the same message; it sends each channel's over one sender (an SMTP
connection, the SMS gateway) and records the outcomes with one commit a batch. A failed send is retried
with backoff and, after the last try, marked failed for the admins to see. An SMS carries its message's key
on every try, so a gateway that got a message whose answer was lost drops the repeat.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from ..clock import now_utc
from ..extensions import db
from ..models import OutboxMessage
from .email import Connection, smtp_settings
from .sms import Gateway, message_key, sms_settings

#: minutes to wait after the 1st, 2nd ... failed try; one more failure after the last means "failed"
BACKOFF_MINUTES = (1, 5, 15, 60, 240)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
#: a claim older than this is a drain that died mid-send: the message goes back to pending
STALE_CLAIM = timedelta(minutes=10)
#: messages claimed, sent and recorded together: small enough that a batch ends well inside STALE_CLAIM
BATCH = 100


def email_enabled() -> bool:
    return smtp_settings(current_app.config) is not None


def sms_enabled() -> bool:
    return sms_settings(current_app.config) is not None


class _Mail:
    """The e-mail sender: one SMTP connection for the drain."""

    def __init__(self, settings):
        self.connection = Connection(settings)

    @property
    def down(self):
        return self.connection.down

    def send(self, message: OutboxMessage):
        self.connection.send(message.to_address, message.subject, message.body)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.connection.close()


class _Texts:
    """The SMS sender: the gateway, each message with its key."""

    def __init__(self, settings):
        self.gateway = Gateway(settings)

    @property
    def down(self):
        return self.gateway.down

    def send(self, message: OutboxMessage):
        self.gateway.send(message.to_address, message.body, message_key(message.id))

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        pass


def _senders(config) -> dict:
    """{channel: sender} of the channels configured."""
    found = {}
    if (mail := smtp_settings(config)) is not None:
        found["email"] = _Mail(mail)
    if (texts := sms_settings(config)) is not None:
        found["sms"] = _Texts(texts)
    return found


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
    """Send what is due (up to `limit` a channel); returns counts {"sent", "failed", "retry"}. Commits per batch."""
    counts = {"sent": 0, "failed": 0, "retry": 0}
    senders = _senders(current_app.config)
    if not senders:
        return counts
    now = now_utc()
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - STALE_CLAIM).values(status="pending"))
    db.session.commit()
    for channel, sender in senders.items():
        due = db.session.scalars(select(OutboxMessage.id).where(
            OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now, OutboxMessage.channel == channel)
            .order_by(OutboxMessage.id).limit(limit)).all()
        with sender:
            _send_all(sender, due, now, counts)
    return counts


def _send_all(sender, due: list[int], now, counts: dict):
    for start in range(0, len(due), BATCH):
        held = _claim(due[start:start + BATCH], now)
        if not held:
            continue
        messages = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id.in_(held)).order_by(OutboxMessage.id)).all()
        for message in messages:
            if sender.down:
                # the server did not answer: the rest wait for the next drain, no try counted against them
                message.status, message.claimed_at = "pending", None
                continue
            try:
                sender.send(message)
            except Exception as exc:  # any SMTP, HTTP or network error: this one is retried later
                _record_failure(message, exc, counts)
            else:
                message.attempts += 1
                message.status, message.sent_at, message.last_error = "sent", now_utc(), None
                counts["sent"] += 1
        db.session.commit()
        if sender.down:
            break


def retry(message: OutboxMessage):
    """An admin sends a failed message again."""
    message.status, message.attempts, message.next_attempt_at = "pending", 0, now_utc()
    db.session.flush()
