"""申请延期: requests for a later due date."""
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db


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
