"""Members (委员), deputies (代表) and collective proposers (党派、团体、专委会、界别、代表团 ...)."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocab import GROUP_ADDRESS, GROUP_KINDS, KIND_LABEL_OF_BODY, MEMBER_TITLE_OF_BODY


class Member(db.Model):
    """A CPPCC member, a deputy, or a body proposing collectively.

    Names are not unique: two 王伟 of one body are told apart by 界别 / 代表团 and unit. A name
    masked in a published source (许**) is kept as written.
    """

    __tablename__ = "member"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(8), index=True)
    #: "person" or "group"
    kind: Mapped[str] = mapped_column(String(8), default="person")
    name: Mapped[str] = mapped_column(String(60), index=True)
    #: 界别 for a CPPCC member, 代表团 for a deputy
    affiliation: Mapped[str | None] = mapped_column(String(80))
    #: 工作单位及职务, what tells namesakes apart in practice
    unit: Mapped[str | None] = mapped_column(String(120))
    #: for a collective proposer: a vocab.GROUP_KINDS code
    group_kind: Mapped[str | None] = mapped_column(String(16))
    #: how a reply addresses a collective proposer (贵会, 贵单位, 贵社 ...); None: by its kind
    address_as: Mapped[str | None] = mapped_column(String(8))
    phone: Mapped[str | None] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), unique=True)

    user = relationship("User", back_populates="member")

    @property
    def is_group(self) -> bool:
        return self.kind == "group"

    @property
    def kind_label(self) -> str:
        """What this body's members submit: 提案 / 建议."""
        return KIND_LABEL_OF_BODY[self.body]

    @property
    def title(self) -> str:
        """委员 / 代表; nothing for a collective proposer."""
        return "" if self.is_group else MEMBER_TITLE_OF_BODY[self.body]

    @property
    def you(self) -> str:
        """How the first line of a reply speaks to them alone: 您 / 贵会 / 贵单位 ..."""
        if not self.is_group:
            return "您"
        return self.address_as or GROUP_ADDRESS.get(self.group_kind or "other", "贵单位")

    @property
    def display_name(self):
        return f"{self.name}{self.title}"

    @property
    def distinguishing(self) -> str:
        """界别·单位: what the registration form shows to tell namesakes apart."""
        return "·".join(p for p in (self.affiliation, self.unit) if p)

    @property
    def qualified_name(self) -> str:
        """王伟（经济界·常州大学）: a name that picks this member out from namesakes."""
        return f"{self.name}（{self.distinguishing}）" if self.distinguishing else self.name

    @property
    def group_kind_label(self) -> str:
        return GROUP_KINDS.get(self.group_kind or "", "")

    def __str__(self):
        return self.name
