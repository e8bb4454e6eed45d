"""Saved versions of a reply."""
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db


class ReplyVersion(db.Model):
    """A saved state of a reply: every save keeps one."""

    __tablename__ = "reply_version"
    __table_args__ = (UniqueConstraint("reply_id", "number", name="uq_reply_version_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    saved_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)

    reply = relationship("Reply", back_populates="versions")
    saved_by = relationship("User")
