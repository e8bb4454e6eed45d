"""Registration and review of submissions (登记、立案、不立案、退回、并案、转为意见)."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..clock import cn_date, today
from ..extensions import db
from ..models import Attachment, Sitting, Submission, SubmissionProposer
from ..notifications import messages
from ..notifications.service import clerks_for, notify, tell_proposers
from ..vocab import PERIODS, SUBMISSION_KIND_OF_BODY, SUBMISSION_KINDS
from ..workflow import engine
from . import ServiceError, join_notes, numbering
from .attachments import Upload, checked


@dataclass
class SubmissionData:
    """What the registration form carries, already parsed."""

    sitting: object
    kind: str
    #: as typed (0294, 第54号, 2025D048); empty: given by the sitting's rule, or none
    number: str | None
    title: str
    content: str
    category: object
    submitted_on: date
    is_key: bool
    disclosure_wish: str
    lead: object
    cosigners: list = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)
    #: "session" (大会期间) or "recess" (闭会期间)
    period: str = "session"
    #: "等5名代表": how many proposed it, when the others are not named
    proposer_count: int | None = None
    #: the co-signers agreed that the reply goes to the lead alone
    reply_to_lead: bool = False
    #: 建议承办单位 as the proposer wrote them
    suggested_departments: str | None = None


_LOOK_IT_UP = object()


def check_dates(sitting, submitted_on: date, period: str, following=_LOOK_IT_UP):
    """ServiceError unless the date fits the sitting and the period. `following`: the body's next sitting,
    when the caller knows it already (an import checks many rows of one sitting)."""
    if submitted_on is None:
        raise ServiceError("请填写提交日期。")
    if submitted_on > today():
        raise ServiceError("提交日期不能晚于今天。")
    opened, closed = sitting.opened_on, sitting.closed_on
    if period == "session":
        if opened and closed and not opened <= submitted_on <= closed:
            raise ServiceError(f"提交日期须在{sitting.name}会期内（{cn_date(opened)}至{cn_date(closed)}），"
                               "会后提交的请选择“闭会期间”。")
        if opened and submitted_on < opened:
            raise ServiceError(f"提交日期早于{sitting.name}开幕（{cn_date(opened)}），与所选会议不符。")
    else:
        start = closed or opened
        if start and submitted_on < start:
            raise ServiceError(f"闭会期间提交的，日期不能早于{sitting.name}"
                               f"{'闭幕' if closed else '开幕'}（{cn_date(start)}）。")
        # 闭会期间 lasts until the body's next sitting opens
        if following is _LOOK_IT_UP:
            following = next_sitting(sitting)
        if following is not None and submitted_on >= following.opened_on:
            raise ServiceError(f"{cn_date(submitted_on)}已是{following.name}（{cn_date(following.opened_on)}开幕）"
                               "期间，请选择该次会议。")
    if submitted_on.year < sitting.year:
        raise ServiceError(f"提交日期早于{sitting.name}的年度（{sitting.year}年），与所选会议不符。")


def next_sitting(sitting):
    if sitting.opened_on is None:
        return None
    return db.session.scalars(select(Sitting).where(
        Sitting.body == sitting.body, Sitting.opened_on > sitting.opened_on).order_by(Sitting.opened_on).limit(1)).first()


def check_proposers(sitting, data: SubmissionData):
    people = [data.lead, *data.cosigners]
    if data.lead is None:
        raise ServiceError("请填写领衔人。")
    if any(m.body != sitting.body for m in people):
        raise ServiceError(f"提出人须是{sitting.body_label}的{sitting.member_title}或集体提出者。")
    if len({m.id for m in people}) != len(people):
        raise ServiceError("领衔人不能同时作为联名人，联名人也不能重复。")
    if any(m.is_group for m in data.cosigners):
        raise ServiceError("以集体名义提出的只能作为提出者（领衔），不能联名。")
    if data.lead.is_group and data.cosigners:
        raise ServiceError("以集体名义提出的，不能再添加个人联名人。")
    if data.proposer_count is not None:
        if data.lead.is_group:
            raise ServiceError("以集体名义提出的，不填写提出人数。")
        if not len(people) <= data.proposer_count <= 1000 or data.proposer_count < 2:
            raise ServiceError(f"提出人数（“等N名”）须在 {max(2, len(people))} 到 1000 之间，且不少于已列出的"
                               f"{len(people)}人。")


def _validate(data: SubmissionData, existing: Submission | None = None) -> numbering.CaseNumber | None:
    """Check everything; returns the typed number parsed (None when left empty)."""
    sitting = data.sitting
    expected_kind = SUBMISSION_KIND_OF_BODY[sitting.body]
    if data.kind != expected_kind:
        raise ServiceError(f"{sitting.name}只受理{SUBMISSION_KINDS[expected_kind]}，请检查类型。")
    if data.period not in PERIODS:
        raise ServiceError("请选择提交时段（大会期间或闭会期间）。")
    number = numbering.parse(sitting, data.number) if (data.number or "").strip() else None
    if number is not None:
        other = numbering.clash(sitting, number, exclude_id=existing.id if existing else None)
        if other is not None:
            raise ServiceError(f"{sitting.name}已有{other.kind_label}{other.number_label}"
                               f"《{other.title}》，编号不能重复。")
    check_dates(sitting, data.submitted_on, data.period)
    check_proposers(sitting, data)
    return number


def fill(submission: Submission, data: SubmissionData):
    """Write the registration data onto the case (a new one, or one being edited)."""
    submission.sitting = data.sitting
    for assignment in submission.assignments:
        assignment.body = data.sitting.body
    submission.kind = data.kind
    submission.title = data.title.strip()
    submission.content = (data.content or "").strip() or None
    submission.category = data.category
    submission.submitted_on = data.submitted_on
    submission.is_key = data.is_key
    if not data.is_key:   # who supervises belongs to a 重点 case only
        submission.supervisor = submission.supervising_office = None
    submission.disclosure_wish = data.disclosure_wish
    submission.period = data.period
    submission.proposer_count = data.proposer_count
    submission.reply_to_lead = bool(data.reply_to_lead) and bool(data.cosigners or data.proposer_count)
    submission.suggested_departments = (data.suggested_departments or "").strip() or None
    wanted = [data.lead, *data.cosigners]
    current = {p.member_id: p for p in submission.proposers}
    rows = []
    for position, member in enumerate(wanted):
        row = current.get(member.id) or SubmissionProposer(member=member)
        row.position = position
        rows.append(row)
    submission.proposers = rows


def _attach(user, submission, uploads) -> list[str]:
    for upload, content_type in checked(uploads):
        submission.attachments.append(Attachment(
            filename=upload.filename, content_type=content_type, size=len(upload.data),
            data=upload.data, uploaded_by_id=user.id))
    return [u.filename for u in uploads]


def register_submission(user, data: SubmissionData, online: bool = False) -> Submission:
    """登记 by a clerk, or (`online`) 网上提交 by the lead from their own account: the same checks and numbering."""
    # the sitting's row first: numbers are checked and given one registration at a time
    counter = numbering.lock_sitting(data.sitting)
    number = _validate(data)
    auto = number is None and data.sitting.auto_numbering == "register"
    if auto:
        number = numbering.next_free(data.sitting, counter)
    submission = Submission(registered_by_id=user.id, online=online)
    fill(submission, data)
    numbering.assign_to(submission, number)
    db.session.add(submission)
    files = _attach(user, submission, data.uploads)
    engine.start(user, submission, join_notes(f"自动编号：{submission.number_label}" if auto else None,
                                         "附件：" + "、".join(files) if files else None),
                 name="submit_online" if online else "register")
    db.session.flush()
    return submission


def update_submission(user, submission: Submission, data: SubmissionData):
    engine.check(user, submission, "edit_submission")
    if submission.is_key and not data.is_key and submission.supervision_records:
        raise ServiceError("本件已有督办记录，不能取消重点。")
    numbering.lock_sitting(data.sitting)
    number = _validate(data, existing=submission)
    if number is None and submission.number and data.sitting.id == submission.sitting_id:
        raise ServiceError("编号不能清空。")
    fill(submission, data)
    numbering.assign_to(submission, number)
    files = _attach(user, submission, data.uploads)
    engine.fire(user, submission, "edit_submission", join_notes("附件：" + "、".join(files) if files else None))
    db.session.flush()


def accept(user, submission, comment=None):
    engine.check(user, submission, "accept")
    given = None
    if submission.number is None and submission.sitting.auto_numbering == "accept":
        numbering.assign_to(submission, numbering.next_free(submission.sitting))
        given = f"编号：{submission.number_label}"
    engine.fire(user, submission, "accept", join_notes(given, (comment or "").strip()))
    tell_proposers(submission, lambda own: messages.accepted(submission, own=own))
    db.session.flush()


def reject(user, submission, ground, note=None):
    engine.check(user, submission, "reject")
    if ground is None:
        raise ServiceError("不立案须选择理由。")
    submission.rejection_ground = ground
    submission.review_note = (note or "").strip() or None
    comment = ground.name + (f"：{submission.review_note}" if submission.review_note else "")
    engine.fire(user, submission, "reject", comment)
    tell_proposers(submission, lambda own: messages.rejected(submission, comment, own=own))
    db.session.flush()


def return_for_revision(user, submission, comment):
    engine.fire(user, submission, "return_for_revision", comment)
    submission.review_note = comment.strip()
    tell_proposers(submission, lambda own: messages.returned_for_revision(submission, comment.strip(), own=own))
    db.session.flush()


def resubmit(user, submission, title, content, comment=None):
    engine.check(user, submission, "resubmit")
    submission.title = title.strip()
    submission.content = content.strip()
    engine.fire(user, submission, "resubmit", comment)
    notify(clerks_for(submission.sitting.body), submission, messages.resubmitted(submission))
    db.session.flush()


def merge(user, submission, host_number: str, comment=None):
    engine.check(user, submission, "merge")
    host = numbering.find(submission.sitting_id, host_number or "")
    if host is None:
        raise ServiceError(f"本次会议没有编号为「{(host_number or '').strip()}」的件，无法并案。")
    if host.id == submission.id:
        raise ServiceError("不能并入自身。")
    if host.state not in ("registered", "accepted", "assigned"):
        raise ServiceError(f"{host.number_label}当前为「{host.state_label}」，不能作为并案主件。")
    if submission.merged:
        raise ServiceError("本件已有其他件并入，不能再并入他件。")
    submission.merged_into = host
    note = (comment or "").strip()
    engine.fire(user, submission, "merge", f"并入{host.number_label or host.reference}" + (f"：{note}" if note else ""))
    engine.record(user, host, "merge", comment=f"{submission.number_label or submission.reference}并入本件")
    tell_proposers(submission, lambda own: messages.merged(submission, host, own=own))
    db.session.flush()


def convert(user, submission, comment=None):
    engine.fire(user, submission, "convert", comment)
    submission.review_note = (comment or "").strip() or None
    tell_proposers(submission, lambda own: messages.converted(submission, submission.review_note, own=own))
    db.session.flush()
