"""Drafting, sign-off and delivery of replies (答复件)."""
from datetime import date

from sqlalchemy import select

from ..clock import now_utc, today
from ..documents.service import freeze
from ..documents.spec import DOC_NUMBER
from ..extensions import db
from ..models import AnswerClass, Assignment, Reply, ReplyVersion
from ..models.reply import REPLY_FIELDS
from ..notifications import messages
from ..notifications.service import clerks_for, department_users, notify, proposer_users
from ..vocab import DISCLOSURES
from ..workflow import engine
from . import ServiceError

FIELD_LIMITS = {"title": 200, "salutation": 80, "doc_number": 40, "signer_name": 40, "handler_name": 40,
                "phone": 40, "cc": 200, "issuing_organ": 80, "body": 50000}


def default_title(submission) -> str:
    sitting = submission.sitting
    if submission.kind == "proposal":
        return f"关于对{sitting.name}委员提案第{submission.number:04d}号的答复"
    return f"对{sitting.name}第{submission.number:04d}号建议的答复"


def default_opening(submission) -> str:
    """The customary first line: 你们提出的《关于…的建议》的提案收悉 / 您提出的关于…的建议收悉."""
    you = "你们" if len(submission.proposers) > 1 else "您"
    if submission.kind == "suggestion" and submission.title.endswith("建议"):
        return f"{you}提出的{submission.title}收悉，现答复如下："
    return f"{you}提出的《{submission.title}》的{submission.kind_label}收悉，现答复如下："


def suggest_doc_number(department, year: int) -> str:
    """The department's next number this year: one past the highest it has used."""
    used = db.session.scalars(
        select(Reply.doc_number).join(Assignment).where(
            Assignment.department_id == department.id, Reply.doc_number.like(f"%〔{year}〕%"))
    ).all()
    seqs = [int(m["seq"]) for n in used if (m := DOC_NUMBER.match(n or "")) and int(m["year"]) == year]
    return f"{department.doc_prefix}〔{year}〕{max(seqs, default=0) + 1}号"


def _default_signer_name(department_id):
    signers = department_users(department_id, "signer")
    return signers[0].name if signers else None


def draft_defaults(user, assignment, previous: Reply | None = None) -> dict:
    """The fields a new draft starts with: carried over on 重新办理, else pre-filled from the case."""
    submission = assignment.submission
    department = assignment.department
    if previous is not None:
        data = {field: getattr(previous, field) for field in REPLY_FIELDS}
        data["issue_date"] = None
    else:
        data = {
            "title": default_title(submission),
            "salutation": submission.lead.salutation if submission.lead else "",
            "body": default_opening(submission) + "\n\n",
            "disclosure": "not_public" if submission.disclosure_wish == "not_public" else "public",
            "signer_name": _default_signer_name(department.id),
            "handler_name": user.name if user else None,
            "phone": department.phone,
            "cc": submission.sitting.reply_cc,
            "issuing_organ": department.organ_name,
        }
    data["doc_number"] = suggest_doc_number(department, today().year)
    return data


def new_reply(user, assignment, previous: Reply | None = None) -> Reply:
    """A reply for the assignment's current round, added to the session."""
    reply = Reply(round=assignment.round, created_by_id=user.id if user else None,
                  **draft_defaults(user, assignment, previous))
    assignment.replies.append(reply)
    return reply


def current_draft(user, assignment) -> Reply:
    """The reply being drafted in this round, created on first use."""
    reply = assignment.current_reply
    if reply is None or reply.round != assignment.round:
        reply = new_reply(user, assignment, previous=reply)
        db.session.flush()
    return reply


def _validate(assignment, reply, data: dict):
    for field, limit in FIELD_LIMITS.items():
        value = data.get(field) or ""
        if len(value) > limit:
            raise ServiceError(f"「{field}」过长，最多 {limit} 字。")
    codes = db.session.scalars(select(AnswerClass.code).where(
        AnswerClass.body == assignment.submission.sitting.body)).all()
    if data.get("answer_class") and data["answer_class"] not in codes:
        raise ServiceError("答复类别不在本届的类别中。")
    if data.get("disclosure") not in DISCLOSURES:
        raise ServiceError("请选择公开属性。")
    number = (data.get("doc_number") or "").strip()
    if number:
        if not DOC_NUMBER.match(number):
            raise ServiceError("发文字号格式应如：常人才办〔2025〕24号（六角括号，序号不加“第”、不编虚位）。")
        clash = db.session.scalar(select(Reply.id).join(Assignment).where(
            Assignment.department_id == assignment.department_id, Reply.doc_number == number,
            Reply.id != reply.id))
        if clash is not None:
            raise ServiceError(f"发文字号 {number} 已被本单位其他答复件使用。")
    issue_date: date | None = data.get("issue_date")
    if issue_date and issue_date < assignment.submission.submitted_on:
        raise ServiceError("成文日期不能早于提交日期。")


def save_draft(user, assignment, data: dict) -> Reply:
    """Save the handler's edits as a new version of the current round's reply."""
    engine.check(user, assignment, "save_draft")
    reply = current_draft(user, assignment)
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    data["body"] = (data.get("body") or "").replace("\r\n", "\n")
    _validate(assignment, reply, data)
    for field in REPLY_FIELDS:
        if field in data:
            setattr(reply, field, data[field] or (None if field not in ("title", "salutation", "body") else ""))
    reply.versions.append(ReplyVersion(number=len(reply.versions) + 1, data=reply.snapshot(),
                                       saved_by_id=user.id))
    engine.fire(user, assignment, "save_draft", f"第{len(reply.versions)}版")
    db.session.flush()
    return reply


def submit_for_signoff(user, assignment):
    engine.check(user, assignment, "submit_for_signoff")
    reply = assignment.current_reply
    reply.submitted_by_id = user.id
    reply.submitted_at = now_utc()
    engine.fire(user, assignment, "submit_for_signoff")
    notify(department_users(assignment.department_id, "signer"), assignment.submission,
           messages.awaiting_signoff(assignment))
    db.session.flush()


def return_reply(user, assignment, comment):
    engine.fire(user, assignment, "return_reply", comment)
    reply = assignment.current_reply
    author = [u for u in (reply.submitted_by,) if u is not None]
    notify(author or department_users(assignment.department_id, "handler"), assignment.submission,
           messages.reply_returned(assignment, comment.strip()))
    db.session.flush()


def sign_reply(user, assignment):
    engine.fire(user, assignment, "sign_reply")
    reply = assignment.current_reply
    reply.signed_by_id = user.id
    reply.signed_at = now_utc()
    if reply.issue_date is None:
        reply.issue_date = today()
    freeze(reply)
    notify(department_users(assignment.department_id, "handler"), assignment.submission,
           messages.reply_signed(assignment, reply, needs_review=False))
    db.session.flush()


def deliver_reply(user, assignment):
    engine.fire(user, assignment, "deliver_reply")
    reply = assignment.current_reply
    reply.delivered_at = now_utc()
    submission = assignment.submission
    # the lead proposer rates the reply: their e-mail asks for it; the others receive the answer
    lead_user = submission.lead.user if submission.lead else None
    notify([lead_user], submission, messages.answered(submission, assignment, reply, asks_feedback=True))
    notify([u for u in proposer_users(submission) if u is not lead_user], submission,
           messages.answered(submission, assignment, reply, asks_feedback=False))
    notify(clerks_for(submission.sitting.body), submission, messages.delivered(assignment))
    db.session.flush()
