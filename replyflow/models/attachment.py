"""Files attached to a submission."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..clock import now_utc
from ..extensions import db
from ..storage import StoredBytes


class Attachment(db.Model):
    """A file attached to a submission.

    The bytes live on the storage path (storage.py), written as the row is flushed, so a saved
    submission always has its files; `flask backup` copies them with the database.
    """

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    #: the file itself, on the storage path (storage.py)
    data: Mapped[bytes] = deferred(mapped_column("data_file", StoredBytes))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
