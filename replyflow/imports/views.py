"""登记导入: download the template, upload a workbook, see every row's problems, import all rows at once."""
import hashlib

from flask import Blueprint, current_app, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from .. import permissions as perm
from ..extensions import db
from ..models import ImportBatch, Sitting
from ..services import ServiceError
from ..templating import cn_datetime
from ..web import commit_or_flash
from . import pending
from .columns import HEADERS, template
from .forms import ImportForm
from .reader import FileRefused, read
from .service import import_rows

bp = Blueprint("imports", __name__)
def _signer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="replyflow.import")


def _token(name: str, filename: str) -> str:
    return _signer().dumps({"file": name, "name": filename, "user": current_user.id})


def _from_token(token: str):
    """(file bytes, file name, pending name) of this user's upload awaiting its import, or None."""
    try:
        data = _signer().loads(token or "", max_age=pending.MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("user") != current_user.id:
        return None
    stored = pending.get(data.get("file"))
    return None if stored is None else (stored, str(data.get("name") or "")[:200], data["file"])


def _form() -> ImportForm:
    form = ImportForm()
    sittings = db.session.scalars(select(Sitting).order_by(Sitting.year.desc(), Sitting.body, Sitting.name)).all()
    form.sitting_id.choices = [(0, "按文件中的“会议”列")] + [
        (s.id, s.name + ("（待完善）" if s.incomplete else "")) for s in sittings if current_user.body in (None, s.body)]
    return form


def _page(form, **context):
    return render_template("imports/index.html", form=form, headers=HEADERS,
                           max_mb=current_app.config["IMPORT_MAX_BYTES"] / 1048576,
                           max_rows=current_app.config["IMPORT_MAX_ROWS"], **context)


def _run(form, data: bytes, filename: str, register: bool):
    sheet = read(data, current_app.config["IMPORT_MAX_BYTES"], current_app.config["IMPORT_MAX_ROWS"])
    sitting = db.session.get(Sitting, form.sitting_id.data) if form.sitting_id.data else None
    if sitting is not None and current_user.body not in (None, sitting.body):
        sitting = None
    report = import_rows(current_user, sheet.rows, sitting=sitting, create_missing=form.create_missing.data,
                         source=filename, register=register)
    return sheet, report


@bp.get("/imports")
@login_required
def index():
    perm.require(perm.can_register(current_user))
    return _page(_form())


@bp.get("/imports/template.xlsx")
@login_required
def template_file():
    import io

    perm.require(perm.can_register(current_user))
    return send_file(io.BytesIO(template()), as_attachment=True, download_name="提案建议导入模板.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.post("/imports/preview")
@login_required
def preview():
    """Every row checked, nothing kept: the run is rolled back, and the file kept for the import."""
    perm.require(perm.can_register(current_user))
    form = _form()
    if not form.validate_on_submit():
        return _page(form)
    upload = form.workbook.data
    if upload is None or not getattr(upload, "filename", ""):
        flash("请选择要导入的 Excel 文件（.xlsx）。", "warning")
        return _page(form)
    limit = current_app.config["IMPORT_MAX_BYTES"]
    data = upload.read(limit + 1)
    try:
        sheet, report = _run(form, data, upload.filename, register=False)
    except (FileRefused, ServiceError) as refused:
        db.session.rollback()
        flash(f"未导入「{upload.filename}」：{refused}", "danger")
        return _page(form)
    finally:
        db.session.rollback()
    form.token.data = _token(pending.put(data), upload.filename)
    return render_template("imports/preview.html", form=form, report=report, sheet=sheet, filename=upload.filename)


@bp.post("/imports/commit")
@login_required
def commit():
    """Import the previewed file: checked again, all rows in one transaction, or none."""
    perm.require(perm.can_register(current_user))
    form = _form()
    if not form.validate_on_submit():
        return _page(form)
    digest = hashlib.sha256((form.token.data or "").encode()).hexdigest()
    done = db.session.scalar(select(ImportBatch).where(ImportBatch.token_digest == digest))
    if done is not None:   # a second click, or the page posted again from the history
        flash(f"此文件已于{cn_datetime(done.created_at)}导入（{done.rows} 件），未重复导入。", "warning")
        return redirect(url_for("submissions.index", sort="newest"))
    stored = _from_token(form.token.data)
    if stored is None:
        flash("上传的文件已过期或无效，请重新上传。", "warning")
        return redirect(url_for("imports.index"))
    data, filename, kept = stored
    outcome = {}

    def call():
        outcome["sheet"], outcome["report"] = _run(form, data, filename, register=True)
        if not outcome["report"].ok:   # the database changed since the preview: show what is wrong now
            raise ServiceError("自预览以来数据有变化，现有问题如下，未导入任何一行。")
        outcome["count"] = len(outcome["report"].imported)
        outcome["sittings"] = {s.sitting_id for s in outcome["report"].imported}
        # in the import's own transaction: of two posts of one upload, the second finds it taken (unique)
        db.session.add(ImportBatch(token_digest=digest, filename=filename or "（未命名）", rows=outcome["count"],
                                   user_id=current_user.id))

    def done():
        report = outcome["report"]
        extra = "".join(f"，新建{what} {len(items)} 个" for what, items in (
            ("会议", report.created_sittings), ("提出人", report.created_members)) if items)
        return f"已从「{filename}」导入 {outcome['count']} 件{extra}。"

    try:
        saved = commit_or_flash(call, done)
    except FileRefused as refused:
        db.session.rollback()
        flash(f"未导入「{filename}」：{refused}", "danger")
        return redirect(url_for("imports.index"))
    if not saved:
        if "report" in outcome:
            return render_template("imports/preview.html", form=form, report=outcome["report"],
                                   sheet=outcome["sheet"], filename=filename)
        return redirect(url_for("imports.index"))
    pending.drop(kept)
    sittings = outcome["sittings"]
    return redirect(url_for("submissions.index", **({"sitting": sittings.pop()} if len(sittings) == 1 else {}),
                            sort="newest"))
