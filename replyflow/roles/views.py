"""授权管理: the security administrator grants accounts their roles and scope (三员分立)."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from .. import permissions as perm
from ..admin.accounts import describe_change, users_page
from ..audit import log as audit
from ..extensions import db
from ..models import Department, User
from ..services import admin as service
from ..vocab import BODIES
from ..web import commit_or_flash, get_or_404
from .forms import GrantForm

bp = Blueprint("roles", __name__, url_prefix="/roles")


@bp.before_request
@login_required
def only_security_admins():
    perm.require(perm.is_security_admin(current_user))


def grantable(user) -> bool:
    """The three administrators are set from the shell, and no one grants to himself."""
    return user.id != current_user.id and not perm.is_administrator(user)


def _scope(user) -> dict:
    return {"角色": "、".join(user.role_labels) or "无", "单位": user.department.name if user.department else "无",
            "所属": BODIES.get(user.body, "政协和人大")}


def _granted(user) -> str:
    scope = _scope(user)
    return (f"已授权：{user.name}（{user.username}）— 角色 {scope['角色']}，单位 {scope['单位']}，所属 {scope['所属']}。"
            "其已登录的会话已结束，须重新登录。")


@bp.get("")
def index():
    page, q = users_page(request.args, ungranted_first=True)
    waiting = db.session.scalar(select(func.count(User.id)).where(~User.role_rows.any()))
    return render_template("roles/index.html", page=page, q=q, grantable=grantable, waiting=waiting)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit(user_id):
    user = get_or_404(User, user_id)
    perm.require(grantable(user))
    form = GrantForm()
    departments = db.session.scalars(select(Department).where(Department.active.is_(True) | (
        Department.id == user.department_id)).order_by(Department.name)).all()
    form.department_id.choices = [(0, "（无）")] + [(d.id, d.name) for d in departments]
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
        form.department_id.data = user.department_id or 0
        form.body.data = user.body or ""
    before = _scope(user)
    if form.validate_on_submit() and commit_or_flash(lambda: service.grant_roles(
            user, roles=form.roles.data or [], granted_by=current_user,
            department=db.session.get(Department, form.department_id.data) if form.department_id.data else None,
            body=form.body.data or None), lambda: _granted(user)):
        audit.record("roles_changed", user, detail=describe_change(before, _scope(user)))
        return redirect(url_for("roles.index", q=request.args.get("q") or None))
    return render_template("roles/form.html", form=form, user=user)
