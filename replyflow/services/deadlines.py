"""Changing due dates: 申请延期 and the clerk's answer. Every change is on the case's timeline."""
from datetime import date

from ..clock import cn_date, now_utc
from ..extensions import db
from ..models import ExtensionRequest
from ..notifications import messages
from ..notifications.service import clerks_for, department_users, notify, tell_proposers
from ..workflow import deadlines, engine
from . import ServiceError


def _move_due(assignment, new_due: date) -> str:
    old, assignment.due_on = assignment.due_on, new_due
    return f"办理期限：{cn_date(old)} → {cn_date(new_due)}"


def change_due(user, assignment, new_due: date, reason: str):
    """The clerk moves a due date; the timeline says from what to what, and why."""
    engine.check(user, assignment, "change_due", reason)
    if new_due is None or new_due <= assignment.assigned_on:
        raise ServiceError("新的办理期限须晚于交办日期。")
    if new_due == assignment.due_on:
        raise ServiceError("新的办理期限与现有期限相同。")
    engine.fire(user, assignment, "change_due", f"{_move_due(assignment, new_due)}。{reason.strip()}")
    notify(department_users(assignment.department_id, "handler"), assignment.submission,
           messages.due_changed(assignment, new_due))
    db.session.flush()


def request_extension(user, assignment, requested_due: date, reason: str) -> ExtensionRequest:
    engine.check(user, assignment, "request_extension", reason)
    sitting = assignment.submission.sitting
    limit = deadlines.extension_limit(sitting, assignment)
    if requested_due is None:
        raise ServiceError("请填写申请延期至的日期。")
    if requested_due <= assignment.due_on:
        raise ServiceError(f"延期后的期限须晚于现有期限（{cn_date(assignment.due_on)}）。")
    if requested_due > limit:
        raise ServiceError(f"最多可延期至{cn_date(limit)}（每次不超过{sitting.extension_months}个月，"
                           f"且不晚于交办后{sitting.extension_cap_months}个月）。")
    request = ExtensionRequest(requested_due_on=requested_due, reason=reason.strip(), requested_by_id=user.id)
    assignment.extensions.append(request)
    engine.fire(user, assignment, "request_extension", f"申请延期至{cn_date(requested_due)}：{reason.strip()}")
    notify(clerks_for(sitting.body), assignment.submission, messages.extension_requested(assignment, requested_due))
    db.session.flush()
    return request


def grant_extension(user, assignment, due_on: date | None = None, comment: str | None = None):
    engine.check(user, assignment, "grant_extension")
    request = assignment.pending_extension
    new_due = due_on or request.requested_due_on
    limit = deadlines.extension_limit(assignment.submission.sitting, assignment)
    if new_due <= assignment.due_on:
        raise ServiceError(f"延期后的期限须晚于现有期限（{cn_date(assignment.due_on)}）。")
    if new_due > limit:
        raise ServiceError(f"最多可延期至{cn_date(limit)}。")
    note = (comment or "").strip()
    engine.fire(user, assignment, "grant_extension",
                f"同意延期，{_move_due(assignment, new_due)}" + (f"。{note}" if note else ""))
    request.status, request.granted_due_on = "granted", new_due
    request.decided_by_id, request.decided_at, request.decision_comment = user.id, now_utc(), note or None
    submission = assignment.submission
    notify(department_users(assignment.department_id, "handler"), submission,
           messages.extension_granted(assignment, new_due))
    tell_proposers(submission, lambda own: messages.due_extended(submission, assignment, new_due, own=own))
    db.session.flush()


def refuse_extension(user, assignment, comment: str):
    engine.fire(user, assignment, "refuse_extension", comment)
    request = assignment.pending_extension
    request.status, request.decided_by_id, request.decided_at = "refused", user.id, now_utc()
    request.decision_comment = comment.strip()
    notify(department_users(assignment.department_id, "handler"), assignment.submission,
           messages.extension_refused(assignment, comment.strip()))
    db.session.flush()

