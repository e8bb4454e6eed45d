"""Reminders (each sent exactly once, by its unique key), the e-mail outbox, and extension requests."""
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db


class Reminder(db.Model):
    """One reminder of one duty. The unique key makes a second scan, a restart or a second scheduler
    process unable to queue it again."""

    __tablename__ = "reminder"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: duty:assignment:rule:due date, e.g. reply:12:before-7:2025-06-18
    key: Mapped[str] = mapped_column(String(120), unique=True)
    #: "reply", "opinion", "signoff", "feedback" or "urge"
    duty: Mapped[str] = mapped_column(String(16))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(24))
    due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)

    assignment = relationship("Assignment")


class OutboxMessage(db.Model):
    """An e-mail waiting to be sent, sent, or given up on (then shown to admins)."""

    __tablename__ = "outbox_message"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
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


class ExtensionRequest(db.Model):
    """申请延期: a department asks for a later due date; the clerk grants or refuses."""

    __tablename__ = "extension_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    requested_due_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: "pending", "granted" or "refused"
    status: Mapped[str] = mapped_column(String(8), default="pending")
    granted_due_on: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decision_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)

    assignment = relationship("Assignment", back_populates="extensions")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
