"""A submission: a 提案 or a 建议."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db
from ..vocab import ANSWERING_ROLES, PERIODS, SUBMISSION_KINDS
from ..workflow.states import SUBMISSION_STATES
from .versioned import Versioned


class Submission(Versioned, db.Model):
    __tablename__ = "submission"
    __table_args__ = (
        UniqueConstraint("sitting_id", "number", name="uq_submission_sitting_number"),
        Index("ix_submission_sitting_sort", "sitting_id", "number_sort"),
        Index("ix_submission_number_seq", "number_seq"),
        Index("ix_submission_sitting_seq", "sitting_id", "number_seq"),
        Index("ix_submission_number", "number"),
        Index("ix_submission_next_due", "next_due_on", "id"),
        #: partial: almost every case has none, and SQLite, counting the NULLs as one value, estimated tens of
        #: thousands of rows per host and scanned the table to find the cases merged into a page of them
        Index("ix_submission_merged_into_id", "merged_into_id", sqlite_where=text("merged_into_id IS NOT NULL"),
              postgresql_where=text("merged_into_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id"), index=True)
    #: "proposal" (提案) or "suggestion" (建议)
    kind: Mapped[str] = mapped_column(String(16))
    #: the number as the sitting's numbering writes it, without 第/号: "0294", "54", "2025D048";
    #: None for an item registered without one (闭会期间 suggestions are often published so)
    number: Mapped[str | None] = mapped_column(String(24))
    #: the number's value (0294 → 294; a code's last digits: 2025D048 → 48), for search
    number_seq: Mapped[int | None] = mapped_column(Integer)
    #: natural sort key: runs of digits zero-padded, so 2 sorts before 10 and codes by their digits
    number_sort: Mapped[str | None] = mapped_column(String(128))
    #: a vocab.PERIODS code: made 大会期间 ("session") or 闭会期间 ("recess")
    period: Mapped[str] = mapped_column(String(8), default="session", server_default="session")
    #: the number of proposers as published ("等5名代表" → 5) when not all are named; None: as listed
    proposer_count: Mapped[int | None] = mapped_column(Integer)
    #: the co-signers agreed that the reply goes to the lead alone (人大: 经联名代表同意)
    reply_to_lead: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    title: Mapped[str] = mapped_column(String(200))
    #: None for a case brought in without its text (信息不全 until completed)
    content: Mapped[str | None] = mapped_column(Text)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    #: None for a case brought in without its date (信息不全 until completed)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    #: the departments the proposer suggests (建议承办单位), as written, separated by 、
    suggested_departments: Mapped[str | None] = mapped_column(String(300))
    #: 重点提案 / 重点建议
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the leader who supervises a 重点 case (督办领导), as written: 市政协副主席 张三
    supervisor: Mapped[str | None] = mapped_column(String(80))
    #: the office that leads the supervision (牵头督办单位)
    supervising_office: Mapped[str | None] = mapped_column(String(80))
    #: the proposer's wish on publication: "public" or "not_public"
    disclosure_wish: Mapped[str] = mapped_column(String(16), default="public")
    #: a code from workflow.states.SUBMISSION_STATES
    state: Mapped[str] = mapped_column(String(24), index=True, default="registered")
    #: the earliest due date of its open assignments (None when none is open), kept by next_due.py after every
    #: flush: the list sorts by it and finds 已超期 by it with an index, instead of a subquery per row
    next_due_on: Mapped[date | None] = mapped_column(Date)
    #: the title and proposers' names as search terms (models/search_terms.py), indexed for the keyword search
    search_terms: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: the host submission when this one was merged (并案)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id"))
    rejection_ground_id: Mapped[int | None] = mapped_column(ForeignKey("rejection_ground.id"))
    #: the clerk's last review comment (不立案 reason, 退回 comments, conversion note)
    review_note: Mapped[str | None] = mapped_column(Text)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: 撤回: the lead's reason, and when they asked (a request waits for the clerk while the case is not withdrawn)
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    withdrawal_requested_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: 网上提交: submitted by its lead online (registered_by is then the lead's account)
    online: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
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
    supervision_records = relationship("SupervisionRecord", order_by="(SupervisionRecord.held_on, SupervisionRecord.id)",
                                       cascade="all, delete-orphan")

    @property
    def kind_label(self):
        return SUBMISSION_KINDS[self.kind]

    @property
    def state_label(self):
        return SUBMISSION_STATES[self.state]

    @property
    def period_label(self):
        return PERIODS[self.period]

    @property
    def withdrawal_pending(self) -> bool:
        return self.withdrawal_requested_at is not None and self.state != "withdrawn"

    @property
    def incomplete(self) -> bool:
        """信息不全: brought in without its text or its date, until a clerk completes it."""
        return not self.content or self.submitted_on is None

    @property
    def number_label(self):
        """第0294号 / 第2025D048号; empty without a number."""
        return f"第{self.number}号" if self.number else ""

    @property
    def number_display(self):
        """What pages show: 第0294号, or （无编号）."""
        return self.number_label or "（无编号）"

    @property
    def reference(self):
        """市政协十五届四次会议 提案第0294号 (the title stands in for a missing number)."""
        return f"{self.sitting.name} {self.kind_label}{self.number_label or f'《{self.title}》'}"

    @property
    def is_collective(self) -> bool:
        """Proposed by a body acting collectively (集体提案)."""
        return self.lead is not None and self.lead.is_group

    @property
    def proposer_total(self) -> int:
        """How many proposed it: the published count ("等5名代表") when larger than the names listed."""
        return max(len(self.proposers), self.proposer_count or 0)

    @property
    def unnamed_count(self) -> int:
        return self.proposer_total - len(self.proposers)

    @property
    def proposers_label(self) -> str:
        """曹留俊委员 / 王伟等5名代表 / 九三学社常州市委"""
        lead = self.lead
        if lead is None:
            return ""
        if self.proposer_total > 1:
            return f"{lead.name}等{self.proposer_total}名{lead.title}"
        return lead.display_name

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


# the orders of the case list (submissions/queries.py), so a page is read from an index, not sorted
_by_number = (Submission.sitting_id.desc(), Submission.number_sort.is_(None), Submission.number_sort, Submission.id)
Index("ix_submission_list_order", *_by_number)
Index("ix_submission_state_order", Submission.state, *_by_number)
Index("ix_submission_due_order", Submission.next_due_on.is_(None), Submission.next_due_on, Submission.id)
Index("ix_submission_created", Submission.created_at, Submission.id)
Index("ix_submission_submitted", Submission.submitted_on, Submission.id)
#: the list's 信息不全 filter (migration 0020): the few cases brought in without text or date
_INCOMPLETE = "content IS NULL OR content = '' OR submitted_on IS NULL"
Index("ix_submission_incomplete", Submission.id, sqlite_where=text(_INCOMPLETE), postgresql_where=text(_INCOMPLETE))
