"""An assignment (交办) of a submission to one department."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc, today
from ..extensions import db
from ..vocab import ANSWERING_ROLES, ASSIGNMENT_ROLES
from ..workflow.states import ASSIGNMENT_STATES
from ..workflow.states import OPEN as OPEN_STATES
from .versioned import Versioned

#: 跟踪落实 still going on: its matter being carried out, or its 二次答复 in hand
FOLLOWED_STATES = ("open", "answering")
#: the same in SQL, as the partial indexes and the queries that read them both write it (SQLite uses a partial
#: index only for a query holding the same term, with the same constants)
FOLLOWED = f"follow_up IN ({', '.join(repr(state) for state in FOLLOWED_STATES)})"


class Assignment(Versioned, db.Model):
    __tablename__ = "assignment"
    __table_args__ = (
        #: a department's 工作台 boxes: its assignments in a state, by due date
        Index("ix_assignment_department_state", "department_id", "state", "due_on", "id"),
        #: a clerk's: the body's assignments in a state, by due date
        Index("ix_assignment_body_state", "body", "state", "due_on", "id"),
        #: a department's cases, from the index alone (the search by a department's name)
        Index("ix_assignment_department_case", "department_id", "state", "submission_id"),
        #: 跟踪落实, stalest first, read in order: the 3-month reminder's, a body's clerks' and a department's
        #: (partial: only the assignments under follow-up)
        Index("ix_assignment_follow_up", "follow_up_last_on", "id",
              sqlite_where=text(FOLLOWED), postgresql_where=text(FOLLOWED)),
        Index("ix_assignment_body_follow_up", "body", "follow_up_last_on", "id",
              sqlite_where=text(FOLLOWED), postgresql_where=text(FOLLOWED)),
        Index("ix_assignment_department_follow_up", "department_id", "follow_up_last_on", "id",
              sqlite_where=text(FOLLOWED), postgresql_where=text(FOLLOWED)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    #: the case's body ("cppcc" or "npc"), kept from its sitting by the services: found through the case,
    #: a body with few cases beside another's many was a scan of the other's (the 人大 clerk's 工作台, 692 ms)
    body: Mapped[str] = mapped_column(String(8))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    #: "lead" (主办), "co" (会办) or "split" (分办)
    role: Mapped[str] = mapped_column(String(8))
    #: a code from workflow.states.ASSIGNMENT_STATES
    state: Mapped[str] = mapped_column(String(24), index=True, default="pending_ack")
    assigned_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: the handler who acknowledged it: who holds it now inside the department
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    adjustment_reason: Mapped[str | None] = mapped_column(Text)
    #: 会办意见, written by a co-handling department for the lead department
    opinion: Mapped[str | None] = mapped_column(Text)
    opinion_at: Mapped[datetime | None] = mapped_column(DateTime)
    opinion_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: 1 for the first handling, +1 for each 重新办理
    round: Mapped[int] = mapped_column(Integer, default=1)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closing_note: Mapped[str | None] = mapped_column(Text)
    #: the assignment that took over after a granted 申请调整
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    # what the statistics count (statistics/), kept by the services at each answer and rating so that a
    # sitting's figures are one GROUP BY over this table
    #: the day the first answer was delivered
    answered_on: Mapped[date | None] = mapped_column(Date)
    #: that first answer came by the due date then in force (an extension counts; a 重新办理 does not)
    answered_on_time: Mapped[bool | None] = mapped_column(Boolean)
    #: a contact with the proposer was logged on or before that day (见面率)
    contacted_before_answer: Mapped[bool | None] = mapped_column(Boolean)
    #: the class (A/B/C/D) of the latest answer delivered
    answer_class: Mapped[str | None] = mapped_column(String(4))
    #: the proposer's latest ratings (vocab.RATINGS codes) of 办理工作 and 办理结果
    handling_rating: Mapped[str | None] = mapped_column(String(24))
    result_rating: Mapped[str | None] = mapped_column(String(24))
    #: 跟踪落实: "open" while a B / C (人大 also D) answer's matter is being worked on, "answering" while its
    #: 二次答复 is in hand (the case stays 已办结), "done" once an answer of another class closed it; None for
    #: an answer that needed none
    follow_up: Mapped[str | None] = mapped_column(String(12))
    follow_up_since: Mapped[date | None] = mapped_column(Date)
    #: the day of the last progress record, or of the answer that began the follow-up
    follow_up_last_on: Mapped[date | None] = mapped_column(Date)

    submission = relationship("Submission", back_populates="assignments")
    department = relationship("Department", lazy="joined")
    handler = relationship("User", foreign_keys=[handler_id])
    opinion_by = relationship("User", foreign_keys=[opinion_by_id])
    replaced_by = relationship("Assignment", remote_side=[id])
    replies = relationship("Reply", order_by="Reply.round", back_populates="assignment",
                           cascade="all, delete-orphan")
    contacts = relationship("ContactRecord", order_by="ContactRecord.contact_on",
                            cascade="all, delete-orphan")
    extensions = relationship("ExtensionRequest", order_by="ExtensionRequest.id", back_populates="assignment",
                              cascade="all, delete-orphan")
    progress = relationship("FollowUpProgress", order_by="(FollowUpProgress.progress_on, FollowUpProgress.id)",
                            cascade="all, delete-orphan")

    @property
    def pending_extension(self):
        return next((e for e in self.extensions if e.status == "pending"), None)

    @property
    def under_follow_up(self) -> bool:
        return self.follow_up in FOLLOWED_STATES

    @property
    def role_label(self):
        return ASSIGNMENT_ROLES[self.role]

    @property
    def state_label(self):
        if self.role == "co" and self.state == "drafting":
            return "待提交会办意见"
        return ASSIGNMENT_STATES[self.state]

    @property
    def answers(self):
        return self.role in ANSWERING_ROLES

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def current_reply(self):
        return self.replies[-1] if self.replies else None

    @property
    def days_left(self):
        """Days until the due date; negative when overdue. None once the work is done."""
        if not self.is_open:
            return None
        return (self.due_on - today()).days
