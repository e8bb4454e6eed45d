"""/follow-ups: the cases under 跟踪落实 and the day of their last progress."""
from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from .. import permissions as perm
from ..clock import today
from ..extensions import db
from ..inputs import bounded_int, kept_args, page_number
from ..models import Assignment
from ..paging import CappedPage
from ..workflow import deadlines
from . import queries

bp = Blueprint("follow_up", __name__, url_prefix="/follow-ups")
PER_PAGE = 30
COUNT_CAP = 2000


@bp.get("")
@login_required
def index():
    perm.require(perm.keeps_follow_ups(current_user))
    months = current_app.config["REMINDER_FOLLOW_UP_MONTHS"] or 3
    stale = request.args.get("stale") == "1"
    day = today()
    stale_before = deadlines.add_months(day, -months)
    query = queries.listing(current_user, sitting_id=bounded_int(request.args.get("sitting")),
                            stale_before=stale_before if stale else None)
    page = CappedPage(query, page_number(request.args), PER_PAGE, COUNT_CAP, Assignment.id)
    keep = kept_args(request.args)
    return render_template("follow_up/list.html", page=page, keep=keep, stale=stale, months=months,
                           stale_before=stale_before, day=day,
                           sittings=db.session.scalars(queries.sittings_of(current_user)).all())
