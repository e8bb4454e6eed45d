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
    online = None
    if current_user.has_role("member") and current_user.member is not None:
        from ..online import service as online

        member = current_user.member
        online = {"sittings": online.open_sittings(member), "drafts": online.my_drafts(member),
                  "invitations": online.my_invitations(member)}
    return render_template("dashboard/index.html", sections=lists_for(current_user), online=online)
