"""网上提交: a member drafts, invites co-signers, and submits; an invitee reads the draft and answers.

A draft is seen by its lead and by those invited to it, nobody else (clerks see the case once submitted)."""
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..forms_common import EmptyForm, first_error
from ..inputs import bounded_int
from ..models import Category, Draft, Sitting
from ..services import ServiceError
from ..services.attachments import Upload
from ..web import commit_or_flash, get_or_404
from . import service
from .forms import AnswerForm, DraftForm, InviteForm

bp = Blueprint("online", __name__, url_prefix="/online")


@bp.before_request
@login_required
def _members_only():
    """Online submission is the members' and deputies' own: an account without a member record has none."""
    if not current_user.has_role("member") or current_user.member is None:
        abort(403)


def _categories(form):
    form.category_id.choices = [(0, "（请选择）")] + [(c.id, c.name) for c in db.session.scalars(
        select(Category).where(Category.active.is_(True)).order_by(Category.position, Category.id))]


def _data(form) -> service.DraftData:
    return service.DraftData(title=form.title.data or "", content=form.content.data or "",
                             category_id=form.category_id.data or None, period=form.period.data,
                             disclosure_wish=form.disclosure_wish.data,
                             suggested_departments=form.suggested_departments.data)


def _uploads(form):
    return [Upload(f.filename, f.read()) for f in (form.attachments.data or []) if f and f.filename]


def _visible(draft_id) -> Draft:
    """The draft for its lead or an invitee; 404 for anyone else (nothing says it exists)."""
    draft = get_or_404(Draft, draft_id)
    if not (service.is_lead(current_user, draft) or service.invitation_of(current_user, draft)):
        abort(404)
    return draft


def _led(draft_id) -> Draft:
    draft = _visible(draft_id)
    if not service.is_lead(current_user, draft):
        abort(403)
    return draft


@bp.route("/new", methods=["GET", "POST"])
def new():
    member = current_user.member
    sittings = service.open_sittings(member)
    sitting = None
    wanted = bounded_int(request.values.get("sitting"))
    if wanted is not None:
        sitting = db.session.get(Sitting, wanted)
        if sitting is None or sitting.body != member.body:
            abort(404)
    elif len(sittings) == 1:
        sitting = sittings[0]
    if sitting is None:
        return render_template("online/choose.html", sittings=sittings)
    closed = service.window_closed(sitting)
    if closed:
        flash(f"{closed}。", "warning")
        return redirect(url_for("online.new"))
    form = DraftForm()
    _categories(form)
    made = []
    if form.validate_on_submit() and commit_or_flash(
            lambda: made.append(service.create_draft(current_user, sitting, _data(form), _uploads(form))),
            "草稿已保存。可以继续修改" + ("" if member.is_group else "、邀请联名人") + "，准备好后提交。"):
        return redirect(url_for("online.draft", draft_id=made[0].id))
    return render_template("online/draft.html", form=form, sitting=sitting, draft=None)


@bp.route("/drafts/<int:draft_id>", methods=["GET", "POST"])
def draft(draft_id):
    draft = _visible(draft_id)
    if not service.is_lead(current_user, draft):
        if request.method == "POST":
            abort(403)
        return render_template("online/invited.html", draft=draft, form=AnswerForm(),
                               invitation=service.invitation_of(current_user, draft))
    if draft.state != "draft":   # it is a case now: its page is where it goes on
        if request.method == "POST":
            flash("本件已提交，草稿不能再修改。", "warning")
        if draft.submission_id:
            return redirect(url_for("submissions.detail", submission_id=draft.submission_id))
        abort(404)
    form = DraftForm(obj=draft if request.method == "GET" else None)
    _categories(form)
    if request.method == "GET":
        form.category_id.data = draft.category_id or 0
        form.version.data = str(draft.version)
    asked_again = []

    def save():
        if (form.version.data or "") != str(draft.version):
            raise ServiceError("草稿已在别处（另一窗口或设备）修改过，本次修改未保存：请重新打开后再改。")
        asked_again.extend(service.save_draft(current_user, draft, _data(form), _uploads(form)))

    if form.validate_on_submit() and commit_or_flash(save, lambda: (
            f"草稿已保存。标题或正文已修改，已请{'、'.join(asked_again)}重新确认联名。", "warning")
            if asked_again else "草稿已保存。"):
        return redirect(url_for("online.draft", draft_id=draft.id))
    found = service.find_members(draft, request.args.get("find", "")) if request.args.get("find") else None
    return render_template("online/draft.html", form=form, sitting=draft.sitting, draft=draft, found=found,
                           find=request.args.get("find", ""), can_be_invited=service.can_be_invited,
                           action_form=EmptyForm())


def _post(draft_id, call, done, form_class=EmptyForm, anchor=""):
    """One POST on a draft by its lead: validate, call, commit, back to the draft."""
    draft = _led(draft_id)
    form = form_class()
    if not form.validate_on_submit():
        flash(first_error(form) or "请求已过期，请重试。", "danger")
    else:
        commit_or_flash(lambda: call(draft, form), done)
    return redirect(url_for("online.draft", draft_id=draft.id) + anchor)


@bp.post("/drafts/<int:draft_id>/invite")
def invite(draft_id):
    return _post(draft_id, lambda d, f: service.invite(current_user, d, f.member_id.data),
                 "已发出联名邀请，对方确认后列为联名人。", InviteForm, "#cosigners")


@bp.post("/drafts/<int:draft_id>/invitations/<int:invitation_id>/remove")
def uninvite(draft_id, invitation_id):
    return _post(draft_id, lambda d, f: service.uninvite(current_user, d, invitation_id), "已取消邀请。",
                 anchor="#cosigners")


@bp.post("/drafts/<int:draft_id>/files/<int:file_id>/remove")
def remove_file(draft_id, file_id):
    return _post(draft_id, lambda d, f: service.remove_file(current_user, d, file_id), "附件已删除。")


@bp.get("/drafts/<int:draft_id>/files/<int:file_id>")
def file(draft_id, file_id):
    draft = _visible(draft_id)
    found = next((f for f in draft.files if f.id == file_id), None)
    if found is None:
        abort(404)
    return send_file(io.BytesIO(found.data), as_attachment=True, download_name=found.filename,
                     mimetype=found.content_type)


@bp.post("/drafts/<int:draft_id>/submit")
def submit(draft_id):
    draft = _led(draft_id)
    made = []
    if EmptyForm().validate_on_submit() and commit_or_flash(
            lambda: made.append(service.submit(current_user, draft)),
            lambda: f"已提交{made[0].kind_label}{made[0].number_label}，等待{made[0].sitting.office}审查立案。"):
        return redirect(url_for("submissions.detail", submission_id=made[0].id))
    return redirect(url_for("online.draft", draft_id=draft.id))


@bp.post("/drafts/<int:draft_id>/delete")
def delete(draft_id):
    draft = _led(draft_id)
    if EmptyForm().validate_on_submit() and commit_or_flash(lambda: service.delete_draft(current_user, draft),
                                                            "草稿已删除。"):
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("online.draft", draft_id=draft.id))


@bp.post("/drafts/<int:draft_id>/answer")
def answer(draft_id):
    draft = _visible(draft_id)
    invitation = service.invitation_of(current_user, draft)
    if invitation is None:
        abort(403)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(first_error(form) or "请选择是否同意联名。", "danger")
    else:
        agree = form.answer.data == "confirm"
        commit_or_flash(lambda: service.answer(current_user, invitation, agree),
                        "已同意联名。" if agree else "已谢绝联名。")
    return redirect(url_for("online.draft", draft_id=draft.id))
