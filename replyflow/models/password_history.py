"""Earlier password hashes of an account: a new password may not repeat a recent one."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now_utc
from ..extensions import db


class PasswordHistory(db.Model):
    __tablename__ = "password_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    #: when this password stopped being the account's
    replaced_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
