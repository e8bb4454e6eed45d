"""Replies: the handler's editor, sign-off, delivery, reading and downloading."""
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import permissions as perm
from ..documents import punctuation
from ..documents.importer import MAX_SIZE, ImportRefused, read_docx
from ..documents.inspection import inspect
from ..documents.pdf import PdfUnavailable
from ..documents.reply import body_parts, clean, content_of, heading_level, imprint_rows
from ..documents.service import (
    check_posted,
    check_reply,
    document_settings,
    download_name,
    page_converter,
    pdf_available,
    reply_bytes,
    reply_pdf,
)
from ..documents.titles import balance_title
from ..extensions import db
from ..inputs import bounded_int
from ..models import AnswerClass, Assignment, Reply
from ..models.reply import REPLY_FIELDS
from ..services import replies as service
from ..web import commit_or_flash, get_or_404, require_actor
from ..workflow import guards
from .forms import ReplyForm

bp = Blueprint("replies", __name__)
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _answer_classes(form, assignment):
    classes = db.session.scalars(select(AnswerClass).where(
        AnswerClass.body == assignment.submission.sitting.body).order_by(AnswerClass.position)).all()
    form.answer_class.choices = [("", "（请选择）")] + [(c.code, f"{c.code}　{c.label}") for c in classes]


def _this_rounds_reply(assignment):
    """The draft of the current round, if one was saved (a 重新办理 round starts without)."""
    reply = assignment.current_reply
    return reply if reply is not None and reply.round == assignment.round else None


def _back(assignment):
    return url_for("submissions.detail", submission_id=assignment.submission_id) + f"#assignment-{assignment.id}"


@bp.route("/assignments/<int:assignment_id>/reply", methods=["GET", "POST"])
@login_required
def edit(assignment_id):
    assignment = get_or_404(Assignment, assignment_id)
    require_actor(assignment, "save_draft")
    if assignment.state != "drafting":
        return redirect(_back(assignment))
    reply = _this_rounds_reply(assignment)
    form = _reply_form(assignment, reply)
    if form.validate_on_submit():
        data, changes = service.normalised({f: getattr(form, f).data for f in REPLY_FIELDS})
        send = request.form.get("send") == "1"
        base = _base_version(form)
        # the text to be sent is checked as it would be signed, before anything is locked
        inspection = check_posted(assignment, reply, data).inspection if send else None
        db.session.rollback()

        outcome = []

        def call():
            outcome.append(service.save_and_send(current_user, assignment, data, base, inspection) if send
                           else (service.save_draft(current_user, assignment, data, base=base), None))

        def done():
            saved, refused = outcome[0]
            if refused:
                return ("答复件已保存，但未送签：" if saved else "未送签：") + refused, "warning"
            if send:
                return "已保存并送签。" if saved else "已送签。"
            return "答复件已保存。" if saved else "内容没有改动，未生成新版本。"

        if commit_or_flash(call, done):
            if changes:
                flash(punctuation.summary(changes), "info")
            sent = send and not outcome[0][1]
            return redirect(_back(assignment) if sent else url_for("replies.edit", assignment_id=assignment.id))
        # refused: if a colleague saved meanwhile, both texts are shown and nothing typed is lost
        db.session.expire_all()
        latest = service.latest_version(assignment)
        conflict = latest if latest and latest.number != base else None
        return _editor(assignment, form, _this_rounds_reply(assignment), conflict)
    return _editor(assignment, form, reply)


def _reply_form(assignment, reply, posted: bool = True):
    """The editor's form: what was posted, else the saved draft, else a first draft pre-filled (saved only
    when the handler presses 保存). `posted` False: the import fills it instead of the request."""
    source = {} if posted else {"formdata": None}
    form = ReplyForm(obj=reply, **source) if reply else \
        ReplyForm(data=service.draft_defaults(current_user, assignment), **source)
    _answer_classes(form, assignment)
    return form


def _base_version(form) -> int | None:
    value = (form.base_version.data or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _editor(assignment, form, reply, conflict=None):
    latest = service.latest_version(assignment)
    if conflict is not None or not (form.base_version.data or "").strip():
        # opened now (or after a refusal): the next save builds on what is saved now
        form.base_version.data = str(latest.number if latest else 0)
    opinions = [a for a in assignment.submission.active_assignments if a.role == "co"]
    last_return = next((e for e in reversed(assignment.submission.events)
                        if e.assignment_id == assignment.id and e.action in ("return_reply", "return_for_rework")), None)
    return render_template("replies/edit.html", form=form, assignment=assignment, reply=reply,
                           opinions=opinions, last_return=last_return, conflict=conflict,
                           missing_opinions=guards.opinions_in(current_user, assignment, {}))


@bp.post("/assignments/<int:assignment_id>/reply/import")
@login_required
def import_docx(assignment_id):
    """从 Word 导入: the uploaded .docx fills the editor; nothing is saved until the handler presses 保存."""
    assignment = get_or_404(Assignment, assignment_id)
    require_actor(assignment, "save_draft")
    if assignment.state != "drafting":
        return redirect(_back(assignment))
    upload = request.files.get("docx")
    editor = url_for("replies.edit", assignment_id=assignment.id)
    if upload is None or not upload.filename:
        flash("请选择要导入的 Word 文档（.docx）。", "warning")
        return redirect(editor)
    try:
        imported = read_docx(upload.read(MAX_SIZE + 1))
    except ImportRefused as refusal:
        flash(f"未导入「{upload.filename}」：{refusal}", "danger")
        return redirect(editor)
    reply = _this_rounds_reply(assignment)
    form = _reply_form(assignment, reply, posted=False)
    form.title.data, form.salutation.data, form.body.data = imported.title, imported.salutation, imported.body
    for name, value in imported.fields.items():
        if value:
            getattr(form, name).data = value
    tables = f"、表格 {imported.tables} 个" if imported.tables else ""
    flash(f"已从「{upload.filename}」读入标题、称谓和正文 {imported.paragraphs} 段{tables}，尚未保存：请核对后按“保存”。",
          "info")
    if imported.changes:
        flash(punctuation.summary(imported.changes), "info")
    return _editor(assignment, form, reply)


def _visible_reply(reply_id):
    reply = get_or_404(Reply, reply_id)
    if not perm.can_view_reply(current_user, reply):
        abort(404 if current_user.has_role("member") else 403)
    return reply


@bp.get("/replies/<int:reply_id>")
@login_required
def show(reply_id):
    reply = _visible_reply(reply_id)
    version_no = None
    if request.args.get("version"):
        version_no = bounded_int(request.args["version"], 1, 10**6)
        if version_no is None:
            abort(404)
    data = reply.snapshot()
    if version_no is not None:
        perm.require(perm.can_view_drafts(current_user, reply.assignment))
        version = next((v for v in reply.versions if v.number == version_no), None)
        if version is None:
            abort(404)
        data = version.data
    content = content_of(reply, data=data)
    cc, printed = imprint_rows(content)
    return render_template("replies/show.html", reply=reply, c=content, version_no=version_no,
                           assignment=reply.assignment, parts=body_parts(content.body),
                           title_lines=balance_title(clean(content.title), content.names), cc=cc, printed=printed,
                           heading_level=heading_level)


@bp.get("/replies/<int:reply_id>/download")
@login_required
def download(reply_id):
    reply = _visible_reply(reply_id)
    return send_file(io.BytesIO(reply_bytes(reply)), as_attachment=True, download_name=download_name(reply),
                     mimetype=DOCX_MIME)


@bp.get("/replies/<int:reply_id>/check")
@login_required
def check(reply_id):
    """版面检查: every rule on the reply as it would be signed (a signed one: its frozen copy), on the pages
    LibreOffice sets where it is installed. The same check 送签 and 签发 refuse on."""
    reply = get_or_404(Reply, reply_id)
    if not perm.can_view_drafts(current_user, reply.assignment):
        abort(404 if current_user.has_role("member") else 403)
    if reply.signed_docx is not None:
        inspection = inspect(reply.signed_docx, document_settings(), page_converter(), pdf=reply.signed_pdf)
    else:
        inspection = check_reply(reply, draft=True).inspection
    return render_template("replies/check.html", reply=reply, assignment=reply.assignment, inspection=inspection)


@bp.get("/replies/<int:reply_id>/pdf")
@login_required
def pdf(reply_id):
    reply = _visible_reply(reply_id)
    if not pdf_available():
        abort(404)
    try:
        data, made = reply_pdf(reply)
    except PdfUnavailable as error:
        flash(str(error), "danger")
        return redirect(url_for("replies.show", reply_id=reply.id))
    if made:
        db.session.commit()  # kept with the frozen .docx: later downloads get these very bytes
    return send_file(io.BytesIO(data), as_attachment=True, mimetype="application/pdf",
                     download_name=download_name(reply).removesuffix(".docx") + ".pdf")

