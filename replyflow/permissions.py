"""Who may see what. The one permission layer: views, templates and tests all call these.

What a user may *do* to a case is decided by the transition table (workflow.engine.can); this
module adds the reading side and the non-workflow pages.
"""
from flask import abort
from sqlalchemy import or_, select, union
from sqlalchemy.orm import aliased

from . import planner
from .models import Assignment, Submission, SubmissionProposer
from .vocab import SEPARATED_ROLES
from .workflow import engine
from .workflow.actors import clerk as _is_clerk_for


def is_admin(user) -> bool:
    return user.is_authenticated and user.has_role("admin")


def is_security_admin(user) -> bool:
    return user.is_authenticated and user.has_role("security_admin")


def is_administrator(user) -> bool:
    """One of the 三员: their account does nothing else (no 工作台, no cases)."""
    return user.is_authenticated and bool(user.roles & set(SEPARATED_ROLES))


def home_of(user) -> str | None:
    """Where an administrator's work is, for the 工作台 to send him to (an account of an earlier version
    that holds a business role beside keeps its 工作台 until it is split)."""
    if not user.roles or user.roles - set(SEPARATED_ROLES):
        return None
    for role, endpoint in (("admin", "admin.index"), ("security_admin", "roles.index"), ("audit_admin", "audit.index")):
        if user.has_role(role):
            return endpoint
    return None


def is_auditor(user) -> bool:
    return user.is_authenticated and user.has_role("audit_admin")


def can_edit_policy(user, sitting) -> bool:
    """A sitting's deadlines: admins, and the clerks of its body."""
    return user.is_authenticated and (is_admin(user) or (
        user.has_role("clerk") and user.body in (None, sitting.body)))


def can_register(user) -> bool:
    return user.is_authenticated and user.has_role("clerk")


def can_work_in_batch(user) -> bool:
    """批量处理 (立案, 交办, 催办) from the list: the clerks; each case is still checked on its own."""
    return user.is_authenticated and user.has_role("clerk")


def can_view_statistics(user) -> bool:
    """统计分析 and the report: the clerks, each of their own body."""
    return user.is_authenticated and user.has_role("clerk")


def can_export_summary(user) -> bool:
    """办理情况汇总表 of the list the user sees: the clerks', and a department's of its own cases."""
    return user.is_authenticated and user.has_role("clerk", "handler", "signer")


def _department_ids_on(submission):
    return {a.department_id for a in submission.assignments}


def is_department_staff_on(user, submission) -> bool:
    return (user.has_role("handler", "signer") and user.department_id is not None
            and user.department_id in _department_ids_on(submission))


def is_proposer_of(user, submission) -> bool:
    """A proposer of the submission or of one merged into it (they receive its answer)."""
    member = user.member
    if member is None or not user.has_role("member"):
        return False
    related = [submission, *submission.merged]
    return any(p.member_id == member.id for s in related for p in s.proposers)


def can_view_submission(user, submission) -> bool:
    """Those involved only: 三员分立 keeps the system and audit administrators out of the cases."""
    if not user.is_authenticated:
        return False
    return (_is_clerk_for(user, submission)
            or is_department_staff_on(user, submission) or is_proposer_of(user, submission))


def sees_internal(user, submission) -> bool:
    """Internal working (drafts, 会办意见, comments) is for clerks and departments, not proposers."""
    return _is_clerk_for(user, submission) or is_department_staff_on(user, submission)


def sees_contacts(user, submission) -> bool:
    """The 沟通记录 of a case's departments: the offices', and its own proposers' (they were with them), not those
    of a case merged into it."""
    member = user.member
    return sees_internal(user, submission) or (
        member is not None and user.has_role("member") and any(p.member_id == member.id for p in submission.proposers))


def can_view_drafts(user, assignment) -> bool:
    submission = assignment.submission
    return (_is_clerk_for(user, submission)
            or (user.has_role("handler", "signer") and user.department_id is not None
                and user.department_id in {a.department_id for a in submission.active_assignments}))


def can_view_reply(user, reply) -> bool:
    """Drafts are internal; a delivered reply is also the proposers'."""
    assignment = reply.assignment
    if can_view_drafts(user, assignment):
        return True
    return reply.delivered_at is not None and is_proposer_of(user, assignment.submission)


def keeps_follow_ups(user) -> bool:
    """跟踪落实: the clerks keep their body's list, department staff their department's."""
    return user.is_authenticated and (user.has_role("clerk") or (
        user.has_role("handler", "signer") and user.department_id is not None))


def has_own_cases(user) -> bool:
    """我的提案 / 我的建议: a member or deputy with a place in the member list."""
    return user.is_authenticated and user.has_role("member") and user.member is not None


def can(user, obj, action: str) -> bool:
    """Whether `user` may fire workflow action `action` on `obj` now."""
    return user.is_authenticated and engine.can(user, obj, action)


def visible_submissions_clause(user):
    """A WHERE clause selecting the submissions `user` may see in lists (the administrators see none)."""
    clauses = []
    if user.has_role("clerk"):
        if user.body is None:
            return None
        clauses.append(planner.body_clause(user.body))
    if user.has_role("handler", "signer") and user.department_id:
        clauses.append(planner.id_in(
            select(Assignment.submission_id).where(Assignment.department_id == user.department_id)))
    if user.has_role("member") and user.member is not None:
        # their own cases and those theirs were merged into, as one IN: an OR of two made PostgreSQL walk
        # every case in the list's order to find a member's hundred (70 ms at 200,000 cases)
        own = select(SubmissionProposer.submission_id).where(SubmissionProposer.member_id == user.member.id)
        merged = aliased(Submission)
        clauses.append(Submission.id.in_(union(
            own, select(merged.merged_into_id).where(merged.id.in_(own), merged.merged_into_id.is_not(None)))))
    if not clauses:
        return Submission.id.is_(None)
    return or_(*clauses)


def require(condition: bool):
    """abort(403) unless `condition`: the one-liner views use after loading the object."""
    if not condition:
        abort(403)
