"""统计分析: the page with its charts and tables, the same tables as .xlsx, and the report draft as .docx."""
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import permissions as perm
from ..clock import today
from ..extensions import db
from ..inputs import bounded_int
from ..models import Sitting
from ..vocab import BODIES
from .charts import options
from .figures import Scope, collect, percent
from .tables import tables, workbook

bp = Blueprint("statistics", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope() -> Scope:
    """The clerk's body (a clerk of both may choose), and one of its sittings or all of them."""
    perm.require(perm.can_view_statistics(current_user))
    body = current_user.body or (request.args.get("body") if request.args.get("body") in BODIES else "cppcc")
    sitting = None
    if (sitting_id := bounded_int(request.args.get("sitting"))) is not None:
        sitting = db.session.get(Sitting, sitting_id)
        if sitting is None or sitting.body != body:
            abort(404)
    return Scope(body, sitting)


def _title(scope: Scope) -> str:
    return f"{scope.label}{scope.kind_label}办理情况统计"


@bp.get("/statistics")
@login_required
def index():
    scope = _scope()
    figures = collect(scope, today())
    sittings = db.session.scalars(select(Sitting).where(Sitting.body == scope.body)
                                  .order_by(Sitting.year.desc(), Sitting.name)).all()
    return render_template("statistics/index.html", f=figures, tables={t.key: t for t in tables(figures)},
                           charts=options(figures), sittings=sittings, title=_title(scope), percent=percent,
                           bodies=BODIES if current_user.body is None else None)


@bp.get("/statistics.xlsx")
@login_required
def export():
    scope = _scope()
    title = _title(scope)
    data = workbook(collect(scope, today()), title)
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=f"{title}.xlsx")


@bp.get("/statistics/report.docx")
@login_required
def report():
    from .report import report_docx

    scope = _scope()
    if scope.sitting is None:
        flash("办理工作情况报告按会议撰写：请先选择一次会议。", "warning")
        return redirect(url_for("statistics.index", **request.args))
    data, name = report_docx(collect(scope, today()))
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
