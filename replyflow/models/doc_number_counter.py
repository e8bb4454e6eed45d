"""The last document number (发文字号) a department has given in a year."""
from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class DocNumberCounter(db.Model):
    """常人才办〔2025〕24号 is the 24th a department issued in 2025. A number is taken when a reply is
    signed, by an UPDATE of this row, so two signers at once never get the same one."""

    __tablename__ = "doc_number_counter"
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)
