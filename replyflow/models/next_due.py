"""Submission.next_due_on follows its assignments: after each flush that added, removed or changed an
assignment's state or due date, one UPDATE sets the earliest open due date of the cases concerned.

A Core UPDATE rather than an attribute change, so the case's version (versioned.py) does not move: two
departments acting on one case at once must not refuse each other."""
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from ..workflow.states import OPEN
from .assignment import Assignment
from .submission import Submission

TRACKED = ("state", "due_on", "submission_id")


def next_due_of(submission_id_column):
    return (select(func.min(Assignment.due_on))
            .where(Assignment.submission_id == submission_id_column, Assignment.state.in_(OPEN))
            .scalar_subquery())


def refresh(session, submission_ids):
    """Set next_due_on of these cases from their assignments as the database holds them now."""
    ids = sorted(submission_ids)
    for start in range(0, len(ids), 500):
        session.execute(update(Submission).where(Submission.id.in_(ids[start:start + 500]))
                        .values(next_due_on=next_due_of(Submission.id))
                        .execution_options(synchronize_session=False))
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Submission) and obj.id in submission_ids:
            session.expire(obj, ["next_due_on"])


def _touched(session):
    """The assignments of this flush whose state, due date or case changed (their ids may come only with
    the flush), and the cases an assignment left."""
    touched, left = [], set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, Assignment):
            continue
        attrs = obj._sa_instance_state.attrs
        if obj in session.new or obj in session.deleted or any(attrs[n].history.has_changes() for n in TRACKED):
            touched.append(obj)
            left.update(attrs["submission_id"].history.deleted or ())
    return touched, left


@event.listens_for(Session, "before_flush")
def _remember(session, flush_context, instances):
    touched, left = _touched(session)
    pending = session.info.setdefault("next_due_pending", ([], set()))
    pending[0].extend(touched)
    pending[1].update(left)


@event.listens_for(Session, "after_flush_postexec")
def _refresh(session, flush_context):
    touched, left = session.info.pop("next_due_pending", ([], set()))
    if ids := (left | {a.submission_id for a in touched}) - {None}:
        refresh(session, ids)
