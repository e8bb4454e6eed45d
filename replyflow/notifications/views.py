"""The notification list: read, open the case, mark all read."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..forms_common import EmptyForm
from ..inputs import page_number
from ..models import Notification
from ..paging import CappedPage
from ..web import get_or_404
from .service import mark_read

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("")
@login_required
def index():
    query = (select(Notification).where(Notification.user_id == current_user.id)
             .order_by(Notification.read_at.is_not(None), Notification.created_at.desc(), Notification.id.desc()))
    page = CappedPage(query, page_number(request.args), 30, current_app.config["LIST_COUNT_CAP"], Notification.id)
    return render_template("notifications/list.html", page=page)


@bp.post("/<int:notification_id>/open")
@login_required
def open_(notification_id):
    notification = get_or_404(Notification, notification_id)
    if notification.user_id != current_user.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        mark_read(current_user, [notification.id])
        db.session.commit()
    if notification.submission_id:
        return redirect(url_for("submissions.detail", submission_id=notification.submission_id))
    if notification.draft_id:
        return redirect(url_for("online.draft", draft_id=notification.draft_id))
    return redirect(url_for("notifications.index"))


@bp.post("/read-all")
@login_required
def read_all():
    if EmptyForm().validate_on_submit():
        mark_read(current_user)
        db.session.commit()
    return redirect(url_for("notifications.index"))
