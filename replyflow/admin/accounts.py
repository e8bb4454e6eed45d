"""Accounts as the system and the security administrator see them: the list, and a change put in words."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..inputs import page_number
from ..models import User


def describe_change(before: dict, after: dict, extra: list[str] = ()) -> str:
    changes = [f"{k}：{before[k]} → {v}" if k in before else f"{k}：{v}" for k, v in after.items()
               if before.get(k) != v]
    return "；".join(changes + list(extra)) or "无改动"


def users_page(args, ungranted_first=False):
    """Accounts, 50 a page, found by user name or name (a province has thousands of member accounts);
    for the security administrator, those still without a role come first."""
    q = (args.get("q") or "").strip()[:40]
    order = ([User.role_rows.any()] if ungranted_first else []) + [User.username]
    query = select(User).options(selectinload(User.department)).order_by(*order)
    if q:
        like = f"%{q}%"
        query = query.where(User.username.ilike(like) | User.name.ilike(like))
    return db.paginate(query, page=page_number(args), per_page=50, error_out=False), q
