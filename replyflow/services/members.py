"""Finding proposers by what a clerk types: a name, or a name with what tells namesakes apart.

Two 王伟 of one body are two people. "王伟" alone is ambiguous then: the clerk is asked which one,
or writes "王伟（经济界）" / "王伟（常州大学）" with the 界别, 代表团 or unit that picks one out.
"""
import re
from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import Member
from ..vocab import MEMBER_TITLE_OF_BODY
from . import ServiceError

_SEPARATORS = re.compile(r"[、，,；;\s]+")
_QUALIFIED = re.compile(r"^(?P<name>[^（(]+?)[（(](?P<hint>[^）)]*)[）)]$")


def split_names(text: str | None) -> list[str]:
    """Co-signers as typed, in order; a qualifier in brackets stays with its name."""
    names, depth, current = [], 0, ""
    for ch in (text or "").strip():
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if depth == 0 and _SEPARATORS.fullmatch(ch):
            if current:
                names.append(current)
            current = ""
        else:
            current += ch
    if current:
        names.append(current)
    return names


@dataclass
class NameChoice:
    """A name that fits several members: the form asks which one (field pick_<slot>)."""

    slot: str                 # "lead" or "co3" (the 3rd co-signer, counting from 1)
    name: str
    candidates: list[Member]


class AmbiguousNames(ServiceError):
    def __init__(self, choices: list[NameChoice]):
        names = "、".join(f"「{c.name}」" for c in choices)
        super().__init__(f"{names}有同名的人，请在下方选择是哪一位。")
        self.choices = choices


def parse_token(token: str) -> tuple[str, str]:
    """"王伟（经济界）" → ("王伟", "经济界"); a bare name has no hint."""
    match = _QUALIFIED.match(token.strip())
    return (match["name"].strip(), match["hint"].strip()) if match else (token.strip(), "")


def narrow(found: list, hint: str) -> list:
    """The namesakes whose 界别 / 代表团 or unit hold every part of the hint."""
    if not hint:
        return list(found)
    parts = [p for p in re.split(r"[·・,，、\s]+", hint) if p]
    return [m for m in found if all(p in (m.affiliation or "") or p in (m.unit or "") for p in parts)]


def _candidates(body: str, token: str) -> tuple[str, list[Member]]:
    name, hint = parse_token(token)
    found = db.session.scalars(select(Member).where(Member.body == body, Member.name == name)
                               .order_by(Member.id)).all()
    return name, narrow(found, hint)


def resolve(body: str, token: str, slot: str, picked: str | None = None):
    """(member, None) when `token` picks one person, (None, NameChoice) when it fits several."""
    name, found = _candidates(body, token)
    if not found:
        raise ServiceError(f"找不到名为「{token}」的{MEMBER_TITLE_OF_BODY[body]}或集体提出者，"
                           "请系统管理员先在“委员/代表”中添加。")
    if len(found) == 1:
        return found[0], None
    chosen = next((m for m in found if picked and str(m.id) == picked), None)
    return (chosen, None) if chosen else (None, NameChoice(slot, name, found))


def resolve_proposers(body: str, lead_text: str, cosigner_text: str | None, picks: dict):
    """The lead and the co-signers, in order; AmbiguousNames lists every name to choose."""
    tokens = split_names(cosigner_text)
    if len(set(tokens)) != len(tokens):
        raise ServiceError("联名人中有重复的姓名。")
    people, choices = [], []
    for slot, token in [("lead", lead_text.strip()), *((f"co{i}", t) for i, t in enumerate(tokens, 1))]:
        member, choice = resolve(body, token, slot, picks.get(f"pick_{slot}"))
        people.append(member)
        if choice:
            choices.append(choice)
    if choices:
        raise AmbiguousNames(choices)
    return people[0], people[1:]


def namesakes(body: str | None = None) -> set[tuple[str, str]]:
    """(body, name) of the names more than one member of a body has."""
    query = select(Member.body, Member.name).group_by(Member.body, Member.name).having(func.count(Member.id) > 1)
    if body:
        query = query.where(Member.body == body)
    return set(db.session.execute(query).all())


def form_name(member: Member, shared: set) -> str:
    """How a form writes a member: the bare name, or the qualified one where namesakes exist."""
    return member.qualified_name if (member.body, member.name) in shared else member.name
