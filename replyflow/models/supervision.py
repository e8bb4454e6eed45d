"""督办记录: what the supervising leader and office did about a 重点 case (visits, meetings, progress)."""
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..extensions import db
from ..vocab import SUPERVISION_KINDS


class SupervisionRecord(db.Model):
    __tablename__ = "supervision_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    #: a vocab.SUPERVISION_KINDS code: 视察调研, 督办会议, 进展情况, 其他
    kind: Mapped[str] = mapped_column(String(16))
    held_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)

    recorded_by = relationship("User")

    @property
    def kind_label(self) -> str:
        return SUPERVISION_KINDS[self.kind]
