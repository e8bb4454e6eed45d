"""The words of reminders: in-app line, e-mail subject and body (Chinese, with a link)."""
from flask import current_app

from ..clock import cn_date, today

DUTY_LABELS = {
    "reply": "办理答复",
    "opinion": "提交会办意见",
    "signoff": "签发答复件",
    "feedback": "评价答复",
    "urge": "催办",
}


def status_text(days_left: int) -> str:
    if days_left > 0:
        return f"还剩{days_left}天"
    if days_left == 0:
        return "今日到期"
    return f"已超期{-days_left}天"


def case_link(submission) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/submissions/{submission.id}"


def reminder_texts(duty: str, assignment, due_on, days_left: int) -> tuple[str, str, str]:
    """(in-app message, e-mail subject, e-mail body) of one reminder."""
    submission = assignment.submission
    label, status = DUTY_LABELS[duty], status_text(days_left)
    line = f"提醒：{submission.reference}{label}{status}（期限{cn_date(due_on)}）"
    # no spaces in subjects: they vanish between RFC 2047 encoded words in many mail clients
    subject = f"【提醒】{_compact(submission)}：{label}{status}"
    body = "\n".join([
        "您好：",
        "",
        f"{submission.reference}《{submission.title}》",
        f"承办单位：{assignment.department.name}（{assignment.role_label}）",
        f"事项：{label}",
        f"期限：{cn_date(due_on)}（{status}）",
        "",
        f"请登录提案建议办理系统处理：{case_link(submission)}",
        "",
        "本邮件由系统自动发送，请勿回复。不需要邮件提醒的，可在系统“我的设置”中关闭。",
    ])
    return line, subject, body


def urge_texts(assignment, message: str) -> tuple[str, str]:
    submission = assignment.submission
    subject = f"【催办】{_compact(submission)}：{submission.title}"
    body = "\n".join([
        "您好：",
        "",
        f"{submission.reference}《{submission.title}》",
        f"承办单位：{assignment.department.name}（{assignment.role_label}）",
        f"办理期限：{cn_date(assignment.due_on)}（{status_text((assignment.due_on - today()).days)}）",
        f"催办意见：{message.strip()}",
        "",
        f"请登录提案建议办理系统处理：{case_link(submission)}",
    ])
    return subject, body


def _compact(submission) -> str:
    return submission.reference.replace(" ", "")

