"""Members (委员), deputies (代表) and collective proposers."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocab import MEMBER_TITLE_OF_BODY


class Member(db.Model):
    """A CPPCC member, a deputy, or a group submitter (党派 / 团体)."""

    __tablename__ = "member"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(8))
    #: "person" or "group"
    kind: Mapped[str] = mapped_column(String(8), default="person")
    name: Mapped[str] = mapped_column(String(60))
    #: 界别 for a CPPCC member, 代表团 for a deputy
    affiliation: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), unique=True)

    user = relationship("User", back_populates="member")

    @property
    def salutation(self) -> str:
        """How a reply addresses them: 曹留俊委员： / 陈姝伃代表： / 民盟常州市委："""
        if self.kind == "group":
            return f"{self.name}："
        return f"{self.name}{MEMBER_TITLE_OF_BODY[self.body]}："

    @property
    def display_name(self):
        if self.kind == "group":
            return self.name
        return f"{self.name}{MEMBER_TITLE_OF_BODY[self.body]}"

    def __str__(self):
        return self.name
