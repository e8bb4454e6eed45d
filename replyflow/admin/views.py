"""系统管理: accounts, departments, sittings, members/deputies and the editable lists."""
from flask import Blueprint, current_app, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from .. import permissions as perm
from ..audit import log as audit
from ..auth import passwords
from ..extensions import db
from ..inputs import page_number
from ..models import AnswerClass, Category, Department, Member, RejectionGround, Sitting, User
from ..services import admin as service
from ..web import commit_or_flash, get_or_404
from .accounts import describe_change, users_page
from .forms import (
    SITTING_FIELDS,
    AnswerClassForm,
    DepartmentForm,
    MemberForm,
    NamedItemForm,
    SittingForm,
    TemplateCheckForm,
    UserForm,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")

LISTS = {
    "categories": (Category, "类别"),
    "grounds": (RejectionGround, "不立案理由"),
}


@bp.before_request
@login_required
def only_admins():
    perm.require(perm.is_admin(current_user))


def _all(model, *order):
    return db.session.scalars(select(model).order_by(*order)).all()


@bp.get("")
def index():
    counts = {label: db.session.scalar(select(func.count(model.id))) for model, label in [
        (User, "账号"), (Department, "承办单位"), (Sitting, "会议届次"), (Member, "委员/代表/团体")]}
    return render_template("admin/index.html", counts=counts, doubled=service.doubled_administrators())


# -- users ----------------------------------------------------------------------------------

def _save_user(user, form):
    return service.save_user_account(
        user, username=form.username.data.strip(), name=form.name.data.strip(), email=form.email.data,
        password=form.password.data, active=form.active.data, must_change=form.must_change_password.data,
        unlock="unlock" in form and form.unlock.data)


def _account_facts(user) -> dict:
    return {"用户名": user.username, "姓名": user.name, "邮箱": user.email or "无",
            "状态": "启用" if user.active else "停用"}


@bp.get("/users")
def users():
    page, q = users_page(request.args)
    return render_template("admin/users.html", page=page, q=q)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = UserForm()
    del form.unlock   # a new account has no lock to lift
    form.password.description = passwords.RULES + "。"
    saved = []
    if form.validate_on_submit() and commit_or_flash(
            lambda: saved.append(_save_user(None, form)), "账号已创建。它还没有角色：请安全管理员在“授权管理”中授权。"):
        audit.record("account_created", saved[0],
                     detail=describe_change({}, _account_facts(saved[0]), ["密码由管理员设置"]))
        return redirect(url_for("admin.users"))
    return render_template("admin/form.html", form=form, title="新建账号", back=url_for("admin.users"),
                           hint="角色和所属单位由安全管理员授权。")


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id):
    user = get_or_404(User, user_id)
    # 三员分立: the system administrator cannot take over the other administrators (nor reset his own
    # password past /account); their accounts are kept from the shell (reset-password, set-roles)
    perm.require(not perm.is_administrator(user))
    form = UserForm(obj=user)
    before = _account_facts(user)
    if form.validate_on_submit() and commit_or_flash(lambda: _save_user(user, form), "账号已保存。"):
        extra = (["密码由管理员设置"] if form.password.data else []) + (["登录锁定已解除"] if form.unlock.data else [])
        audit.record("account_changed", user, detail=describe_change(before, _account_facts(user), extra))
        return redirect(url_for("admin.users"))
    roles = "、".join(user.role_labels) or "尚未授权"
    return render_template("admin/form.html", form=form, title=f"编辑账号：{user.username}",
                           back=url_for("admin.users"), hint=f"密码留空则不修改。角色：{roles}（由安全管理员授权）。")


# -- departments --------------------------------------------------------------------------

DEPARTMENT_FIELDS = ("name", "doc_prefix", "header_title", "issuing_organ", "phone", "doc_format",
                     "active")


def _save_department(department, form):
    upload = form.template.data
    template = (upload.filename, upload.read()) if upload and upload.filename else None
    return service.save_department(department, template=template, reset_template=form.reset_template.data,
                                   **{k: getattr(form, k).data for k in DEPARTMENT_FIELDS})


@bp.get("/departments")
def departments():
    return render_template("admin/departments.html", departments=_all(Department, Department.name))


@bp.route("/departments/new", methods=["GET", "POST"])
@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
def edit_department(department_id=None):
    department = get_or_404(Department, department_id) if department_id else None
    form = DepartmentForm(obj=department)
    if form.validate_on_submit() and commit_or_flash(lambda: _save_department(department, form), "承办单位已保存。"):
        return redirect(url_for("admin.departments"))
    hint = f"当前模板：{department.template_name}" if department and department.template_name else "当前模板：系统默认"
    return render_template("admin/form.html", form=form, back=url_for("admin.departments"), multipart=True,
                           hint=hint, title=f"编辑承办单位：{department.name}" if department else "新增承办单位")


@bp.route("/templates/check", methods=["GET", "POST"])
def check_template():
    """Check any .docx (a template or a reply) against the GB/T 9704 rules."""
    from ..documents.checker import check_docx
    from ..documents.service import document_settings

    form = TemplateCheckForm()
    results, error, base_download = None, None, url_for("admin.base_template")
    if form.validate_on_submit():
        try:
            results = check_docx(form.document.data.read(), document_settings())
        except ValueError as exc:
            error = str(exc)
    return render_template("admin/check.html", form=form, results=results, error=error, base_download=base_download)


@bp.get("/templates/base.docx")
def base_template():
    """The system's base template, for offices to start their own from."""
    from ..documents.spec import BASE_TEMPLATE

    return send_file(BASE_TEMPLATE, as_attachment=True, download_name="答复件基础模板.docx")


# -- sittings -----------------------------------------------------------------------------

@bp.get("/sittings")
def sittings():
    return render_template("admin/sittings.html", sittings=_all(Sitting, Sitting.year.desc(), Sitting.body))


@bp.route("/sittings/new", methods=["GET", "POST"])
@bp.route("/sittings/<int:sitting_id>", methods=["GET", "POST"])
def edit_sitting(sitting_id=None):
    sitting = get_or_404(Sitting, sitting_id) if sitting_id else None
    form = SittingForm(obj=sitting)
    if request.method == "GET" and sitting is None:
        form.joint_salutation.data = None  # by body unless chosen: 政协 the lead for all, 人大 each deputy
    if form.validate_on_submit() and commit_or_flash(
            lambda: service.save_sitting(sitting, **{k: getattr(form, k).data for k in SITTING_FIELDS}),
            "会议届次已保存。"):
        return redirect(url_for("admin.sittings"))
    return render_template("admin/form.html", form=form, back=url_for("admin.sittings"),
                           title=f"编辑会议届次：{sitting.name}" if sitting else "新增会议届次")


# -- members ------------------------------------------------------------------------------

@bp.get("/members")
def members():
    q = (request.args.get("q") or "").strip()
    query = select(Member).order_by(Member.body, Member.name)
    if q:
        like = f"%{q}%"
        query = query.where(Member.name.ilike(like) | Member.affiliation.ilike(like) | Member.unit.ilike(like))
    page = db.paginate(query, page=page_number(request.args), per_page=50, error_out=False)
    return render_template("admin/members.html", page=page, q=q)


@bp.route("/members/new", methods=["GET", "POST"])
@bp.route("/members/<int:member_id>", methods=["GET", "POST"])
def edit_member(member_id=None):
    member = get_or_404(Member, member_id) if member_id else None
    form = MemberForm(obj=member)
    accounts = db.session.scalars(select(User).where(User.role_rows.any(role="member"))
                                  .order_by(User.username)).all()
    form.user_id.choices = [(0, "（无）")] + [(u.id, f"{u.username}（{u.name}）") for u in accounts]
    if request.method == "GET" and member is not None:
        form.user_id.data = member.user_id or 0
    linked_before = member.user.username if member and member.user else "无"
    saved = []
    if form.validate_on_submit() and commit_or_flash(lambda: saved.append(service.save_member(
            member, body=form.body.data, kind=form.kind.data, name=form.name.data.strip(),
            affiliation=form.affiliation.data, unit=form.unit.data, group_kind=form.group_kind.data or None,
            address_as=form.address_as.data, phone=form.phone.data,
            user=db.session.get(User, form.user_id.data) if form.user_id.data else None)), "已保存。"):
        linked = saved[0].user.username if saved[0].user else "无"
        # the link decides whose cases an account sees: the audit says what it was and is
        audit.record("member_saved", saved[0], detail=describe_change(
            {"登录账号": linked_before}, {"姓名": saved[0].name, "登录账号": linked}))
        return redirect(url_for("admin.members"))
    return render_template("admin/form.html", form=form, back=url_for("admin.members"),
                           title=f"编辑：{member.name}" if member else "新增委员/代表/党派团体")


# -- editable lists -------------------------------------------------------------------------

@bp.get("/lists")
def lists():
    return render_template("admin/lists.html", categories=_all(Category, Category.position),
                           grounds=_all(RejectionGround, RejectionGround.position),
                           answer_classes=_all(AnswerClass, AnswerClass.body, AnswerClass.position))


@bp.route("/lists/<kind>/new", methods=["GET", "POST"])
@bp.route("/lists/<kind>/<int:item_id>", methods=["GET", "POST"])
def edit_list_item(kind, item_id=None):
    if kind == "answer-classes":
        item = get_or_404(AnswerClass, item_id) if item_id else None
        form = AnswerClassForm(obj=item)
        call = lambda: service.save_answer_class(  # noqa: E731
            item, body=form.body.data, code=form.code.data.strip(), label=form.label.data.strip(),
            position=form.position.data)
        title = "答复类别"
    elif kind in LISTS:
        model, title = LISTS[kind]
        item = get_or_404(model, item_id) if item_id else None
        form = NamedItemForm(obj=item)
        call = lambda: service.save_named(model, item, name=form.name.data.strip(),  # noqa: E731
                                          position=form.position.data, active=form.active.data)
    else:
        return redirect(url_for("admin.lists"))
    if form.validate_on_submit() and commit_or_flash(call, "已保存。"):
        return redirect(url_for("admin.lists"))
    return render_template("admin/form.html", form=form, back=url_for("admin.lists"),
                           title=("编辑" if item else "新增") + title)


@bp.get("/mail")
def mail():
    """E-mail, SMS and reminders: whether SMTP and the SMS gateway are on, the outbox, what failed, the calendar in use."""
    from ..clock import today
    from ..models import OutboxMessage, Reminder
    from ..notifications.email import smtp_settings
    from ..notifications.sms import sms_settings
    from ..workflow import deadlines

    counts = {(channel, status): n for channel, status, n in db.session.execute(
        select(OutboxMessage.channel, OutboxMessage.status, func.count(OutboxMessage.id))
        .group_by(OutboxMessage.channel, OutboxMessage.status))}
    failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")
                                .order_by(OutboxMessage.id.desc()).limit(100)).all()
    years = [today().year + i for i in (0, 1)]
    return render_template(
        "admin/mail.html", smtp=smtp_settings(current_app.config), sms=sms_settings(current_app.config),
        counts=counts, failed=failed,
        reminders=db.session.scalar(select(func.count(Reminder.id))),
        calendar={y: deadlines.calendar_known(y) for y in years}, fallback=sorted(deadlines.FALLBACK_YEARS))


@bp.post("/mail/<int:message_id>/retry")
def retry_mail(message_id):
    from ..models import OutboxMessage
    from ..notifications.outbox import retry

    message = get_or_404(OutboxMessage, message_id)
    commit_or_flash(lambda: retry(message), f"已重新排队发送给 {message.to_address}。")
    return redirect(url_for("admin.mail"))

