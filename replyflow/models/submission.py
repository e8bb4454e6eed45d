"""A submission: a 提案 or a 建议."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db
from ..vocab import (
    ANSWERING_ROLES,
    SUBMISSION_KINDS,
)
from ..workflow.states import SUBMISSION_STATES


class Submission(db.Model):
    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("sitting_id", "number", name="uq_submission_sitting_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id"), index=True)
    #: "proposal" (提案) or "suggestion" (建议)
    kind: Mapped[str] = mapped_column(String(16))
    #: 第0294号 is stored as 294
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    submitted_on: Mapped[date] = mapped_column(Date)
    #: 重点提案 / 重点建议
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the proposer's wish on publication: "public" or "not_public"
    disclosure_wish: Mapped[str] = mapped_column(String(16), default="public")
    #: a code from workflow.states.SUBMISSION_STATES
    state: Mapped[str] = mapped_column(String(24), index=True, default="registered")
    #: the host submission when this one was merged (并案)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id"))
    rejection_ground_id: Mapped[int | None] = mapped_column(ForeignKey("rejection_ground.id"))
    #: the clerk's last review comment (不立案 reason, 退回 comments, conversion note)
    review_note: Mapped[str | None] = mapped_column(Text)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc, onupdate=now_utc)

    sitting = relationship("Sitting")
    category = relationship("Category")
    rejection_ground = relationship("RejectionGround")
    merged_into = relationship("Submission", remote_side=[id], back_populates="merged")
    merged = relationship("Submission", back_populates="merged_into")
    proposers = relationship(
        "SubmissionProposer", order_by="SubmissionProposer.position",
        cascade="all, delete-orphan", back_populates="submission",
    )
    assignments = relationship(
        "Assignment", order_by="Assignment.id", back_populates="submission",
        cascade="all, delete-orphan",
    )
    attachments = relationship("Attachment", order_by="Attachment.id", cascade="all, delete-orphan")
    events = relationship("Event", order_by="Event.id", back_populates="submission",
                          cascade="all, delete-orphan")

    @property
    def kind_label(self):
        return SUBMISSION_KINDS[self.kind]

    @property
    def state_label(self):
        return SUBMISSION_STATES[self.state]

    @property
    def number_label(self):
        """第0294号"""
        return f"第{self.number:04d}号"

    @property
    def reference(self):
        """市政协十五届四次会议 提案第0294号"""
        return f"{self.sitting.name} {self.kind_label}{self.number_label}"

    @property
    def lead(self):
        return self.proposers[0].member if self.proposers else None

    @property
    def cosigners(self):
        return [p.member for p in self.proposers[1:]]

    @property
    def members(self):
        return [p.member for p in self.proposers]

    @property
    def active_assignments(self):
        return [a for a in self.assignments if a.state != "reassigned"]

    @property
    def answering_assignments(self):
        return [a for a in self.active_assignments if a.role in ANSWERING_ROLES]

    @property
    def answer_host(self):
        """The submission whose replies answer this one: its host when merged, else itself."""
        return self.merged_into if self.state == "merged" and self.merged_into else self
