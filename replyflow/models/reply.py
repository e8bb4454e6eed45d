"""The reply (答复件) of an answering assignment in one handling round."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db
from ..storage import StoredBytes
from ..vocab import (
    DISCLOSURES,
)
from .versioned import Versioned

#: the fields a handler edits; a version stores exactly these
REPLY_FIELDS = (
    "answer_class", "disclosure", "doc_number", "title", "salutation", "body",
    "signer_name", "handler_name", "phone", "cc", "issuing_organ", "issue_date",
)


class Reply(Versioned, db.Model):
    """One reply per assignment and handling round; a re-handling starts a new one."""

    __tablename__ = "reply"
    __table_args__ = (UniqueConstraint("assignment_id", "round", name="uq_reply_assignment_round"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    answer_class: Mapped[str | None] = mapped_column(String(4))
    disclosure: Mapped[str] = mapped_column(String(16), default="public")
    #: 发文字号, e.g. 常人才办〔2025〕24号
    doc_number: Mapped[str | None] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    #: 曹留俊委员： / 陈姝伃、王建平代表： (every co-signer named where the body's rule says so)
    salutation: Mapped[str] = mapped_column(String(400), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    signer_name: Mapped[str | None] = mapped_column(String(40))
    handler_name: Mapped[str | None] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(40))
    #: 抄送, e.g. 市委办公室、市政协提案委
    cc: Mapped[str | None] = mapped_column(String(200))
    issuing_organ: Mapped[str | None] = mapped_column(String(80))
    issue_date: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: who sent it for sign-off last: a signer never signs a draft they submitted
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: the signer's 签发意见
    signoff_comment: Mapped[str | None] = mapped_column(Text)
    #: 答复审核 by the clerks: who passed it, when
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: 二次答复: the answer a department sends under 跟踪落实 once the matter is solved
    second_answer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: the exact .docx signed, frozen: later template or data changes never alter it
    signed_docx: Mapped[bytes | None] = deferred(mapped_column("signed_docx_file", StoredBytes))
    signed_sha256: Mapped[str | None] = mapped_column(String(64))
    #: its PDF, made once (at signing, or at the first download) from exactly that .docx
    signed_pdf: Mapped[bytes | None] = deferred(mapped_column("signed_pdf_file", StoredBytes))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)

    assignment = relationship("Assignment", back_populates="replies")
    signed_by = relationship("User", foreign_keys=[signed_by_id])
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
    versions = relationship("ReplyVersion", order_by="ReplyVersion.number",
                            cascade="all, delete-orphan", back_populates="reply")
    feedback = relationship("Feedback", uselist=False, back_populates="reply",
                            cascade="all, delete-orphan")
    cosigner_opinions = relationship("CosignerOpinion", order_by="CosignerOpinion.id", cascade="all, delete-orphan")

    @property
    def disclosure_label(self):
        return DISCLOSURES.get(self.disclosure, "")

    def snapshot(self) -> dict:
        data = {f: getattr(self, f) for f in REPLY_FIELDS}
        data["issue_date"] = self.issue_date.isoformat() if self.issue_date else None
        return data


#: the public list (/public/replies), newest first, read from an index that holds only the public replies
PUBLIC_REPLY = "disclosure = 'public' AND delivered_at IS NOT NULL"
Index("ix_reply_public", Reply.issue_date, Reply.id, sqlite_where=text(PUBLIC_REPLY),
      postgresql_where=text(PUBLIC_REPLY))
