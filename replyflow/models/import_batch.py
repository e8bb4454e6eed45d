"""An import done: which upload, by whom, how many cases; its token is used once (a second click imports nothing)."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db


class ImportBatch(db.Model):
    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the preview's token: unique, so an upload is imported once however often it is posted
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    rows: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)

    user = relationship("User")
