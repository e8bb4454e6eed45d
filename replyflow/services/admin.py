"""Administration: accounts, departments, sittings, members and the editable lists."""
from sqlalchemy import select

from ..extensions import db
from ..models import AnswerClass, Department, Member, Sitting, User
from ..vocab import BODIES, ROLES
from . import ServiceError

MIN_PASSWORD = 8


def _unique(model, message, exclude=None, **filters):
    query = select(model.id).filter_by(**filters)
    found = db.session.scalar(query)
    if found is not None and (exclude is None or found != exclude.id):
        raise ServiceError(message)


def save_user(user: User | None, *, username, name, email=None, password=None, roles, department=None,
              body=None, active=True, member_name=None) -> User:
    """Create (user None) or update an account. A member account gets its member record."""
    roles = set(roles)
    if not roles or not roles <= set(ROLES):
        raise ServiceError("请选择有效的角色。")
    if roles & {"handler", "signer"} and department is None:
        raise ServiceError("经办人和签发人须选择所属单位。")
    if body not in (None, *BODIES):
        raise ServiceError("所属不正确。")
    if "member" in roles and body is None:
        raise ServiceError("委员/代表须选择所属（政协或人大）。")
    _unique(User, f"用户名「{username}」已被使用。", exclude=user, username=username)
    if user is None:
        if not password:
            raise ServiceError("新账号须设置密码。")
        user = User(username=username)
        db.session.add(user)
    if password:
        if len(password) < MIN_PASSWORD:
            raise ServiceError(f"密码至少 {MIN_PASSWORD} 位。")
        user.set_password(password)
    user.username, user.name, user.email = username, name, email or None
    user.department = department
    user.body = body
    user.active = active
    user.set_roles(roles)
    db.session.flush()
    if "member" in roles and user.member is None:
        existing = db.session.scalar(select(Member).where(Member.body == body, Member.name == (member_name or name)))
        if existing is not None and existing.user_id not in (None, user.id):
            raise ServiceError(f"{existing.name}已关联其他账号。")
        member = existing or Member(body=body, kind="person", name=member_name or name)
        member.user = user
        db.session.add(member)
    db.session.flush()
    return user


def save_account(user: User, email: str | None, email_enabled: bool, new_password: str | None = None):
    """A user's own settings."""
    user.email = (email or "").strip() or None
    user.email_enabled = bool(email_enabled)
    if new_password:
        if len(new_password) < MIN_PASSWORD:
            raise ServiceError(f"密码至少 {MIN_PASSWORD} 位。")
        user.set_password(new_password)
    db.session.flush()


def save_department(department: Department | None, *, template: tuple[str, bytes] | None = None,
                    reset_template=False, **fields) -> Department:
    """Create or update a department; an uploaded base template must pass the document rules."""
    _unique(Department, f"单位「{fields['name']}」已存在。", exclude=department, name=fields["name"])
    if fields.get("doc_format") not in (None, "file", "letter"):
        raise ServiceError("答复件格式不正确。")
    department = department or Department()
    for key, value in fields.items():
        setattr(department, key, value if value != "" else None)
    if reset_template:
        department.template_docx, department.template_name = None, None
    elif template is not None:
        name, data = template
        from ..documents.checker import check_template
        from ..documents.service import document_settings

        try:
            problems = check_template(data, document_settings())
        except ValueError as error:
            raise ServiceError(f"模板「{name}」无法使用：{error}")
        if problems:
            raise ServiceError(f"模板「{name}」不符合要求：" + "；".join(problems[:6]))
        department.template_docx, department.template_name = data, name
    db.session.add(department)
    db.session.flush()
    return department


def save_sitting(sitting: Sitting | None, **fields) -> Sitting:
    _unique(Sitting, f"会议「{fields['name']}」已存在。", exclude=sitting, name=fields["name"])
    if fields.get("opened_on") and fields["opened_on"].year != fields["year"]:
        raise ServiceError("开幕日期与年度不一致。")
    check_policy(fields)
    sitting = sitting or Sitting()
    for key, value in fields.items():
        setattr(sitting, key, value)
    db.session.add(sitting)
    db.session.flush()
    return sitting


def check_policy(fields):
    if fields.get("opinion_months", 0) > fields.get("reply_months", 99):
        raise ServiceError("会办意见期限不能长于答复期限。")
    if fields.get("extension_cap_months", 99) < fields.get("reply_months", 0):
        raise ServiceError("延期后最晚期限不能短于答复期限。")


def save_policy(sitting: Sitting, **fields) -> Sitting:
    """A clerk or admin changes a sitting's deadlines; new assignments follow them."""
    check_policy(fields)
    for key, value in fields.items():
        setattr(sitting, key, value)
    db.session.flush()
    return sitting


def save_member(member: Member | None, *, body, kind, name, affiliation=None, phone=None, user=None) -> Member:
    _unique(Member, f"{BODIES[body]}已有名为「{name}」的委员/代表或团体。", exclude=member, body=body, name=name)
    if user is not None and user.member is not None and user.member is not member:
        raise ServiceError(f"账号 {user.username} 已关联{user.member.name}。")
    member = member or Member()
    member.body, member.kind, member.name = body, kind, name
    member.affiliation, member.phone, member.user = affiliation or None, phone or None, user
    db.session.add(member)
    db.session.flush()
    return member


def save_named(model, item, *, name, position=0, active=True):
    """A category or a rejection ground."""
    _unique(model, f"「{name}」已存在。", exclude=item, name=name)
    item = item or model()
    item.name, item.position, item.active = name, position or 0, active
    db.session.add(item)
    db.session.flush()
    return item


def save_answer_class(item: AnswerClass | None, *, body, code, label, position=0):
    _unique(AnswerClass, f"{BODIES[body]}已有类别 {code}。", exclude=item, body=body, code=code)
    item = item or AnswerClass()
    item.body, item.code, item.label, item.position = body, code.upper(), label, position or 0
    db.session.add(item)
    db.session.flush()
    return item
