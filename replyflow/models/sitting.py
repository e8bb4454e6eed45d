"""A sitting (会议届次) of 政协 or 人大, its numbering rule, its dates and its deadline policy."""
from datetime import date

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..vocab import BODIES, MEMBER_TITLE_OF_BODY, OFFICE_OF_BODY, REPLY_CC_OF_BODY, SUBMISSION_KIND_OF_BODY


class Sitting(db.Model):
    """A session of 政协 or 人大 (市政协十五届四次会议, 广州市十四届人大三次会议闭会期间 ...)."""

    __tablename__ = "sitting"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: "cppcc" (政协) or "npc" (人大)
    body: Mapped[str] = mapped_column(String(8))
    #: as the body writes it: 政协子洲县第十届委员会第二次会议
    name: Mapped[str] = mapped_column(String(120), unique=True)
    #: the year of the sitting, for statistics
    year: Mapped[int] = mapped_column(Integer)
    #: the days of the 大会: a submission made 大会期间 is dated within them
    opened_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    #: a vocab.NUMBER_STYLES code: "digits" (第0294号) or "code" (2025D048)
    number_style: Mapped[str] = mapped_column(String(8), default="digits", server_default="digits")
    #: digits shown, zero-padded: 4 gives 第0294号, 0 gives 第54号
    number_width: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    #: a vocab.AUTO_NUMBERING code: when a case registered without a number gets one
    auto_numbering: Mapped[str] = mapped_column(String(8), default="register", server_default="register")
    #: the last number given automatically; numbers are never given twice
    last_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: a vocab.JOINT_SALUTATIONS code: how a reply addresses a lead with co-signers
    joint_salutation: Mapped[str] = mapped_column(String(12), default="lead_count", server_default="lead_count")
    #: signed replies are reviewed by the clerks (答复审核) before they are delivered
    review_replies: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    #: default reply deadline, in calendar months after assignment
    reply_months: Mapped[int] = mapped_column(Integer, default=3)
    #: working days after assignment in which a department may ask for reassignment
    adjustment_days: Mapped[int] = mapped_column(Integer, default=5)
    #: months a re-handling (重新办理) gets by default
    rehandling_months: Mapped[int] = mapped_column(Integer, default=1)
    #: months a 会办 department has for its opinion
    opinion_months: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: working days a signer has for a draft sent for sign-off
    signoff_working_days: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    #: months the proposer is expected to take to give feedback on a delivered reply
    feedback_months: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: at most this many months more per extension (申请延期) ...
    extension_months: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    #: ... and never beyond this many months after assignment
    extension_cap_months: Mapped[int] = mapped_column(Integer, default=6, server_default="6")
    #: 网上提交: members submit online from this day to that day (both set, else online submission is closed)
    submission_opens_on: Mapped[date | None] = mapped_column(Date)
    submission_closes_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: 待完善: created by an Excel import from its name alone, until an admin completes its settings
    incomplete: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    def open_for_submission(self, on: date) -> bool:
        return bool(self.submission_opens_on and self.submission_closes_on
                    and self.submission_opens_on <= on <= self.submission_closes_on)

    @property
    def body_label(self):
        return BODIES[self.body]

    @property
    def submission_kind(self):
        return SUBMISSION_KIND_OF_BODY[self.body]

    @property
    def member_title(self):
        return MEMBER_TITLE_OF_BODY[self.body]

    @property
    def office(self):
        """提案委 / 代表工委"""
        return OFFICE_OF_BODY[self.body]

    @property
    def reply_cc(self):
        return REPLY_CC_OF_BODY[self.body]

    def __str__(self):
        return self.name
