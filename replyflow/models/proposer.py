"""The proposers of a submission, in order."""

from sqlalchemy import ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class SubmissionProposer(db.Model):
    """A proposer of a submission; position 0 is the lead (领衔), the rest co-signers (联名) in order."""

    __tablename__ = "submission_proposer"
    __table_args__ = (UniqueConstraint("submission_id", "member_id", name="uq_proposer_member"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)

    submission = relationship("Submission", back_populates="proposers")
    member = relationship("Member", lazy="joined")
