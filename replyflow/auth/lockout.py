"""5 failed logins lock a user name for 30 minutes (settings), in the database so every worker sees it.
Unknown names are counted like real ones: the answers and their timing do not tell which accounts exist."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import case, update
from sqlalchemy.exc import IntegrityError

from ..clock import now_utc
from ..extensions import db
from ..models import LoginThrottle


def key(username: str) -> str:
    return (username or "").strip().lower()[:40]


def _limits():
    return current_app.config["LOGIN_LOCK_AFTER"], timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])


def locked_minutes(username: str) -> int | None:
    """Minutes left on the lock of `username`, or None when it may try."""
    row = db.session.get(LoginThrottle, key(username))
    if row is None or row.locked_until is None or row.locked_until <= now_utc():
        return None
    return max(1, int((row.locked_until - now_utc()).total_seconds() // 60) + 1)


def failed(username: str) -> int:
    """Count one failure (an atomic UPDATE, so two at once both count); the failures left before the lock."""
    after, minutes = _limits()
    now, k = now_utc(), key(username)
    fresh = LoginThrottle.last_failure_at < now - minutes   # failures older than the window start again
    count = case((fresh, 1), else_=LoginThrottle.failures + 1)
    for _ in range(2):
        result = db.session.execute(
            update(LoginThrottle).where(LoginThrottle.username == k).values(
                failures=count, last_failure_at=now,
                locked_until=case((count >= after, now + minutes), else_=LoginThrottle.locked_until)))
        if result.rowcount:
            break
        try:
            with db.session.begin_nested():
                db.session.add(LoginThrottle(username=k, failures=1, last_failure_at=now,
                                             locked_until=now + minutes if after <= 1 else None))
            break
        except IntegrityError:   # another worker inserted it a moment ago: count on that row
            continue
    row = db.session.get(LoginThrottle, k, populate_existing=True)
    return max(0, after - (row.failures if row else 0))


def clear(username: str):
    row = db.session.get(LoginThrottle, key(username))
    if row is not None:
        db.session.delete(row)
