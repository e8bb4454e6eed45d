"""工作台: what is waiting for the current user."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from .. import permissions as perm
from .todo import lists_for

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def index():
    if home := perm.home_of(current_user):  # the 三员 have no cases: their page is their 工作台
        return redirect(url_for(home))
    return render_template("dashboard/index.html", sections=lists_for(current_user))
