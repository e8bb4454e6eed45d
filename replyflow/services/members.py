"""Finding proposers by name within a body, for the registration form."""
import re

from sqlalchemy import select

from ..extensions import db
from ..models import Member
from . import ServiceError

_SEPARATORS = re.compile(r"[、，,；;\s]+")


def split_names(text: str | None) -> list[str]:
    return [n for n in _SEPARATORS.split(text or "") if n]


def find_member(body: str, name: str) -> Member:
    member = db.session.scalar(select(Member).where(Member.body == body, Member.name == name))
    if member is None:
        raise ServiceError(f"找不到名为「{name}」的{'委员' if body == 'cppcc' else '代表'}或党派团体，请先在管理中添加。")
    return member


def find_members(body: str, names: list[str]) -> list[Member]:
    if len(set(names)) != len(names):
        raise ServiceError("联名人中有重复的姓名。")
    return [find_member(body, n) for n in names]
