"""Assignment to departments (交办) and the department's handling before the reply is drafted."""
from datetime import date

from ..clock import cn_date, now_utc, today
from ..extensions import db
from ..models import Assignment, ContactRecord
from ..notifications import messages
from ..notifications.service import clerks_for, department_users, notify, tell_proposers
from ..vocab import ASSIGNMENT_ROLES, CONTACT_METHODS
from ..workflow import deadlines, engine
from . import ServiceError


def _check_due(submission, due_on: date | None, assigned_on: date) -> date:
    if due_on is None:
        return deadlines.reply_due(submission.sitting, assigned_on)
    if due_on <= assigned_on:
        raise ServiceError("办理期限须晚于交办日期。")
    if submission.submitted_on and due_on < submission.submitted_on:
        raise ServiceError("办理期限不能早于提交日期。")
    return due_on


def _new_assignment(user, submission, department, role, due_on, assigned_on):
    assignment = Assignment(department=department, department_id=department.id, role=role, body=submission.sitting.body,
                            state="pending_ack", assigned_on=assigned_on, due_on=due_on,
                            assigned_by_id=user.id)
    submission.assignments.append(assignment)
    return assignment


def assign(user, submission, *, mode: str, lead=None, co=(), split=(), due_on=None, comment=None):
    """交办: mode "lead" = one 主办 plus optional 会办; mode "split" = several 分办 answering separately."""
    engine.check(user, submission, "assign")
    assigned_on = today()
    due = _check_due(submission, due_on, assigned_on)
    co, split = list(co), list(split)
    if mode == "lead":
        if lead is None:
            raise ServiceError("请选择主办单位。")
        if any(d.id == lead.id for d in co):
            raise ServiceError("主办单位不能同时作为会办单位。")
        plan = [(lead, "lead")] + [(d, "co") for d in co]
    elif mode == "split":
        if len(split) < 2:
            raise ServiceError("分办须选择至少两个单位。")
        plan = [(d, "split") for d in split]
    else:
        raise ServiceError("请选择交办方式。")
    if len({d.id for d, _ in plan}) != len(plan):
        raise ServiceError("同一单位不能重复交办。")
    if any(not d.active for d, _ in plan):
        raise ServiceError("所选单位已停用。")

    summary = "；".join(f"{ASSIGNMENT_ROLES[r]}：{d.name}" for d, r in plan)
    created = []
    for department, role in plan:
        # a 会办 opinion is due earlier (a month by default) so the lead can use it in the reply
        role_due = min(deadlines.opinion_due(submission.sitting, assigned_on), due) if role == "co" else due
        created.append(_new_assignment(user, submission, department, role, role_due, assigned_on))
    note = (comment or "").strip()
    # one timeline entry for the whole 交办: each department with its due date
    engine.fire(user, submission, "assign", "；".join(
        f"{a.role_label}：{a.department.name}（期限{cn_date(a.due_on)}）" for a in created) + (f"。{note}" if note else ""))
    db.session.flush()
    for assignment in created:
        notify(department_users(assignment.department_id, "handler"), submission, messages.new_assignment(assignment))
    tell_proposers(submission, lambda own: messages.assigned(submission, summary, own=own))
    db.session.flush()


def acknowledge(user, assignment):
    engine.fire(user, assignment, "acknowledge")
    assignment.handler_id = user.id
    assignment.acknowledged_at = now_utc()
    db.session.flush()


def request_adjustment(user, assignment, reason):
    engine.fire(user, assignment, "request_adjustment", reason)
    assignment.adjustment_reason = reason.strip()
    notify(clerks_for(assignment.submission.sitting.body), assignment.submission,
           messages.adjustment_requested(assignment, reason.strip()))
    db.session.flush()


def grant_adjustment(user, assignment, new_department, due_on=None, comment=None):
    """Reassign: the old assignment ends as 已调整, a new one starts with the new department."""
    engine.check(user, assignment, "grant_adjustment")
    submission = assignment.submission
    if new_department is None:
        raise ServiceError("请选择调整后的承办单位。")
    if any(a.department_id == new_department.id for a in submission.active_assignments):
        raise ServiceError(f"{new_department.name}已承办本件，不能重复交办。")
    assigned_on = today()
    due = _check_due(submission, due_on, assigned_on) if due_on else assignment.due_on
    if due <= assigned_on:
        due = deadlines.reply_due(submission.sitting, assigned_on)
    engine.fire(user, assignment, "grant_adjustment",
                f"调整至{new_department.name}（{assignment.role_label}，期限{cn_date(due)}）"
                + (f"：{comment.strip()}" if (comment or "").strip() else ""))
    successor = _new_assignment(user, submission, new_department, assignment.role, due, assigned_on)
    db.session.flush()
    assignment.replaced_by_id = successor.id
    notify(department_users(new_department.id, "handler"), submission, messages.new_assignment(successor, adjusted=True))
    notify(department_users(assignment.department_id, "handler"), submission,
           messages.adjustment_granted(assignment, new_department))
    db.session.flush()
    return successor


def refuse_adjustment(user, assignment, comment):
    engine.fire(user, assignment, "refuse_adjustment", comment)
    notify(department_users(assignment.department_id, "handler"), assignment.submission,
           messages.adjustment_refused(assignment, comment.strip()))
    db.session.flush()


def record_contact(user, assignment, contact_on: date, method: str, summary: str):
    engine.check(user, assignment, "record_contact")
    if method not in CONTACT_METHODS:
        raise ServiceError("请选择沟通方式。")
    if contact_on > today():
        raise ServiceError("沟通日期不能晚于今天。")
    if assignment.submission.submitted_on and contact_on < assignment.submission.submitted_on:
        raise ServiceError("沟通日期不能早于提交日期。")
    assignment.contacts.append(ContactRecord(contact_on=contact_on, method=method,
                                             summary=summary.strip(), recorded_by_id=user.id))
    engine.fire(user, assignment, "record_contact",
                f"{cn_date(contact_on)} {CONTACT_METHODS[method]}：{summary.strip()}")
    db.session.flush()


def submit_opinion(user, assignment, opinion: str):
    engine.check(user, assignment, "submit_opinion")
    if not (opinion or "").strip():
        raise ServiceError("请填写会办意见。")
    assignment.opinion = opinion.strip()
    assignment.opinion_at = now_utc()
    assignment.opinion_by_id = user.id
    engine.fire(user, assignment, "submit_opinion")
    for lead in assignment.submission.active_assignments:
        if lead.role == "lead":
            notify(department_users(lead.department_id, "handler"), assignment.submission,
                   messages.opinion_submitted(assignment))
    db.session.flush()


def waive_opinion(user, assignment, note):
    """The clerk excuses a 会办 department from its opinion, so the 主办 may send its reply for sign-off."""
    engine.fire(user, assignment, "waive_opinion", note)
    assignment.closing_note = f"免交会办意见：{note.strip()}"
    assignment.closed_at = now_utc()
    for lead in assignment.submission.active_assignments:
        if lead.role == "lead":
            notify([*department_users(lead.department_id, "handler"),
                    *department_users(assignment.department_id, "handler")], assignment.submission,
                   messages.opinion_waived(assignment, note.strip()))
    db.session.flush()


def urge(user, assignment, message):
    """催办: in the app and by e-mail, to the department's handlers and signers."""
    engine.fire(user, assignment, "urge", message)
    notify([*department_users(assignment.department_id, "handler"),
            *department_users(assignment.department_id, "signer")], assignment.submission,
           messages.urge(assignment, message.strip()))
    db.session.flush()
