"""Failed logins per user name, known or not: the lock holds in the database, so across every worker."""
from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class LoginThrottle(db.Model):
    __tablename__ = "login_throttle"
    #: the name as typed (trimmed, lower-cased): an unknown name is counted and locked like a real one,
    #: so the answers do not tell which accounts exist
    username: Mapped[str] = mapped_column(String(40), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
