"""A member's or deputy's draft of a submission made online (网上提交), its co-signers' invitations and files.

A draft is not a case: it has no number, no clerk sees it, and nothing counts it, until the lead submits it;
then it becomes a Submission registered in the sitting (待立案, marked 网上提交) and stays as the record of
who was invited and what they answered."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db
from ..storage import StoredBytes
from ..vocab import KIND_LABEL_OF_BODY
from .versioned import Versioned

DRAFT_STATES = {"draft": "草稿", "submitted": "已提交"}
INVITATION_STATES = {"invited": "待确认", "confirmed": "已同意联名", "declined": "已谢绝"}


class Draft(Versioned, db.Model):
    __tablename__ = "draft"
    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id"), index=True)
    #: the lead (领衔): a member, a deputy, or a body submitting collectively from its own account
    lead_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    #: a vocab.PERIODS code
    period: Mapped[str] = mapped_column(String(8), default="session")
    disclosure_wish: Mapped[str] = mapped_column(String(16), default="public")
    suggested_departments: Mapped[str | None] = mapped_column(String(300))
    #: "draft" or "submitted" (DRAFT_STATES)
    state: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    #: the case it became
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc, onupdate=now_utc)

    sitting = relationship("Sitting")
    lead = relationship("Member")
    category = relationship("Category")
    submission = relationship("Submission")
    invitations = relationship("DraftInvitation", order_by="DraftInvitation.position", back_populates="draft",
                               cascade="all, delete-orphan")
    files = relationship("DraftFile", order_by="DraftFile.id", cascade="all, delete-orphan")

    @property
    def state_label(self):
        return DRAFT_STATES[self.state]

    @property
    def confirmed(self):
        return [i.member for i in self.invitations if i.state == "confirmed"]

    @property
    def kind_label(self):
        return KIND_LABEL_OF_BODY[self.sitting.body]


class DraftInvitation(db.Model):
    """An invitation to co-sign (联名 / 附议), in the order the lead invited; answered by the invitee."""

    __tablename__ = "draft_invitation"
    __table_args__ = (UniqueConstraint("draft_id", "member_id", name="uq_draft_invitation_member"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    #: INVITATION_STATES: "invited", "confirmed" or "declined"
    state: Mapped[str] = mapped_column(String(12), default="invited")
    invited_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)

    draft = relationship("Draft", back_populates="invitations")
    member = relationship("Member", lazy="joined")

    @property
    def state_label(self):
        return INVITATION_STATES[self.state]


class DraftFile(db.Model):
    """A file attached to a draft; it becomes the case's attachment when the draft is submitted."""

    __tablename__ = "draft_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = deferred(mapped_column("data_file", StoredBytes))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
