"""撤回: the lead asks to withdraw a case before it is answered; the clerk agrees or not."""
from ..clock import now_utc
from ..extensions import db
from ..notifications import messages
from ..notifications.service import clerks_for, department_users, notify, tell_proposers
from ..workflow import engine


def request_withdrawal(user, submission, reason: str):
    engine.fire(user, submission, "request_withdrawal", reason)
    submission.withdrawal_reason, submission.withdrawal_requested_at = reason.strip(), now_utc()
    notify(clerks_for(submission.sitting.body), submission, messages.withdrawal_requested(submission, reason.strip()))
    db.session.flush()


def confirm_withdrawal(user, submission, comment: str | None = None):
    """The case closes as 已撤回 and stays in the list; each department still holding it is told and let go."""
    engine.check(user, submission, "confirm_withdrawal")
    released = [a for a in submission.assignments if a.state not in ("reassigned", "closed", "withdrawn")]
    for assignment in released:
        assignment.state, assignment.closed_at = "withdrawn", now_utc()
        people = department_users(assignment.department_id, "handler") + department_users(assignment.department_id,
                                                                                            "signer")
        notify(people, submission, messages.withdrawn_to_department(assignment))
    engine.fire(user, submission, "confirm_withdrawal", (comment or "").strip() or None)
    tell_proposers(submission, lambda own: messages.withdrawn(submission, own=own))
    db.session.flush()


def refuse_withdrawal(user, submission, comment: str):
    engine.fire(user, submission, "refuse_withdrawal", comment)
    submission.withdrawal_requested_at = None
    tell_proposers(submission, lambda own: messages.withdrawal_refused(submission, comment.strip(), own=own))
    db.session.flush()
