"""Which assignments under follow-up a user keeps: a clerk their body's, department staff their own."""
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import joinedload

from ..models import Assignment, Sitting, Submission
from ..models.assignment import FOLLOWED


def listing(user, *, sitting_id: int | None = None, stale_before: date | None = None):
    """The assignments under follow-up, stalest first (their partial indexes give the order); `stale_before`:
    only those still being carried out with no progress since that day."""
    query = select(Assignment).where(text(FOLLOWED))
    scopes = []
    if user.has_role("clerk"):
        scopes.append(Assignment.body == user.body if user.body else Assignment.body.is_not(None))
    if user.has_role("handler", "signer") and user.department_id is not None:
        scopes.append(Assignment.department_id == user.department_id)
    if not scopes:
        return query.where(Assignment.id.is_(None))
    query = query.where(scopes[0] if len(scopes) == 1 else scopes[0] | scopes[1])
    if sitting_id:
        query = query.where(Assignment.submission_id.in_(
            select(Submission.id).where(Submission.sitting_id == sitting_id)))
    if stale_before is not None:
        query = query.where(Assignment.follow_up == "open", Assignment.follow_up_last_on <= stale_before)
    return query.order_by(Assignment.follow_up_last_on, Assignment.id).options(
        joinedload(Assignment.department), joinedload(Assignment.submission).joinedload(Submission.sitting),
        joinedload(Assignment.submission).selectinload(Submission.proposers))


def sittings_of(user):
    query = select(Sitting).order_by(Sitting.year.desc(), Sitting.body)
    if user.has_role("clerk") and user.body and not user.has_role("handler", "signer"):
        query = query.where(Sitting.body == user.body)
    return query
