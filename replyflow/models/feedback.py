"""征询意见: the proposer's rating of a delivered reply."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db
from ..vocab import FEEDBACK_CONTACT_METHODS, RATINGS


class Feedback(db.Model):
    """征询意见: the proposer's rating of a delivered reply."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    #: rating of the handling work (态度、沟通)
    handling_rating: Mapped[str] = mapped_column(String(24))
    #: rating of the result (办理结果)
    result_rating: Mapped[str] = mapped_column(String(24))
    comment: Mapped[str | None] = mapped_column(Text)
    #: whether the department got in touch before answering (None: not asked, a form of an earlier version)
    contacted: Mapped[bool | None] = mapped_column(Boolean)
    #: how: a vocab.FEEDBACK_CONTACT_METHODS code
    contact_method: Mapped[str | None] = mapped_column(String(8))
    #: the day the member answered (written on a paper form; the day of rating online)
    answered_on: Mapped[date | None] = mapped_column(Date)
    #: a paper 征询意见表 entered by a clerk on the member's behalf; None when the member gave it online
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)

    reply = relationship("Reply", back_populates="feedback")
    member = relationship("Member")
    entered_by = relationship("User")

    @property
    def handling_label(self):
        return RATINGS[self.handling_rating]

    @property
    def result_label(self):
        return RATINGS[self.result_rating]

    @property
    def contact_label(self) -> str:
        """办理前联系：面商 / 办理前未联系; empty when the form did not ask."""
        if self.contacted is None:
            return ""
        return f"办理前联系：{FEEDBACK_CONTACT_METHODS.get(self.contact_method or '', '是')}" if self.contacted \
            else "办理前未联系"
