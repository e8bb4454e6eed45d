"""Template filters and globals: Chinese dates, labels, permissions."""
from datetime import date

from flask_login import current_user

from . import permissions, vocab
from .clock import cn_date, to_local, today
from .documents.service import pdf_available
from .replies.review import review_checks
from .workflow.states import ASSIGNMENT_STATES, SUBMISSION_STATES, action_label


def cn_datetime(value) -> str:
    if value is None:
        return ""
    local = to_local(value)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def days_left_label(days) -> str:
    if days is None:
        return ""
    if days > 0:
        return f"剩{days}天"
    if days == 0:
        return "今日到期"
    return f"超期{-days}天"


def register(app):
    app.jinja_env.filters.update(
        cn_date=cn_date, cn_datetime=cn_datetime, days_left=days_left_label,
    )
    app.jinja_env.globals.update(
        vocab=vocab, perm=permissions, action_label=action_label,
        SUBMISSION_STATES=SUBMISSION_STATES, ASSIGNMENT_STATES=ASSIGNMENT_STATES,
        today=today, date=date, pdf_available=pdf_available, review_checks=review_checks,
    )

    @app.context_processor
    def inject_unread():
        if current_user.is_authenticated:
            from .notifications.service import unread_count, unread_label

            count = unread_count(current_user)
            return {"unread_notifications": count, "unread_label": unread_label(count)}
        return {"unread_notifications": 0, "unread_label": "0"}
