"""The outbox of e-mails and text messages."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db


class OutboxMessage(db.Model):
    """An e-mail or SMS waiting to be sent, sent, or given up on (then shown to admins)."""

    __tablename__ = "outbox_message"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: "email" or "sms"
    channel: Mapped[str] = mapped_column(String(8), default="email", server_default="email")
    #: an e-mail address, or a mobile number for an SMS
    to_address: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: "pending", "sending" (claimed by a drain), "sent" or "failed"
    status: Mapped[str] = mapped_column(String(8), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminder.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)

    user = relationship("User")
