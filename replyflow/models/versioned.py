"""Optimistic locking for the rows two people may change at once (a case, an assignment, a reply)."""
from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class Versioned:
    #: +1 on every UPDATE, which also checks the value read (UPDATE … WHERE id = ? AND version = ?):
    #: of two writers who read the same row, the second changes nothing and gets StaleDataError
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}
