"""沟通记录: contacts between a handling department and the proposer."""
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db
from ..vocab import (
    CONTACT_METHODS,
)


class ContactRecord(db.Model):
    """沟通记录: a contact between the handling department and the proposer."""

    __tablename__ = "contact_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    contact_on: Mapped[date] = mapped_column(Date)
    #: "phone", "visit", "meeting" or "letter"
    method: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)

    recorded_by = relationship("User")

    @property
    def method_label(self):
        return CONTACT_METHODS[self.method]
