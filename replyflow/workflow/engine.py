"""Applies transitions: checks state, actor and guard, changes the state, writes the event."""
from sqlalchemy import and_, or_, select

from ..clock import cn_date, to_local, today
from ..extensions import db
from ..models import Event
from .actors import RULES, submission_of
from .states import ASSIGNMENT, ASSIGNMENT_STATES, OPEN, SUBMISSION, SUBMISSION_STATES, TRANSITIONS, Transition


class WorkflowError(Exception):
    """A transition that cannot happen now; the message is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(WorkflowError):
    """The user may not fire this transition on this object at all (HTTP 403)."""


def _target_of(obj) -> str:
    return ASSIGNMENT if hasattr(obj, "department_id") and hasattr(obj, "submission") else SUBMISSION


def _state_labels(target):
    return ASSIGNMENT_STATES if target == ASSIGNMENT else SUBMISSION_STATES


def may_act(user, obj, t: Transition) -> bool:
    """Whether `user` is one of the transition's actors for `obj` (state not considered)."""
    if t.roles is not None and getattr(obj, "role", None) not in t.roles:
        return False
    return any(RULES[name](user, obj) for name in t.actors)


def available(user, obj, today_=None) -> list[Transition]:
    """The transitions `user` may start on `obj` now, in table order."""
    target = _target_of(obj)
    ctx = {"today": today_ or today()}
    result = []
    for t in TRANSITIONS.values():
        if t.target != target or obj.state not in t.sources or not t.actors:
            continue
        if not may_act(user, obj, t):
            continue
        if t.hide_on_guard and t.guard(user, obj, ctx):
            continue
        result.append(t)
    return result


def can(user, obj, name: str) -> bool:
    return any(t.name == name for t in available(user, obj))


def check(user, obj, name: str, comment: str | None = None, today_=None) -> Transition:
    """Raise NotAllowed or WorkflowError unless `user` may fire `name` on `obj` now."""
    t = TRANSITIONS[name]
    if t.target != _target_of(obj):
        raise ValueError(f"{name} does not apply to {obj!r}")
    if not t.actors or not may_act(user, obj, t):
        raise NotAllowed("您无权执行此操作。")
    if obj.state not in t.sources:
        raise WorkflowError(f"{handled_by(obj)}不能{t.label}。")
    if t.comment_required and not (comment or "").strip():
        raise WorkflowError(f"{t.label}须填写意见或理由。")
    if t.guard:
        message = t.guard(user, obj, {"today": today_ or today()})
        if message:
            raise WorkflowError(message)
    return t


def handled_by(obj) -> str:
    """Who moved `obj` into its present state, and when: what a second, late click is told
    ("已由吴寅于2025年6月16日 10:32签发，当前状态为「已签发」，")."""
    target = _target_of(obj)
    label = _state_labels(target).get(obj.state, obj.state)
    query = select(Event).order_by(Event.id.desc()).limit(1)
    if target == ASSIGNMENT:
        query = query.where(Event.assignment_id == obj.id, Event.to_state == obj.state)
    else:
        query = query.where(Event.submission_id == obj.id, or_(
            and_(Event.assignment_id.is_(None), Event.to_state == obj.state), Event.case_to_state == obj.state))
    event = db.session.scalar(query) if obj.id is not None else None
    if event is None or event.actor is None or event.action not in TRANSITIONS:
        return f"当前状态为「{label}」，"
    when = to_local(event.at)
    return (f"此事项已由{event.actor.name}于{cn_date(event.at)} {when:%H:%M}{TRANSITIONS[event.action].label}，"
            f"当前状态为「{label}」，")


def fire(user, obj, name: str, comment: str | None = None) -> Event:
    """Apply transition `name` to `obj` as `user` and record it. The caller commits."""
    t = check(user, obj, name, comment)
    return _apply(user, obj, t, comment)


def start(user, submission, comment: str | None = None, *, from_shell: bool = False,
          name: str = "register") -> Event:
    """Record the registration of a new submission (the transition from nothing): `name` "register" by a clerk,
    "submit_online" by its lead. `from_shell`: registered by a command run on the server (an import), with no
    user, or a named one, as the actor."""
    t = TRANSITIONS[name]
    if not from_shell and not may_act(user, submission, t):
        raise NotAllowed("您无权执行此操作。")
    submission.state = None
    return _apply(user, submission, t, comment)


def record(user, submission, action: str, assignment=None, comment: str | None = None) -> Event:
    """Write a timeline event for something that is not a state change (e.g. an attachment)."""
    event = Event(actor=user, action=action, assignment=assignment, comment=comment)
    submission.events.append(event)
    return event


def _apply(user, obj, t: Transition, comment):
    from_state = obj.state
    if t.dest is not None:
        obj.state = t.dest
    event = Event(
        actor=user, action=t.name, from_state=from_state, to_state=obj.state,
        comment=(comment or "").strip() or None,
        assignment=obj if t.target == ASSIGNMENT else None,
    )
    submission_of(obj).events.append(event)
    if t.target == ASSIGNMENT:
        moved = sync_submission(obj.submission)
        if moved:
            event.case_from_state, event.case_to_state = moved
    return event


def sync_submission(submission) -> tuple[str, str] | None:
    """Move the submission along with its answering assignments (答复 → 已答复 → 办结, or back on 重新办理).

    The move is written on the event of the step that caused it, not as an entry of its own:
    one action, one timeline entry. Returns (from, to) when the submission moved.
    """
    if submission.state not in ("assigned", "answered", "closed"):
        return None
    answering = submission.answering_assignments
    if not answering:
        return None
    # a 二次答复 in hand belongs to 跟踪落实: the department has answered, so the case stays 已答复 or 已办结
    # (there is no move back from 已办结 to 已答复) as its first answer left it
    states = ["delivered" if a.follow_up == "answering" else a.state for a in answering]
    if all(state == "closed" for state in states):
        wanted = "closed"
    elif all(state in ("delivered", "dissatisfied", "closed") for state in states):
        wanted = "answered"
    else:
        wanted = "assigned"
    name = {"closed": "close_case", "answered": "all_answered", "assigned": "reopen"}[wanted]
    if wanted == submission.state or submission.state not in TRANSITIONS[name].sources:
        return None
    moved = (submission.state, wanted)
    submission.state = wanted
    if wanted == "closed":
        # the answer is final: a 会办 still open (a case begun before 会办 had to precede 送签) has nothing left to do
        for co in submission.active_assignments:
            if co.role == "co" and co.state in OPEN:
                co.state, co.closing_note = "closed", "主办单位已答复并办结，会办结束"
    return moved
