"""In-app notifications, written in the same transaction as the change they report."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db


class Notification(db.Model):
    __tablename__ = "notification"
    # a clerk told of every overdue reminder of a province holds tens of thousands: the list reads a page of
    # them in its order (unread first, newest first) and the bell counts the unread from an index
    __table_args__ = (
        Index("ix_notification_list_order", "user_id", text("(read_at IS NOT NULL)"), text("created_at DESC"),
              text("id DESC")),
        Index("ix_notification_unread", "user_id", postgresql_where=text("read_at IS NULL"),
              sqlite_where=text("read_at IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))   # indexed first below
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"))
    #: an online draft it is about (an invitation to co-sign), for a notification before there is a case
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("draft.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    submission = relationship("Submission")
