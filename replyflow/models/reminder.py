"""Reminders, each queued exactly once by its unique key."""
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String
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
