"""The append-only audit log behind every case's timeline."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db


class Event(db.Model):
    __tablename__ = "event"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    #: the transition or action name (workflow.states.TRANSITIONS)
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    comment: Mapped[str | None] = mapped_column(Text)
    #: when an assignment's step moved the whole case too (答复 → 已答复, 评价 → 已办结): the case's
    #: states, kept on the same entry so one action writes one timeline entry
    case_from_state: Mapped[str | None] = mapped_column(String(24))
    case_to_state: Mapped[str | None] = mapped_column(String(24))

    submission = relationship("Submission", back_populates="events")
    assignment = relationship("Assignment")
    actor = relationship("User")
