"""Submissions: the list, registration, the case page and the clerk's review and assignment."""
import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import FileStorage

from .. import permissions as perm
from ..batch.service import ACTIONS as BATCH_ACTIONS
from ..clock import today
from ..extensions import db
from ..inputs import bounded_int, kept_args, page_number
from ..models import Attachment, Category, Sitting, Submission
from ..paging import CappedPage
from ..services import ServiceError, numbering
from ..services import assignments as assignment_service
from ..services import submissions as service
from ..services.attachments import Upload
from ..services.members import AmbiguousNames, form_name, namesakes, resolve_proposers
from ..vocab import SUBMISSION_KINDS
from ..web import commit_or_flash, get_or_404, page_closed, require_actor
from ..workflow import deadlines
from ..workflow.states import SUBMISSION_STATES
from .forms import AssignForm, ResubmitForm, SubmissionForm
from .queries import SORTS, submission_query

bp = Blueprint("submissions", __name__)


def _active(model, order):
    return db.session.scalars(select(model).where(model.active.is_(True)).order_by(*order)).all()


def _departments():
    from ..search import active_departments

    return active_departments()   # read once a request: the search reads their names too


@bp.get("/submissions")
@login_required
def index():
    args = request.args
    query = submission_query(current_user, args).options(
        joinedload(Submission.sitting), joinedload(Submission.category),
        selectinload(Submission.proposers), selectinload(Submission.assignments))
    cap = current_app.config["SEARCH_COUNT_CAP" if (args.get("q") or "").strip() else "LIST_COUNT_CAP"]
    page = CappedPage(query, page_number(args), _per_page(), cap, Submission.id)
    keep = kept_args(args)
    return render_template(
        "submissions/list.html", page=page, args=args, keep=keep, sorts=SORTS, marks=_marks(page.items, args.get("q")),
        batch={"actions": BATCH_ACTIONS} if perm.can_work_in_batch(current_user) else None,
        states=SUBMISSION_STATES, sittings=db.session.scalars(select(Sitting).order_by(Sitting.year.desc())).all(),
        categories=_active(Category, [Category.position]), departments=_departments())


def _marks(items, q):
    """{case id: (title with the typed words marked, where in its text they were found)} for a search's page.

    A hit outside the title is shown in context: from the case's text, its departments, or its delivered replies
    the user may read (read in one statement, for the cases that need them)."""
    from .. import search
    from ..models import Assignment, Reply

    q = (q or "").strip()
    if not q or not items:
        return None
    typed = numbering.normalize(q)
    marks, wanting = {}, []
    for s in items:
        title = search.highlight(s.title, q)
        hit = None if "<mark>" in title else search.snippet(
            [s.content or "", "、".join(a.department.name for a in s.active_assignments)], q)
        marks[s.id] = (title, hit)
        by_number = s.number is not None and (s.number == typed or (typed.isdigit() and s.number_seq == int(typed)))
        if "<mark>" not in title and hit is None and not by_number:
            wanting.append(s.id)
    if wanting:
        # the index holds delivered replies; each is shown only to whom may read it (a department taken off
        # the case, after 申请调整, may not)
        replies = {}
        for reply in db.session.scalars(
                select(Reply).join(Assignment, Assignment.id == Reply.assignment_id)
                .where(Assignment.submission_id.in_(wanting), Reply.delivered_at.is_not(None))
                .options(joinedload(Reply.assignment).joinedload(Assignment.submission))
                .order_by(Reply.delivered_at.desc())):
            if perm.can_view_reply(current_user, reply):
                replies.setdefault(reply.assignment.submission_id, []).append(reply)
        for sid, found in replies.items():
            if (hit := search.snippet([r.body for r in found], q)) is not None:
                marks[sid] = (marks[sid][0], Markup("答复件：") + hit)
    return marks


@bp.get("/submissions/replies.zip")
@login_required
def export_replies():
    """The signed replies of the filtered list, one .docx each, named 第0294号_<标题>.docx: counted first,
    refused above EXPORT_ZIP_LIMIT, else streamed as the zip is written (built whole in memory before its
    first byte, it outlasted the worker's timeout at scale)."""
    from flask import Response

    from ..documents.export import attachment_names, count_signed_replies, stream_zip, zip_entries

    submissions = submission_query(current_user, request.args)
    count = count_signed_replies(current_user, submissions)
    limit = current_app.config["EXPORT_ZIP_LIMIT"]
    if not count:
        flash("所选范围内没有已签发的答复件。", "warning")
        return redirect(url_for("submissions.index", **request.args))
    if count > limit:
        flash(f"所选范围内有 {count:,} 份已签发的答复件，超过一次导出的上限 {limit:,} 份。"
              "请按会议或承办单位筛选后分批导出。", "warning")
        return redirect(url_for("submissions.index", **request.args))
    entries = zip_entries(current_user, submissions)
    response = Response(stream_zip(current_app._get_current_object(), entries), mimetype="application/zip")
    response.headers.set("Content-Disposition", "attachment", **attachment_names(f"答复件_{today():%Y%m%d}.zip"))
    return response


@bp.get("/submissions/summary.xlsx")
@login_required
def export_summary():
    """办理情况汇总表 of the filtered list, in the list's order: counted first, refused above SUMMARY_EXPORT_LIMIT."""
    from ..exports.summary import loaded, title_of, workbook
    from ..paging import count_up_to

    perm.require(perm.can_export_summary(current_user))
    query = submission_query(current_user, request.args)
    limit = current_app.config["SUMMARY_EXPORT_LIMIT"]
    count = db.session.scalar(count_up_to(
        query.with_only_columns(Submission.id, maintain_column_froms=True).order_by(None), limit))
    back = redirect(url_for("submissions.index", **request.args))
    if not count:
        flash("所选范围内没有提案建议，未生成汇总表。", "warning")
        return back
    if count > limit:
        flash(f"所选范围超过一次导出的上限 {limit:,} 件，请按会议、状态或承办单位筛选后分批导出。", "warning")
        return back
    sitting_id = bounded_int(request.args.get("sitting"))
    sitting = db.session.get(Sitting, sitting_id) if sitting_id else None
    kind = SUBMISSION_KINDS.get(request.args.get("kind") or (sitting.submission_kind if sitting else ""), "提案建议")
    on = today()
    title = title_of(sitting, kind, on)
    data = workbook(title, db.session.scalars(loaded(query)), on)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=f"{title}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _per_page():
    return current_app.config["PAGE_SIZE"]


# -- registration ---------------------------------------------------------------------------

def _populate(form: SubmissionForm):
    sittings = _active(Sitting, [Sitting.year.desc(), Sitting.body])
    form.sitting_id.choices = [(s.id, s.name) for s in sittings if current_user.body in (None, s.body)]
    form.category_id.choices = [(c.id, c.name) for c in _active(Category, [Category.position])]


def _submission_data(form: SubmissionForm, choices: list):
    """The form's data parsed; names that fit several members are put in `choices` for the form to ask."""
    sitting = db.session.get(Sitting, form.sitting_id.data)
    if sitting is None:
        raise ServiceError("请选择会议届次。")
    try:
        lead, cosigners = resolve_proposers(sitting.body, form.lead_name.data, form.cosigner_names.data,
                                            request.form)
    except AmbiguousNames as error:
        choices.extend(error.choices)
        raise
    # only files sent now: a form filled from the case holds its stored Attachment rows in this field
    uploads = [Upload(f.filename, f.read()) for f in (form.attachments.data or [])
               if isinstance(f, FileStorage) and f.filename]
    return service.SubmissionData(
        sitting=sitting, kind=form.kind.data, number=form.number.data, title=form.title.data,
        content=form.content.data, category=db.session.get(Category, form.category_id.data),
        submitted_on=form.submitted_on.data, is_key=form.is_key.data,
        disclosure_wish=form.disclosure_wish.data, lead=lead, cosigners=cosigners, uploads=uploads,
        period=form.period.data or "session", proposer_count=form.proposer_count.data, reply_to_lead=form.reply_to_lead.data,
        suggested_departments=form.suggested_departments.data)


def _form_page(form, submission, choices):
    from ..models import Member

    if request.method == "POST" and any(f.filename for f in request.files.getlist("attachments")):
        # a browser never refills a file field: say so, rather than lose the files silently
        flash("未保存，所选附件也须在改正后重新选择。", "warning")

    shared = namesakes(current_user.body)
    query = select(Member).order_by(Member.body, Member.name)
    if current_user.body:  # a clerk of one body proposes only its own members
        query = query.where(Member.body == current_user.body)
    members = db.session.scalars(query).all()
    sittings = [s for s in _active(Sitting, [Sitting.year.desc(), Sitting.body]) if current_user.body in (None, s.body)]
    return render_template("submissions/form.html", form=form, submission=submission, choices=choices,
                           picks=request.form, sittings=sittings,
                           members=[(form_name(m, shared), m) for m in members])


@bp.route("/submissions/new", methods=["GET", "POST"])
@login_required
def new():
    perm.require(perm.can_register(current_user))
    form = SubmissionForm()
    _populate(form)
    if request.method == "GET":
        form.submitted_on.data = today()
        if form.sitting_id.choices:
            form.kind.data = db.session.get(Sitting, form.sitting_id.choices[0][0]).submission_kind
    created, choices = [], []
    if form.validate_on_submit():
        def call():
            created.append(service.register_submission(current_user, _submission_data(form, choices)))

        def done():
            return f"已登记，编号：{created[0].number_label}。" if created[0].number else "已登记（无编号）。"

        if commit_or_flash(call, done):
            return redirect(url_for("submissions.detail", submission_id=created[0].id))
    return _form_page(form, None, choices)


@bp.route("/submissions/<int:submission_id>/edit", methods=["GET", "POST"])
@login_required
def edit(submission_id):
    submission = get_or_404(Submission, submission_id)
    require_actor(submission, "edit_submission")
    if closed := page_closed(submission, "edit_submission", _back(submission)):
        return closed
    form = SubmissionForm(obj=submission)
    _populate(form)
    if request.method == "GET":
        shared = namesakes(submission.sitting.body)
        form.lead_name.data = form_name(submission.lead, shared) if submission.lead else ""
        form.cosigner_names.data = "、".join(form_name(m, shared) for m in submission.cosigners)
    choices = []
    if form.validate_on_submit():
        if commit_or_flash(lambda: service.update_submission(current_user, submission, _submission_data(form, choices)),
                           "登记信息已保存。"):
            return redirect(url_for("submissions.detail", submission_id=submission.id))
    return _form_page(form, submission, choices)


# -- the case page --------------------------------------------------------------------------

@bp.get("/submissions/<int:submission_id>")
@login_required
def detail(submission_id):
    from .casepage import build_case_page, loaded_for_the_page

    submission = get_or_404(Submission, submission_id, options=loaded_for_the_page())
    if not perm.can_view_submission(current_user, submission):
        abort(404 if current_user.has_role("member") else 403)

    return render_template("submissions/detail.html", **build_case_page(current_user, submission))


@bp.get("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id):
    item = get_or_404(Attachment, attachment_id)
    submission = db.session.get(Submission, item.submission_id)
    perm.require(perm.can_view_submission(current_user, submission))
    return send_file(io.BytesIO(item.data), mimetype=item.content_type, as_attachment=True,
                     download_name=item.filename)


# -- review -----------------------------------------------------------------------------------

def _back(submission):
    return url_for("submissions.detail", submission_id=submission.id)


@bp.route("/submissions/<int:submission_id>/resubmit", methods=["GET", "POST"])
@login_required
def resubmit(submission_id):
    submission = get_or_404(Submission, submission_id)
    require_actor(submission, "resubmit")
    if closed := page_closed(submission, "resubmit", _back(submission)):
        return closed
    form = ResubmitForm(obj=submission)
    if form.validate_on_submit():
        if commit_or_flash(lambda: service.resubmit(current_user, submission, form.title.data,
                                                    form.content.data, form.comment.data),
                           "已重新提交，等待审查。"):
            return redirect(_back(submission))
    return render_template("submissions/resubmit.html", form=form, submission=submission)


@bp.route("/submissions/<int:submission_id>/assign", methods=["GET", "POST"])
@login_required
def assign(submission_id):
    submission = get_or_404(Submission, submission_id)
    require_actor(submission, "assign")
    if closed := page_closed(submission, "assign", _back(submission)):
        return closed
    form = AssignForm()
    departments = _departments()
    choices = [(d.id, d.name) for d in departments]
    form.lead_id.choices = [(0, "（请选择）")] + choices
    form.co_ids.choices = choices
    form.split_ids.choices = choices
    default_due = deadlines.reply_due(submission.sitting, today())
    if request.method == "GET":
        form.due_on.data = default_due
    if form.validate_on_submit():
        by_id = {d.id: d for d in departments}
        call = lambda: assignment_service.assign(  # noqa: E731
            current_user, submission, mode=form.mode.data, lead=by_id.get(form.lead_id.data),
            co=[by_id[i] for i in form.co_ids.data or [] if i in by_id],
            split=[by_id[i] for i in form.split_ids.data or [] if i in by_id],
            due_on=form.due_on.data, comment=form.comment.data)
        if commit_or_flash(call, "已交办。"):
            return redirect(_back(submission))
    return render_template("submissions/assign.html", form=form, submission=submission, default_due=default_due)
