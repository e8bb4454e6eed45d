"""Registration and review of submissions (登记、立案、不立案、退回、并案、转为意见)."""
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import func, select

from ..clock import today
from ..extensions import db
from ..models import Attachment, Submission, SubmissionProposer
from ..notifications import messages
from ..notifications.service import clerks_for, notify, proposer_users
from ..vocab import SUBMISSION_KIND_OF_BODY, SUBMISSION_KINDS
from ..workflow import engine
from . import ServiceError
from .attachments import Upload, check_upload


@dataclass
class SubmissionData:
    """What the registration form carries, already parsed."""

    sitting: object
    kind: str
    number: int
    title: str
    content: str
    category: object
    submitted_on: date
    is_key: bool
    disclosure_wish: str
    lead: object
    cosigners: list = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)


def _validate(data: SubmissionData, existing: Submission | None = None):
    sitting = data.sitting
    expected_kind = SUBMISSION_KIND_OF_BODY[sitting.body]
    if data.kind != expected_kind:
        raise ServiceError(f"{sitting.name}只受理{SUBMISSION_KINDS[expected_kind]}，请检查类型。")
    if not 1 <= data.number <= 9999:
        raise ServiceError("编号须在 1 到 9999 之间。")
    clash = db.session.scalar(select(Submission.id).where(
        Submission.sitting_id == sitting.id, Submission.number == data.number))
    if clash is not None and (existing is None or clash != existing.id):
        raise ServiceError(f"{sitting.name}已有第{data.number:04d}号{SUBMISSION_KINDS[expected_kind]}，编号不能重复。")
    if data.submitted_on > today():
        raise ServiceError("提交日期不能晚于今天。")
    if sitting.opened_on and data.submitted_on < sitting.opened_on.replace(month=1, day=1):
        raise ServiceError(f"提交日期早于{sitting.opened_on.year}年，与所选会议不符。")
    people = [data.lead, *data.cosigners]
    if data.lead is None:
        raise ServiceError("请填写领衔人。")
    if any(m.body != sitting.body for m in people):
        raise ServiceError(f"提出人须是{sitting.body_label}的{sitting.member_title}或党派团体。")
    if len({m.id for m in people}) != len(people):
        raise ServiceError("领衔人不能同时作为联名人，联名人也不能重复。")
    if any(m.kind == "group" for m in data.cosigners):
        raise ServiceError("党派团体只能作为提出者（领衔），不能联名。")
    if data.lead.kind == "group" and data.cosigners:
        raise ServiceError("以党派团体名义提出的，不能再添加个人联名人。")


def _apply(submission: Submission, data: SubmissionData):
    submission.sitting = data.sitting
    submission.kind = data.kind
    submission.number = data.number
    submission.title = data.title.strip()
    submission.content = data.content.strip()
    submission.category = data.category
    submission.submitted_on = data.submitted_on
    submission.is_key = data.is_key
    submission.disclosure_wish = data.disclosure_wish
    wanted = [data.lead, *data.cosigners]
    current = {p.member_id: p for p in submission.proposers}
    rows = []
    for position, member in enumerate(wanted):
        row = current.get(member.id) or SubmissionProposer(member=member)
        row.position = position
        rows.append(row)
    submission.proposers = rows


def _attach(user, submission, uploads):
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    for upload in uploads:
        content_type = check_upload(upload, limit)
        submission.attachments.append(Attachment(
            filename=upload.filename, content_type=content_type, size=len(upload.data),
            data=upload.data, uploaded_by_id=user.id))
        engine.record(user, submission, "attach", comment=upload.filename)


def register_submission(user, data: SubmissionData) -> Submission:
    _validate(data)
    submission = Submission(registered_by_id=user.id)
    _apply(submission, data)
    db.session.add(submission)
    engine.start(user, submission)
    _attach(user, submission, data.uploads)
    db.session.flush()
    return submission


def update_submission(user, submission: Submission, data: SubmissionData):
    engine.check(user, submission, "edit_submission")
    _validate(data, existing=submission)
    _apply(submission, data)
    engine.fire(user, submission, "edit_submission")
    _attach(user, submission, data.uploads)
    db.session.flush()


def accept(user, submission, comment=None):
    engine.fire(user, submission, "accept", comment)
    notify(proposer_users(submission), submission, messages.accepted(submission))
    db.session.flush()


def reject(user, submission, ground, note=None):
    engine.check(user, submission, "reject")
    if ground is None:
        raise ServiceError("不立案须选择理由。")
    submission.rejection_ground = ground
    submission.review_note = (note or "").strip() or None
    comment = ground.name + (f"：{submission.review_note}" if submission.review_note else "")
    engine.fire(user, submission, "reject", comment)
    notify(proposer_users(submission), submission, messages.rejected(submission, comment))
    db.session.flush()


def return_for_revision(user, submission, comment):
    engine.fire(user, submission, "return_for_revision", comment)
    submission.review_note = comment.strip()
    notify(proposer_users(submission), submission, messages.returned_for_revision(submission, comment.strip()))
    db.session.flush()


def resubmit(user, submission, title, content, comment=None):
    engine.check(user, submission, "resubmit")
    submission.title = title.strip()
    submission.content = content.strip()
    engine.fire(user, submission, "resubmit", comment)
    notify(clerks_for(submission.sitting.body), submission, messages.resubmitted(submission))
    db.session.flush()


def find_in_sitting(sitting_id, number):
    return db.session.scalar(select(Submission).where(
        Submission.sitting_id == sitting_id, Submission.number == number))


def merge(user, submission, host_number: str, comment=None):
    engine.check(user, submission, "merge")
    digits = str(host_number or "").strip().removeprefix("第").removesuffix("号")
    if not digits.isdigit() or not 1 <= int(digits) <= 9999:
        raise ServiceError("编号须在 1 到 9999 之间。")
    host_number = int(digits)
    host = find_in_sitting(submission.sitting_id, host_number)
    if host is None:
        raise ServiceError(f"本次会议没有第{host_number:04d}号，无法并案。")
    if host.id == submission.id:
        raise ServiceError("不能并入自身。")
    if host.state not in ("registered", "accepted", "assigned"):
        raise ServiceError(f"第{host_number:04d}号当前为「{host.state_label}」，不能作为并案主件。")
    if submission.merged:
        raise ServiceError("本件已有其他件并入，不能再并入他件。")
    submission.merged_into = host
    engine.fire(user, submission, "merge",
                f"并入第{host.number:04d}号" + (f"：{comment.strip()}" if (comment or "").strip() else ""))
    engine.record(user, host, "merge", comment=f"第{submission.number:04d}号并入本件")
    notify(proposer_users(submission), submission, messages.merged(submission, host))
    db.session.flush()


def convert(user, submission, comment=None):
    engine.fire(user, submission, "convert", comment)
    submission.review_note = (comment or "").strip() or None
    notify(proposer_users(submission), submission, messages.converted(submission, submission.review_note))
    db.session.flush()


def next_number(sitting_id) -> int:
    return (db.session.scalar(select(func.max(Submission.number)).where(
        Submission.sitting_id == sitting_id)) or 0) + 1
