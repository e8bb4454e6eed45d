"""Organisation: sittings of the two bodies, handling departments, and the editable lists."""
from datetime import date

from sqlalchemy import Boolean, Date, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..extensions import db
from ..vocab import BODIES, MEMBER_TITLE_OF_BODY, REPLY_CC_OF_BODY, SUBMISSION_KIND_OF_BODY


class Sitting(db.Model):
    """A session of 政协 or 人大 (市政协十五届四次会议) and its deadline policy."""

    __tablename__ = "sitting"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: "cppcc" (政协) or "npc" (人大)
    body: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(80), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    opened_on: Mapped[date | None] = mapped_column(Date)
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
    active: Mapped[bool] = mapped_column(Boolean, default=True)

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
    def reply_cc(self):
        return REPLY_CC_OF_BODY[self.body]

    def __str__(self):
        return self.name


class Department(db.Model):
    """A handling department (承办单位) and what its official documents carry."""

    __tablename__ = "department"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    #: prefix of its document numbers, e.g. 常人才办 in 常人才办〔2025〕24号
    doc_prefix: Mapped[str] = mapped_column(String(20))
    #: the red header (发文机关标志), e.g. 中共常州市委人才工作领导小组办公室文件
    header_title: Mapped[str] = mapped_column(String(80))
    #: the organ named in 印发 and under the signature; defaults to the department name
    issuing_organ: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(40))
    #: "file" (文件格式, red header) or "letter" (信函格式)
    doc_format: Mapped[str] = mapped_column(String(8), default="file", server_default="file")
    #: the department signs its replies: organ name and date under the body
    signs_replies: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    #: the department's own base template (.docx); None means docx_templates/reply_base.docx
    template_docx: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    template_name: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def organ_name(self):
        return self.issuing_organ or self.name

    def __str__(self):
        return self.name


class Category(db.Model):
    """Subject category (经济, 科教 ...), an editable list."""

    __tablename__ = "category"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RejectionGround(db.Model):
    """A ground for 不立案, an editable list."""

    __tablename__ = "rejection_ground"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AnswerClass(db.Model):
    """One answer class (A 所提问题已经解决或基本解决 ...) in a body's set."""

    __tablename__ = "answer_class"
    __table_args__ = (UniqueConstraint("body", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(4))
    label: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
