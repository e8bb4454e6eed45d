"""Drafting, sign-off and delivery of replies (答复件)."""
from datetime import date

from sqlalchemy import select

from ..clock import cn_date, now_utc, to_local, today
from ..documents import glyphs, punctuation
from ..documents import service as documents
from ..documents.layout import BODY_TRACKING, text_width
from ..documents.reply import MAX_ISSUER_CHARS
from ..documents.spec import DOC_NUMBER
from ..extensions import db
from ..models import AnswerClass, Reply, ReplyVersion
from ..models.reply import REPLY_FIELDS
from ..notifications import messages
from ..notifications.service import clerks_for, department_users, notify, tell_proposers
from ..vocab import DISCLOSURES, FOLLOW_UP_CLASSES
from ..workflow import deadlines, engine
from . import ServiceError, doc_numbers, join_notes
from . import reply_wording as wording

#: the fields set as Chinese text in the document, whose punctuation is made full-width on save
TEXT_FIELDS = ("title", "salutation", "body", "cc", "issuing_organ")
#: how the editor names the fields a refusal points to
FIELD_LABELS = {"title": "标题", "salutation": "称谓", "body": "正文", "cc": "抄送", "issuing_organ": "发文机关",
                "signer_name": "签发人", "handler_name": "经办人", "phone": "联系电话"}
FIELD_LIMITS = {"title": 200, "salutation": 400, "doc_number": 40, "signer_name": 40, "handler_name": 40,
                "phone": 40, "cc": 200, "issuing_organ": 80, "body": 50000}


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
            "title": wording.title(submission),
            "salutation": wording.salutation(submission),
            "body": wording.opening(submission) + "\n\n",
            "disclosure": "not_public" if submission.disclosure_wish == "not_public" else "public",
            "signer_name": _default_signer_name(department.id),
            "handler_name": user.name if user else None,
            "phone": department.phone,
            "cc": submission.sitting.reply_cc,
            "issuing_organ": department.organ_name,
        }
    data["doc_number"] = None  # taken when the reply is signed
    return data


def new_reply(user, assignment, previous: Reply | None = None) -> Reply:
    """A reply for the assignment's current round, added to the session."""
    reply = Reply(round=assignment.round, created_by_id=user.id if user else None,
                  **draft_defaults(user, assignment, previous))
    assignment.replies.append(reply)
    return reply


def new_round(assignment, due_on: date):
    """The next handling round (重新办理, 退回重办): a new due date, and a draft carried over from the last
    reply, which stays on record; the draft has no number until it is signed."""
    previous = assignment.current_reply
    assignment.round += 1
    assignment.due_on = due_on
    reply = new_reply(None, assignment, previous=previous)
    # a 二次答复 sent back (退回重办) is still the 二次答复
    reply.second_answer = assignment.follow_up == "answering"


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
        if doc_numbers.used_by_other(assignment.department_id, number, reply.id):
            raise ServiceError(f"发文字号 {number} 已被本单位其他答复件使用。")
    issue_date: date | None = data.get("issue_date")
    if issue_date and assignment.submission.submitted_on and issue_date < assignment.submission.submitted_on:
        raise ServiceError("成文日期不能早于提交日期。")
    organ = (data.get("issuing_organ") or "").strip()
    if organ and text_width(organ, BODY_TRACKING) > MAX_ISSUER_CHARS:
        raise ServiceError(f"发文机关「{organ}」作为正文下的署名一行放不下（最多 {MAX_ISSUER_CHARS} 个字宽），请用规范简称。")
    # the document's fonts print an empty box for what they lack: said now, not found in the printed copy
    for field, label in FIELD_LABELS.items():
        missing = glyphs.unshown(data.get(field) or "")
        if missing:
            raise ServiceError(f"{label}中有公文字体无法显示的字符：{'、'.join(glyphs.name(ch) for ch in missing[:5])}"
                               "。请删去（表情符号等）或改用常用字。")


def normalised(data: dict) -> tuple[dict, list[punctuation.Change]]:
    """The draft's fields with half-width punctuation in Chinese text made full-width, and what changed."""
    return punctuation.normalise_fields(data, TEXT_FIELDS)


class StaleDraft(ServiceError):
    """The editor was opened on an older version than the one saved now: saving would erase it."""

    def __init__(self, latest):
        who = latest.saved_by.name if latest.saved_by else "他人"
        when = to_local(latest.saved_at)
        super().__init__(f"答复件已由{who}于{cn_date(latest.saved_at)} {when:%H:%M}保存为第{latest.number}版，"
                         "您这次的修改未保存。两份文本并列在下面：请核对、合并后再保存。")
        self.latest = latest


def latest_version(assignment):
    """The last saved version of this round's reply, or None."""
    reply = assignment.current_reply
    if reply is None or reply.round != assignment.round or not reply.versions:
        return None
    return reply.versions[-1]


def save_draft(user, assignment, data: dict, record: bool = True, base: int | None = None) -> bool:
    """Save the handler's edits as a new version of the current round's reply.

    Returns False, keeping no version, when nothing changed. `record` False leaves the timeline entry
    to the step that follows in the same click (保存并送签). `base`: the version number the editor was
    opened on (0 for none); a newer saved version refuses the save (StaleDraft)."""
    engine.check(user, assignment, "save_draft")
    latest = latest_version(assignment)
    if base is not None and (latest.number if latest else 0) != base:
        raise StaleDraft(latest)
    reply = current_draft(user, assignment)
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    data["body"] = (data.get("body") or "").replace("\r\n", "\n")
    data = normalised(data)[0]
    _validate(assignment, reply, data)
    before = reply.snapshot()
    for field in REPLY_FIELDS:
        if field in data:
            setattr(reply, field, data[field] or (None if field not in ("title", "salutation", "body") else ""))
    if reply.versions and reply.snapshot() == before:
        return False
    reply.versions.append(ReplyVersion(number=len(reply.versions) + 1, data=reply.snapshot(),
                                       saved_by_id=user.id))
    if record:
        engine.fire(user, assignment, "save_draft", f"第{len(reply.versions)}版")
    db.session.flush()
    return True


def save_and_send(user, assignment, data: dict, base: int | None = None,
                  inspection=None) -> tuple[bool, str | None]:
    """保存并送签: save, then send for sign-off when it may go. What was typed is kept even when it may
    not go yet (a 会办 opinion missing, the layout check failed: `inspection`, made of the text posted before
    anything was locked). Returns (saved, why it was not sent)."""
    saved = save_draft(user, assignment, data, record=False, base=base)
    try:
        engine.check(user, assignment, "submit_for_signoff")
        if inspection is not None:
            documents.refuse_failing(inspection, "送签", "请修改后再送签。")
    except ServiceError as refusal:
        if saved:  # the save is the action of this click, then
            engine.fire(user, assignment, "save_draft", f"第{len(assignment.current_reply.versions)}版")
        return saved, refusal.message
    submit_for_signoff(user, assignment)
    return saved, None


def prepare_submission(user, assignment):
    """送签's slow part, before the row lock: the draft rendered and checked as it would be signed (on the page
    where LibreOffice is at hand); refused with the failed rules named. The fingerprint of the text checked."""
    engine.check(user, assignment, "submit_for_signoff")
    reply = assignment.current_reply
    documents.refuse_failing(documents.check_reply(reply, draft=True).inspection, "送签", "请修改后再送签。")
    return documents.fingerprint(reply)


def submit_for_signoff(user, assignment, checked: str | None = None):
    engine.check(user, assignment, "submit_for_signoff")
    reply = assignment.current_reply
    if checked is not None and documents.fingerprint(reply) != checked:
        raise ServiceError("答复件在版面检查之后又被修改，未送签：请再送签一次。")
    reply.submitted_by_id = user.id
    reply.submitted_at = now_utc()
    engine.fire(user, assignment, "submit_for_signoff", f"第{len(reply.versions)}版" if reply.versions else None)
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


def prepare_signing(user, assignment):
    """签发's slow part, before the row lock: the final document rendered, set in LibreOffice where it is at hand and
    checked on the page; refused with the failed rules named. What sign_reply then freezes."""
    engine.check(user, assignment, "sign_reply")
    return documents.render_for_signing(assignment.current_reply)


def sign_reply(user, assignment, comment: str | None = None, prepared=None):
    """签发: the document number is taken now, and the exact .docx is frozen: the one `prepared` checked (with the
    number written in), or, without it, rendered and checked here."""
    engine.check(user, assignment, "sign_reply")
    reply = assignment.current_reply
    if prepared is None:
        prepared = documents.render_for_signing(reply)
    if documents.fingerprint(reply) != prepared.fingerprint:
        raise ServiceError("答复件在版面检查之后又被修改，本次签发未完成：请重新签发。")
    if reply.issue_date is None:
        reply.issue_date = prepared.issued   # the day the checked document is dated, should midnight have passed
    if reply.doc_number:
        if doc_numbers.used_by_other(assignment.department_id, reply.doc_number, reply.id):
            raise ServiceError(f"发文字号 {reply.doc_number} 已被本单位其他答复件使用，请经办人修改或留空自动编号。")
    else:
        reply.doc_number = doc_numbers.take(assignment.department, reply.issue_date.year, reply.id)
    note = (comment or "").strip() or None
    engine.fire(user, assignment, "sign_reply", join_notes(reply.doc_number, note))
    reply.signed_by_id = user.id
    reply.signed_at = now_utc()
    reply.signoff_comment = note
    documents.freeze(reply, prepared)
    needs_review = assignment.submission.sitting.review_replies
    notify(department_users(assignment.department_id, "handler"), assignment.submission,
           messages.reply_signed(assignment, reply, needs_review))
    if needs_review:
        notify(clerks_for(assignment.submission.sitting.body), assignment.submission,
               messages.review_needed(assignment, reply))
    db.session.flush()


def pass_review(user, assignment, comment: str | None = None):
    """答复审核 passed: format, content against the submission and contact with the proposer checked."""
    engine.fire(user, assignment, "pass_review", comment)
    reply = assignment.current_reply
    reply.reviewed_by_id, reply.reviewed_at = user.id, now_utc()
    notify(department_users(assignment.department_id, "handler"), assignment.submission,
           messages.review_passed(assignment))
    db.session.flush()


def return_for_rework(user, assignment, reason: str, due_on: date | None = None):
    """退回重办: the signed reply stays on record; the department drafts a new one in a new round,
    by `due_on`, or by the later of the current due date and the sitting's re-handling months."""
    engine.check(user, assignment, "return_for_rework", reason)
    if due_on is not None and due_on <= today():
        raise ServiceError("重办期限须晚于今天。")
    due = due_on or max(assignment.due_on, deadlines.rehandling_due(assignment.submission.sitting, today()))
    note = f"重办期限 {cn_date(due)}" if due != assignment.due_on else None
    engine.fire(user, assignment, "return_for_rework", join_notes(reason.strip(), note))
    new_round(assignment, due)
    notify(department_users(assignment.department_id, "handler"), assignment.submission,
           messages.reworked(assignment, reason.strip()))
    db.session.flush()


def record_answer(assignment, reply):
    """What the statistics count of an answer: the first one's day, timeliness and contact; the latest's class;
    and 跟踪落实: a B / C (人大 also D) answer begins or goes on with it, another class ends it."""
    day = today()
    if reply.answer_class in FOLLOW_UP_CLASSES.get(assignment.body, ()):
        if not assignment.under_follow_up:
            assignment.follow_up_since = day
        assignment.follow_up, assignment.follow_up_last_on = "open", day
    elif assignment.under_follow_up:
        assignment.follow_up, assignment.follow_up_last_on = "done", day
    if assignment.answered_on is None:
        assignment.answered_on = day
        assignment.answered_on_time = day <= assignment.due_on
        assignment.contacted_before_answer = any(c.contact_on <= day for c in assignment.contacts)
    assignment.answer_class = reply.answer_class


def deliver_reply(user, assignment):
    engine.fire(user, assignment, "deliver_reply")
    reply = assignment.current_reply
    reply.delivered_at = now_utc()
    record_answer(assignment, reply)
    submission = assignment.submission
    # the lead proposer rates the reply: their e-mail asks for it; the others receive the answer
    lead_user = submission.lead.user if submission.lead else None
    notify([lead_user], submission, messages.answered(submission, assignment, reply, asks_feedback=True))
    tell_proposers(submission, lambda own: messages.answered(submission, assignment, reply, False, own=own),
                   exclude={lead_user.id} if lead_user else ())
    notify(clerks_for(submission.sitting.body), submission, messages.delivered(assignment))
    db.session.flush()
