"""The proposer's feedback (征询意见) and what the clerk does after an unsatisfied one."""
from .. import clock
from ..clock import cn_date, now_utc, today
from ..extensions import db
from ..models import CosignerOpinion, Feedback
from ..notifications import messages
from ..notifications.service import clerks_for, department_users, notify, tell_proposers
from ..vocab import FEEDBACK_CONTACT_METHODS, RATINGS
from ..workflow import actors, deadlines, engine
from . import ServiceError
from .replies import new_round


def give_feedback(user, assignment, handling_rating, result_rating, comment=None, answered_on=None,
                  contacted=None, contact_method=None) -> Feedback:
    """征询意见: the lead proposer rates the reply, or a clerk enters their paper form for them. `contacted`:
    whether the department got in touch before answering, and `contact_method` how (面商 / 电话 / 书面)."""
    engine.check(user, assignment, "feedback_satisfied")
    if handling_rating not in RATINGS or result_rating not in RATINGS:
        raise ServiceError("请对办理工作和办理结果分别评价。")
    if "dissatisfied" in (handling_rating, result_rating) and not (comment or "").strip():
        raise ServiceError("评为不满意的，请在“意见和建议”中写明理由，便于承办单位改进。")
    if contacted and contact_method not in FEEDBACK_CONTACT_METHODS:
        raise ServiceError("请选择承办单位在答复前与您联系的方式（面商、电话或书面）。")
    action = "feedback_dissatisfied" if "dissatisfied" in (handling_rating, result_rating) else "feedback_satisfied"
    reply = assignment.current_reply
    lead = assignment.submission.lead
    on_paper = not actors.lead_proposer(user, assignment)
    if on_paper and answered_on is not None:
        delivered_on = clock.to_local(reply.delivered_at).date() if reply.delivered_at else None
        if answered_on > today() or (delivered_on and answered_on < delivered_on):
            raise ServiceError("征询意见表的填写日期须在答复之后、今天之前。")
    feedback = Feedback(member_id=lead.id, handling_rating=handling_rating, result_rating=result_rating,
                        comment=(comment or "").strip() or None, entered_by_id=user.id if on_paper else None,
                        answered_on=(answered_on or today()) if on_paper else today(), contacted=contacted,
                        contact_method=contact_method if contacted else None)
    summary = "；".join(part for part in (f"办理工作：{RATINGS[handling_rating]}", f"办理结果：{RATINGS[result_rating]}",
                                          feedback.contact_label) if part)
    source = (f"（纸质征询意见表，{cn_date(feedback.answered_on)}填写，{user.name}代{lead.display_name}录入）"
              if on_paper else "")
    engine.fire(user, assignment, action, summary + source + (f"。{feedback.comment}" if feedback.comment else ""))
    reply.feedback = feedback
    assignment.handling_rating, assignment.result_rating = handling_rating, result_rating
    if assignment.state == "closed":
        assignment.closed_at = now_utc()
    notify(department_users(assignment.department_id, "handler"), assignment.submission,
           messages.feedback_given(assignment, summary))
    if action == "feedback_dissatisfied":
        notify(clerks_for(assignment.submission.sitting.body), assignment.submission, messages.dissatisfied(assignment))
    db.session.flush()
    return feedback


def add_cosigner_opinion(user, assignment, opinion: str) -> CosignerOpinion:
    """A co-signer's words on the delivered reply, for the clerk (and the department) to read."""
    engine.fire(user, assignment, "add_cosigner_opinion", opinion)
    made = CosignerOpinion(member_id=user.member.id, opinion=opinion.strip())
    assignment.current_reply.cosigner_opinions.append(made)
    submission = assignment.submission
    notify(clerks_for(submission.sitting.body) + department_users(assignment.department_id, "handler"), submission,
           messages.cosigner_opinion(assignment, user.member))
    db.session.flush()
    return made


def order_rehandling(user, assignment, due_on=None, comment=None):
    """重新办理: a new round with a new due date; the old reply stays on record."""
    engine.check(user, assignment, "order_rehandling")
    ordered_on = today()
    due = due_on or deadlines.rehandling_due(assignment.submission.sitting, ordered_on)
    if due <= ordered_on:
        raise ServiceError("重新办理的期限须晚于今天。")
    new_round(assignment, due)
    note = (comment or "").strip()
    engine.fire(user, assignment, "order_rehandling",
                f"第{assignment.round}轮办理，期限 {cn_date(due)}" + (f"。{note}" if note else ""))
    submission = assignment.submission
    notify(department_users(assignment.department_id, "handler"), submission, messages.rehandling_ordered(assignment, due))
    tell_proposers(submission, lambda own: messages.rehandling(submission, assignment, due, own=own))
    db.session.flush()


def close_assignment(user, assignment, note):
    engine.fire(user, assignment, "close_assignment", note)
    assignment.closing_note = note.strip()
    assignment.closed_at = now_utc()
    submission = assignment.submission
    tell_proposers(submission, lambda own: messages.closed_by_clerk(submission, assignment, note.strip(), own=own))
    db.session.flush()
