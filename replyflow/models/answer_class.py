"""Answer classes (答复类别) per body, an editable list."""

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class AnswerClass(db.Model):
    """One answer class (A 所提问题已经解决或基本解决 ...) in a body's set."""

    __tablename__ = "answer_class"
    __table_args__ = (UniqueConstraint("body", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(4))
    label: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
