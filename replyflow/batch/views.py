"""批量处理: the cases ticked in the list, one action for all, each case's outcome shown."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import permissions as perm
from ..extensions import db
from ..forms_common import first_error
from ..inputs import ids_of
from ..search import active_departments
from ..services import ServiceError
from .forms import BatchForm
from .service import ACTIONS, run

bp = Blueprint("batch", __name__)


def _options(form) -> dict:
    departments = {d.id: d for d in active_departments()}
    if form.action.data == "assign":
        if form.mode.data == "lead" and form.lead_id.data not in departments:
            raise ServiceError("批量交办须选择主办单位。")
        return {"mode": form.mode.data, "lead": departments.get(form.lead_id.data),
                "co": [departments[i] for i in form.co_ids.data or [] if i in departments],
                "split": [departments[i] for i in form.split_ids.data or [] if i in departments],
                "due_on": form.due_on.data, "comment": form.comment.data}
    if form.action.data == "urge" and not (form.comment.data or "").strip():
        raise ServiceError("批量催办须填写催办内容。")
    return {"comment": form.comment.data}


@bp.post("/submissions/batch")
@login_required
def batch():
    perm.require(perm.can_work_in_batch(current_user))
    form = BatchForm().offer(active_departments())
    back = redirect(request.form.get("back") if (request.form.get("back") or "").startswith("/submissions")
                    else url_for("submissions.index"))
    # the ticked cases, in the list's order, each once
    ids, limit = ids_of(request.form.getlist("ids")), current_app.config["BATCH_LIMIT"]
    if not form.validate_on_submit():
        flash(first_error(form) or "请选择批量操作。", "warning")
        return back
    if not ids:
        flash("请先在列表中勾选要处理的件。", "warning")
        return back
    if len(ids) > limit:
        flash(f"一次最多批量处理 {limit} 件，已勾选 {len(ids)} 件。", "warning")
        return back
    if form.action.data == "export":
        return redirect(url_for("submissions.export_replies", ids=",".join(map(str, ids))))
    try:
        options = _options(form)
    except ServiceError as refused:
        flash(refused.message, "warning")
        return back
    outcomes = run(current_user, form.action.data, ids, options)
    db.session.commit()
    done = sum(o.done for o in outcomes)
    return render_template("batch/results.html", outcomes=outcomes, action=ACTIONS[form.action.data], done=done,
                           back=back.location)
