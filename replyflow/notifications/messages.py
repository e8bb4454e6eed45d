"""The words of every notification: the in-app line and, where one goes out, the e-mail.

Services decide who is told and when; this module alone says what they are told, so the wording
reads the same everywhere and can be checked in one place. Proposers are told of every step that
concerns them in the app and by e-mail; staff get in-app lines, and e-mails for 催办 and reminders.
"""
from dataclasses import dataclass, replace

from flask import current_app

from ..clock import cn_date, today

DUTY_LABELS = {
    "reply": "办理答复",
    "opinion": "提交会办意见",
    "signoff": "签发答复件",
    "feedback": "评价答复",
    "urge": "催办",
}
FOOTER = "本邮件由系统自动发送，请勿回复。不需要邮件提醒的，可在系统“我的设置”中关闭。"
#: the end of every SMS: where to act, and how to stop them
SMS_TAIL = "请登录提案建议办理系统查看。退订请在“我的设置”中关闭短信提醒。"


@dataclass(frozen=True)
class Message:
    """One notification: always the in-app line; an e-mail too when it has a subject; an SMS when it has
    a text (kept short: a text message is billed per 70 characters)."""

    line: str
    subject: str | None = None
    body: str | None = None
    sms: str | None = None


def status_text(days_left: int) -> str:
    if days_left > 0:
        return f"还剩{days_left}天"
    if days_left == 0:
        return "今日到期"
    return f"已超期{-days_left}天"


def _base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def case_link(submission) -> str:
    return f"{_base_url()}/submissions/{submission.id}"


def reply_link(reply) -> str:
    return f"{_base_url()}/replies/{reply.id}/download"


def _compact(submission) -> str:
    # no spaces in subjects: they vanish between RFC 2047 encoded words in many mail clients
    return submission.reference.replace(" ", "")


def _yours(submission, own=None) -> str:
    """您的提案第0294号《…》; to the proposer of a case merged into it, their own case and where it went."""
    if own is None or own is submission:
        return f"您的{submission.kind_label}{submission.number_label}《{submission.title}》"
    return (f"您的{own.kind_label}{own.number_label}《{own.title}》"
            f"（已并入{submission.kind_label}{submission.number_label}办理）")


def _email(line: str, subject: str, *lines: str, link: str) -> Message:
    body = "\n".join(["您好：", "", *lines, "", f"请登录提案建议办理系统查看：{link}", "", FOOTER])
    return Message(line, subject, body)


def _to_proposer(submission, own, line: str, subject_tail: str, *details: str) -> Message:
    own = own or submission
    return _email(line, f"【{own.kind_label}办理】{_compact(own)}：{subject_tail}",
                  f"{_yours(submission, own)}{subject_tail}。", *details, link=case_link(own))


# -- to proposers: in the app and by e-mail ------------------------------------------------------

def accepted(submission, own=None) -> Message:
    return _to_proposer(submission, own, f"{_yours(submission, own)}已立案。", "已立案")


def rejected(submission, ground_and_note: str, own=None) -> Message:
    return _to_proposer(submission, own, f"{_yours(submission, own)}不予立案：{ground_and_note}", "不予立案",
                        f"理由：{ground_and_note}")


def returned_for_revision(submission, comment: str, own=None) -> Message:
    return _to_proposer(submission, own, f"{_yours(submission, own)}被退回修改：{comment}", "退回修改",
                        f"修改意见：{comment}", "请登录系统修改后重新提交。")


def merged(submission, host, own=None) -> Message:
    into = f"{host.kind_label}{host.number_label}《{host.title}》"
    return _to_proposer(submission, own, f"{_yours(submission, own)}已并入{into}办理，答复将一并送达。", "已并案办理",
                        f"并入：{into}", "答复将一并送达。")


def converted(submission, note: str | None, own=None) -> Message:
    return _to_proposer(submission, own, f"{_yours(submission, own)}已转为意见处理。", "已转为意见处理",
                        *([f"说明：{note}"] if note else []))


def assigned(submission, summary: str, own=None) -> Message:
    return _to_proposer(submission, own, f"{_yours(submission, own)}已交办：{summary}。", "已交办",
                        f"承办单位：{summary}")


def due_extended(submission, assignment, due, own=None) -> Message:
    department = assignment.department.name
    return _to_proposer(submission, own, f"{_yours(submission, own)}由{department}办理，办理期限延至{cn_date(due)}。",
                        "办理期限延长", f"承办单位：{assignment.department.name}", f"办理期限：{cn_date(due)}")


def answered(submission, assignment, reply, asks_feedback: bool, own=None) -> Message:
    """The answer, with a link to the signed reply; the lead proposer is asked for feedback too."""
    department = assignment.department.name
    line = f"{department}已答复{_yours(submission, own)}" + ("，请查阅并评价。" if asks_feedback else "，请查阅。")
    lines = [f"{department}已答复{_yours(submission, own)}。", f"答复件：{reply.doc_number or ''}",
             f"下载答复件：{reply_link(reply)}"]
    if asks_feedback:
        lines += ["", "请对办理工作和办理结果作出评价（满意 / 基本满意 / 不满意），填写征询意见表：",
                  case_link(submission)]
    subject = f"【{submission.kind_label}答复】{_compact(own or submission)}：{department}{'（请评价）' if asks_feedback else ''}"
    own = own or submission
    text = (f"{department}已答复您的{own.kind_label}{own.number_label}" + ("，请查阅并评价。" if asks_feedback else "。")
            + SMS_TAIL)
    return replace(_email(line, subject, *lines, link=case_link(submission)), sms=text)


def rehandling(submission, assignment, due, own=None) -> Message:
    return _to_proposer(submission, own, f"{_yours(submission, own)}已交{assignment.department.name}重新办理。", "重新办理",
                        f"承办单位：{assignment.department.name}", f"办理期限：{cn_date(due)}")


def follow_up_progress(submission, assignment, progress_on, text: str, own=None) -> Message:
    return _to_proposer(submission, own, f"{assignment.department.name}报告了{_yours(submission, own)}的落实进展：{text}",
                        "落实进展", f"承办单位：{assignment.department.name}", f"进展日期：{cn_date(progress_on)}",
                        f"进展情况：{text}")


def closed_by_clerk(submission, assignment, note: str, own=None) -> Message:
    return _to_proposer(submission, own, f"{_yours(submission, own)}（{assignment.department.name}答复）已办结：{note}", "已办结",
                        f"承办单位：{assignment.department.name}", f"说明：{note}")


# -- to staff: in the app ----------------------------------------------------------------------

def new_assignment(assignment, adjusted: bool = False) -> Message:
    s = assignment.submission
    return Message(f"新交办（{assignment.role_label}{'，调整' if adjusted else ''}）：{s.reference}《{s.title}》，请签收。")


def adjustment_requested(assignment, reason: str) -> Message:
    return Message(f"{assignment.department.name}申请调整{assignment.submission.reference}：{reason}")


def adjustment_granted(assignment, new_department) -> Message:
    return Message(f"{assignment.submission.reference}的调整申请已同意，改由{new_department.name}办理。")


def adjustment_refused(assignment, comment: str) -> Message:
    return Message(f"{assignment.submission.reference}的调整申请未同意：{comment}，请签收办理。")


def opinion_submitted(co_assignment) -> Message:
    return Message(f"{co_assignment.department.name}已提交{co_assignment.submission.reference}的会办意见。")


def opinion_waived(co_assignment, note: str) -> Message:
    return Message(f"{co_assignment.submission.reference}：同意{co_assignment.department.name}免交会办意见（{note}）。")


def _to_department(assignment, *lines: str, footer: bool) -> str:
    """The body of an e-mail to a department: the case, the department, what is due, the link."""
    s = assignment.submission
    return "\n".join(["您好：", "", f"{s.reference}《{s.title}》",
                      f"承办单位：{assignment.department.name}（{assignment.role_label}）", *lines, "",
                      f"请登录提案建议办理系统处理：{case_link(s)}", *(["", FOOTER] if footer else [])])


def urge(assignment, message: str) -> Message:
    """催办: in the app and by e-mail."""
    s = assignment.submission
    body = _to_department(
        assignment, f"办理期限：{cn_date(assignment.due_on)}（{status_text((assignment.due_on - today()).days)}）",
        f"催办意见：{message}", footer=False)
    return Message(f"催办：{s.reference}《{s.title}》——{message}", f"【催办】{_compact(s)}：{s.title}", body)


def extension_requested(assignment, due) -> Message:
    return Message(f"{assignment.department.name}申请将{assignment.submission.reference}的办理期限延至{cn_date(due)}。")


def extension_granted(assignment, due) -> Message:
    return Message(f"{assignment.submission.reference}的延期申请已同意，办理期限为{cn_date(due)}。")


def extension_refused(assignment, comment: str) -> Message:
    return Message(f"{assignment.submission.reference}的延期申请未同意：{comment}，请按期办理。")


def due_changed(assignment, due) -> Message:
    return Message(f"{assignment.submission.reference}的办理期限调整为{cn_date(due)}。")


def feedback_given(assignment, summary: str) -> Message:
    return Message(f"{assignment.submission.reference}的答复评价：{summary}。")


def cosigner_opinion(assignment, member) -> Message:
    return Message(f"联名人{member.name}对{assignment.submission.reference}的答复提出了意见。")


def dissatisfied(assignment) -> Message:
    return Message(f"{assignment.submission.reference}的答复被评为不满意，请决定重新办理或办结。")


def rehandling_ordered(assignment, due) -> Message:
    return Message(f"{assignment.submission.reference}须重新办理，期限 {cn_date(due)}。")


def resubmitted(submission) -> Message:
    return Message(f"{submission.reference}已修改后重新提交，请审查。")


def awaiting_signoff(assignment) -> Message:
    return Message(f"待签发：{assignment.submission.reference}的答复件。")


def reply_returned(assignment, comment: str) -> Message:
    return Message(f"答复件被退回修改（{assignment.submission.reference}）：{comment}")


def reply_signed(assignment, reply, needs_review: bool) -> Message:
    then = f"，待{assignment.submission.sitting.office}审核后答复" if needs_review else "，可以答复"
    return Message(f"答复件已签发（{reply.doc_number}）{then}。")


def review_needed(assignment, reply) -> Message:
    return Message(f"待审核答复：{assignment.department.name}已签发{assignment.submission.reference}的答复件"
                   f"（{reply.doc_number}）。")


def review_passed(assignment) -> Message:
    return Message(f"{assignment.submission.reference}的答复件已审核通过，请答复提出人。")


def reworked(assignment, reason: str) -> Message:
    return Message(f"{assignment.submission.reference}的答复件经审核退回重办：{reason}")


def delivered(assignment) -> Message:
    return Message(f"{assignment.department.name}已答复{assignment.submission.reference}。")


# -- 网上提交: invitations to co-sign, the submission, 撤回 --------------------------------------------

def _draft_link(draft) -> str:
    return f"{_base_url()}/online/drafts/{draft.id}"


def invited(draft, changed: bool = False) -> Message:
    """To an invitee: the lead asks them to co-sign (again, after changing the text)."""
    lead, kind = draft.lead.name, draft.kind_label
    what = f"{lead}{'修改了' if changed else '邀请您联名'}{kind}《{draft.title}》"
    line = what + ("，请重新确认是否联名。" if changed else "，请确认是否同意联名。")
    subject = f"【联名邀请】{lead}：{draft.title}"
    body = "\n".join(["您好：", "", line, f"会议：{draft.sitting.name}", "",
                      f"请登录提案建议办理系统阅读全文并确认：{_draft_link(draft)}", "", FOOTER])
    text = f"{lead}{'修改了' if changed else '邀请您联名'}{kind}《{draft.title[:20]}》，请确认是否联名。{SMS_TAIL}"
    return Message(line, subject, body, text)


def invitation_answered(draft, invitation) -> Message:
    return Message(f"{invitation.member.name}{'同意联名' if invitation.state == 'confirmed' else '谢绝联名'}"
                   f"《{draft.title}》。")


def invitation_cancelled(draft) -> Message:
    return Message(f"{draft.lead.name}已取消请您联名《{draft.title}》。")


def invitation_closed(draft) -> Message:
    return Message(f"{draft.lead.name}已提交《{draft.title}》，您未在提交前确认，未列为联名人。")


def cosigned_submitted(submission) -> Message:
    return Message(f"您联名的{submission.kind_label}《{submission.title}》已由{submission.lead.name}提交，"
                   f"{submission.number_label or '待编号'}。")


def submitted_online(submission) -> Message:
    return Message(f"网上提交：{submission.reference}《{submission.title}》（{submission.proposers_label}），请审查。")


def withdrawal_requested(submission, reason: str) -> Message:
    return Message(f"{submission.lead.name}申请撤回{submission.reference}：{reason}，请审核。")


def withdrawal_refused(submission, comment: str, own=None) -> Message:
    return _to_proposer(submission, own, f"{_yours(submission, own)}的撤回申请未同意：{comment}", "撤回申请未同意",
                        f"理由：{comment}")


def withdrawn(submission, own=None) -> Message:
    return _to_proposer(submission, own, f"{_yours(submission, own)}已撤回。", "已撤回")


def withdrawn_to_department(assignment) -> Message:
    s = assignment.submission
    return Message(f"{s.reference}《{s.title}》已由提出人撤回，本单位无须再办理。")


# -- reminders ---------------------------------------------------------------------------------

def follow_up_stale(assignment, last_on, months: int) -> Message:
    """跟踪落实: no progress recorded for `months` months, to the department."""
    submission = assignment.submission
    status = f"已{months}个月无落实进展（最近{cn_date(last_on)}）"
    line = f"提醒：{submission.reference}跟踪落实{status}"
    subject = f"【提醒】{_compact(submission)}：跟踪落实{status}"
    named = submission.number_label or f"《{submission.title[:20]}》"
    text = f"{submission.kind_label}{named}跟踪落实{status}，请报送进展。{SMS_TAIL}"
    return Message(line, subject, _to_department(
        assignment, f"答复类别：{assignment.answer_class}类，跟踪落实中", f"最近进展：{cn_date(last_on)}（{status}）",
        "问题解决后请发出二次答复。", footer=True), text)


def reminder(duty: str, assignment, due_on, days_left: int) -> Message:
    submission = assignment.submission
    label, status = DUTY_LABELS[duty], status_text(days_left)
    line = f"提醒：{submission.reference}{label}{status}（期限{cn_date(due_on)}）"
    subject = f"【提醒】{_compact(submission)}：{label}{status}"
    named = submission.number_label or f"《{submission.title[:20]}》"
    text = f"{submission.kind_label}{named}{label}{status}（期限{cn_date(due_on)}）。{SMS_TAIL}"
    return Message(line, subject, _to_department(assignment, f"事项：{label}", f"期限：{cn_date(due_on)}（{status}）",
                                                 footer=True), text)
