"""A co-signer's opinion (联名人意见) on a delivered reply, beside the lead's 征询意见表."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db


class CosignerOpinion(db.Model):
    """What a co-signer thinks of a reply: the lead rates it, each co-signer may add words the clerk reads."""

    __tablename__ = "cosigner_opinion"
    __table_args__ = (UniqueConstraint("reply_id", "member_id", name="uq_cosigner_opinion_member"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    opinion: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)

    member = relationship("Member", lazy="joined")
