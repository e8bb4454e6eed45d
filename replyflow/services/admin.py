"""Administration: accounts, departments, sittings, members and the editable lists."""
from sqlalchemy import func, select

from ..auth import lockout, passwords
from ..extensions import db
from ..inputs import normal_mobile
from ..models import AnswerClass, Department, Member, Sitting, Submission, User
from ..vocab import (
    AUTO_NUMBERING,
    BODIES,
    GROUP_KINDS,
    JOINT_SALUTATION_OF_BODY,
    JOINT_SALUTATIONS,
    NUMBER_STYLES,
    ROLES,
    SEPARATED_ROLES,
)
from . import ServiceError


def _unique(model, message, exclude=None, **filters):
    query = select(model.id).filter_by(**filters)
    found = db.session.scalar(query)
    if found is not None and (exclude is None or found != exclude.id):
        raise ServiceError(message)


def save_user(user: User | None, *, username, name, email=None, password=None, roles, department=None,
              body=None, active=True, member_name=None, must_change=True, unlock=False) -> User:
    """An account with its roles in one step, for the shell, the demo and tests. On the web the system
    administrator keeps the account (`save_user_account`) and the security administrator its roles
    (`grant_roles`)."""
    if not set(roles):
        raise ServiceError("请选择角色。")
    user = save_user_account(user, username=username, name=name, email=email, password=password, active=active,
                             must_change=must_change, unlock=unlock)
    return grant_roles(user, roles=roles, department=department, body=body, member_name=member_name)


def save_user_account(user: User | None, *, username, name, email=None, password=None, active=True,
                      must_change=True, unlock=False) -> User:
    """Create (user None) or update a login account: who it is, its password and whether it may log in.
    A new account has no role until the security administrator grants one. A password set here is the
    user's to change at the next login (`must_change`); disabling the account ends its sessions."""
    _unique(User, f"用户名「{username}」已被使用。", exclude=user, username=username)
    if user is None:
        if not password:
            raise ServiceError("新账号须设置密码。")
        user = User(username=username)
        db.session.add(user)
    ends = user.id is not None and user.active and not active
    user.username, user.name, user.email = username, name, email or None
    user.active = active
    if password:
        passwords.change(user, password, must_change=bool(must_change))
    if ends:
        user.end_sessions()
    if unlock:
        lockout.clear(username)
    db.session.flush()
    return user


def check_roles(roles: set[str]):
    if not roles <= set(ROLES):
        raise ServiceError("请选择有效的角色。")
    separated = roles & set(SEPARATED_ROLES)
    if separated and len(roles) > 1:
        labels = "、".join(ROLES[r] for r in SEPARATED_ROLES)
        raise ServiceError(f"三员分立：{labels}各用一个专门的账号，不能兼任其他角色。")


def doubled_administrators() -> list[User]:
    """Accounts of earlier versions that hold an administrator role beside another: to be split with
    `flask set-roles` (until then they keep both, as before)."""
    from ..models import UserRole

    admins = select(UserRole.user_id).where(UserRole.role.in_(SEPARATED_ROLES))
    doubled = (select(UserRole.user_id).where(UserRole.user_id.in_(admins)).group_by(UserRole.user_id)
               .having(func.count() > 1))
    return db.session.scalars(select(User).where(User.id.in_(doubled)).order_by(User.username)).all()


def grant_roles(user: User, *, roles, department=None, body=None, member_name=None, granted_by=None) -> User:
    """Set an account's roles and their scope (a handler's or signer's department, a clerk's or member's
    body). `granted_by` is the security administrator on the web: only the business roles, never on an
    administrator's account nor on one's own. A change ends the user's sessions; a member account gets
    its member record."""
    roles = set(roles)
    check_roles(roles)
    if granted_by is not None:
        if user.id == granted_by.id:
            raise ServiceError("不能给自己的账号授权。")
        if user.roles & set(SEPARATED_ROLES) or roles & set(SEPARATED_ROLES):
            raise ServiceError("三员账号（系统管理员、安全管理员、审计管理员）只能在命令行设置。")
    if roles & {"handler", "signer"} and department is None:
        raise ServiceError("经办人和签发人须选择所属单位。")
    if body not in (None, *BODIES):
        raise ServiceError("所属不正确。")
    if "member" in roles and body is None:
        raise ServiceError("委员/代表须选择所属（政协或人大）。")
    department = department if roles & {"handler", "signer"} else None
    if user.id is not None and (roles != user.roles or department is not user.department or body != user.body):
        user.end_sessions()
    user.department = department
    user.body = body
    user.set_roles(roles)
    db.session.flush()
    if "member" in roles and user.member is None:
        same_name = db.session.scalars(select(Member).where(
            Member.body == body, Member.name == (member_name or user.name), Member.kind == "person")).all()
        free = [m for m in same_name if m.user_id is None]
        if not same_name:
            db.session.add(Member(body=body, kind="person", name=member_name or user.name, user=user))
        elif len(free) == 1:
            free[0].user = user
        elif not free:
            raise ServiceError(f"{same_name[0].name}已关联其他账号。")
        # several unlinked namesakes: the admin links the right one on the member's page
    db.session.flush()
    return user


def save_account(user: User, email: str | None, email_enabled: bool, new_password: str | None = None,
                 current_password: str | None = None, mobile: str | None = None, sms_enabled: bool = True):
    """A user's own settings; a new password needs the current one and keeps to the rules."""
    user.email = (email or "").strip() or None
    user.email_enabled = bool(email_enabled)
    if (mobile or "").strip() and normal_mobile(mobile) is None:
        raise ServiceError("手机号码应为 11 位数字，以 1 开头。")
    user.mobile = normal_mobile(mobile)
    user.sms_enabled = bool(sms_enabled)
    if new_password:
        if not current_password or not user.check_password(current_password):
            raise ServiceError("当前密码不正确，密码未修改。")
        passwords.change(user, new_password)
    elif user.must_change_password:
        raise ServiceError("请设置新密码。")
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
        from ..documents.ooxml import UnsafeFile, open_package
        from ..documents.service import document_settings

        try:
            open_package(data, "docx")
            problems = check_template(data, document_settings())
        except UnsafeFile as refused:
            raise ServiceError(f"模板「{name}」无法使用：{refused}")
        except ValueError as error:
            raise ServiceError(f"模板「{name}」无法使用：{error}")
        if problems:
            raise ServiceError(f"模板「{name}」不符合要求：" + "；".join(problems[:6]))
        department.template_docx, department.template_name = data, name
    db.session.add(department)
    db.session.flush()
    return department


def save_sitting(sitting: Sitting | None, **fields) -> Sitting:
    fields["name"] = fields["name"].strip()
    _unique(Sitting, f"会议「{fields['name']}」已存在。", exclude=sitting, name=fields["name"])
    opened, closed = fields.get("opened_on"), fields.get("closed_on")
    if opened and opened.year != fields["year"]:
        raise ServiceError("开幕日期与年度不一致。")
    if closed and not opened:
        raise ServiceError("填写闭幕日期时须同时填写开幕日期。")
    if opened and closed and closed < opened:
        raise ServiceError("闭幕日期不能早于开幕日期。")
    window = fields.get("submission_opens_on"), fields.get("submission_closes_on")
    if any(window) and not all(window):
        raise ServiceError("网上提交的开始和截止日期须同时填写（都不填则不开放网上提交）。")
    if all(window) and window[1] < window[0]:
        raise ServiceError("网上提交的截止日期不能早于开始日期。")
    if fields.get("number_style", "digits") not in NUMBER_STYLES:
        raise ServiceError("请选择编号方式。")
    if fields.get("number_style") == "code" and fields.get("auto_numbering") != "none":
        raise ServiceError("自定编码的会议不能自动编号，请选择“不自动编号”。")
    if fields.get("auto_numbering", "register") not in AUTO_NUMBERING:
        raise ServiceError("请选择未填编号时如何编号。")
    if not fields.get("joint_salutation"):
        fields["joint_salutation"] = JOINT_SALUTATION_OF_BODY[fields["body"]]
    if fields["joint_salutation"] not in JOINT_SALUTATIONS:
        raise ServiceError("请选择联名件答复的称谓。")
    if sitting is not None and _has_submissions(sitting):
        if sitting.body != fields["body"]:
            raise ServiceError("本次会议已有登记的件，不能改变所属。")
        if sitting.number_style != fields.get("number_style", sitting.number_style):
            raise ServiceError("本次会议已有登记的件，不能改变编号方式（已有编号会重复或无法比较）。")
    check_policy(fields)
    sitting = sitting or Sitting()
    for key, value in fields.items():
        setattr(sitting, key, value)
    sitting.incomplete = False   # an admin who saves its settings has completed it (待完善 no more)
    db.session.add(sitting)
    db.session.flush()
    return sitting


def _has_submissions(sitting) -> bool:
    return db.session.scalar(select(Submission.id).where(Submission.sitting_id == sitting.id).limit(1)) is not None


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


def save_member(member: Member | None, *, body, kind, name, affiliation=None, unit=None, group_kind=None,
                address_as=None, phone=None, user=None) -> Member:
    """Namesakes are allowed (two 王伟 of one body); what tells them apart must differ."""
    affiliation, unit = (affiliation or "").strip() or None, (unit or "").strip() or None
    twin = db.session.scalar(select(Member.id).where(
        Member.body == body, Member.name == name, Member.affiliation.is_(None) if affiliation is None
        else Member.affiliation == affiliation, Member.unit.is_(None) if unit is None else Member.unit == unit))
    if twin is not None and (member is None or twin != member.id):
        raise ServiceError(f"{BODIES[body]}已有名为「{name}」且界别、单位相同的记录；同名的请填写界别或工作单位加以区分。")
    namesake = db.session.scalar(select(Member.id).where(Member.body == body, Member.name == name,
                                                         Member.id != (member.id if member else None)))
    if namesake is not None and affiliation is None and unit is None:
        raise ServiceError(f"{BODIES[body]}已有名为「{name}」的记录，同名的须填写界别或工作单位加以区分。")
    if kind == "group" and group_kind not in GROUP_KINDS:
        raise ServiceError("请选择集体提出者的类型（党派、人民团体、专门委员会等）。")
    if user is not None and user.member is not None and user.member is not member:
        raise ServiceError(f"账号 {user.username} 已关联{user.member.name}。")
    if user is not None and (not user.has_role("member") or user.body != body or kind != "person"):
        raise ServiceError(f"账号 {user.username} 不是{BODIES[body]}的委员/代表账号，不能关联（角色和所属由安全管理员授权）。")
    if member is not None and member.user is not None and user is not None and member.user is not user:
        raise ServiceError(f"{member.name}已关联账号 {member.user.username}；如确需更换，请先解除关联并保存。")
    member = member or Member()
    member.body, member.kind, member.name = body, kind, name
    member.affiliation, member.unit, member.phone, member.user = affiliation, unit, phone or None, user
    member.group_kind = group_kind if kind == "group" else None
    member.address_as = ((address_as or "").strip() or None) if kind == "group" else None
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
