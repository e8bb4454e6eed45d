"""工作台: what is waiting for the current user."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from .todo import lists_for

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def index():
    return render_template("dashboard/index.html", sections=lists_for(current_user))
