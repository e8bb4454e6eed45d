"""会议届次的办理期限: the deadline policy of each sitting, edited by its body's clerks and admins."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import permissions as perm
from ..admin.forms import POLICY_FIELDS, PolicyForm
from ..extensions import db
from ..models import Sitting
from ..services import admin as service
from ..web import commit_or_flash, get_or_404

bp = Blueprint("sittings", __name__, url_prefix="/sittings")


@bp.get("")
@login_required
def index():
    perm.require(perm.is_admin(current_user) or current_user.has_role("clerk"))
    sittings = [s for s in db.session.scalars(select(Sitting).order_by(Sitting.year.desc(), Sitting.body))
                if perm.can_edit_policy(current_user, s)]
    return render_template("sittings/index.html", sittings=sittings)


@bp.route("/<int:sitting_id>/deadlines", methods=["GET", "POST"])
@login_required
def deadlines(sitting_id):
    sitting = get_or_404(Sitting, sitting_id)
    perm.require(perm.can_edit_policy(current_user, sitting))
    form = PolicyForm(obj=sitting)
    if form.validate_on_submit() and commit_or_flash(
            lambda: service.save_policy(sitting, **{k: getattr(form, k).data for k in POLICY_FIELDS}),
            f"{sitting.name}的办理期限已保存，此后交办的件按新期限计算。"):
        return redirect(url_for("sittings.index"))
    return render_template("sittings/deadlines.html", form=form, sitting=sitting, method=request.method)
