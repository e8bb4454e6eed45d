"""The security audit log (等保 安全审计), apart from the case timeline: who did what, from where, with what
result. Append-only (a database trigger refuses UPDATE and DELETE) and hash-chained (flask audit verify)."""
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: UTC; shown in Beijing time (+08:00)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)   # no FK: the log outlives accounts
    #: the account's name, or the name typed at a failed login
    username: Mapped[str | None] = mapped_column(String(40), index=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    #: login, login_failed, login_locked, logout, denied, download, account, or the endpoint of a change
    action: Mapped[str] = mapped_column(String(60), index=True)
    #: what was acted on, as "kind:id" (submission:12, reply:40, user:7)
    object: Mapped[str | None] = mapped_column(String(60), index=True)
    #: ok, refused (the form said why), denied (no permission), failed
    result: Mapped[str] = mapped_column(String(12))
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(db.Model):
    """One row: the chain's last entry. Taking it (UPDATE … RETURNING) serialises writers, and it shows
    when the newest entries were removed."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
