"""Administration forms: users, departments, sittings, members and the editable lists."""
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import Email, InputRequired, NumberRange, Optional, Regexp

from ..forms_common import BaseForm, chosen, date_field, max_len, required, text
from ..vocab import AUTO_NUMBERING, BODIES, GROUP_KINDS, JOINT_SALUTATIONS, MEMBER_KINDS, NUMBER_STYLES

USERNAME = Regexp(r"^[A-Za-z0-9_.\-]+$", message="用户名只能包含字母、数字、下划线、点和连字符。")


class UserForm(BaseForm):
    """The account itself; its roles are the security administrator's (roles.forms.GrantForm)."""
    # validators given here, once: appended in __init__ they would pile up on the shared field definition
    username = StringField("用户名", validators=[required("用户名"), max_len("用户名", 40), USERNAME])
    name = text("姓名", 40)
    email = StringField("电子邮箱", validators=[
        Optional(), max_len("电子邮箱", 120), Email(message="电子邮箱格式不正确。", check_deliverability=False)])
    password = PasswordField("密码", validators=[Optional(), max_len("密码", 200)])
    must_change_password = BooleanField("下次登录时须修改密码", default=True)
    unlock = BooleanField("解除登录锁定")
    active = BooleanField("启用", default=True)


class DepartmentForm(BaseForm):
    name = text("单位名称", 80)
    doc_prefix = text("发文字号前缀（如 常人才办）", 20)
    header_title = text("发文机关标志（红头，如 中共常州市委人才工作领导小组办公室文件）", 80)
    issuing_organ = text("发文机关署名、印发机关（默认同单位名称）", 80, optional=True)
    phone = text("联系电话", 40, optional=True)
    doc_format = RadioField("答复件格式", choices=[("file", "文件格式（红头）"), ("letter", "信函格式")], default="file",
                            validators=[chosen("答复件格式")])
    template = FileField("本单位答复件模板（.docx，留空则沿用现有模板）")
    reset_template = BooleanField("恢复使用系统默认模板")
    active = BooleanField("启用", default=True)


class TemplateCheckForm(BaseForm):
    document = FileField("要检查的 .docx 文件", validators=[FileRequired(message="请选择文件。")])


def _months(label, default, high):
    return IntegerField(label, default=default, validators=[
        InputRequired(message=f"请填写{label}。"), NumberRange(min=1, max=high, message=f"{label}须为 1 到 {high}。")])


def _policy_fields() -> dict:
    """A sitting's deadlines, made afresh for each form (WTForms shows fields in the order made)."""
    return {
        "reply_months": _months("答复期限（交办后月数）", 3, 12),
        "opinion_months": _months("会办意见期限（交办后月数）", 1, 6),
        "adjustment_days": _months("申请调整期限（交办后工作日）", 5, 30),
        "signoff_working_days": _months("签发期限（送签后工作日）", 5, 30),
        "feedback_months": _months("征询意见期限（答复后月数）", 1, 6),
        "rehandling_months": _months("重新办理期限（月数）", 1, 6),
        "extension_months": _months("每次延期最多（月数）", 3, 12),
        "extension_cap_months": _months("延期后最晚（交办后月数）", 6, 24),
    }


#: a sitting's deadlines, editable by admins and by the clerks of its body
PolicyForm = type("PolicyForm", (BaseForm,), _policy_fields())

POLICY_FIELDS = ("reply_months", "opinion_months", "adjustment_days", "signoff_working_days", "feedback_months",
                 "rehandling_months", "extension_months", "extension_cap_months")


class SittingForm(BaseForm):
    body = RadioField("所属", choices=list(BODIES.items()), validators=[chosen("所属")])
    name = text("会议名称（照实填写，如 政协子洲县第十届委员会第二次会议、广州市十四届人大三次会议闭会期间）", 120)
    year = IntegerField("年度（用于统计）", validators=[InputRequired(message="请填写年度。"),
                                                  NumberRange(min=2000, max=2100, message="年度不正确。")])
    opened_on = date_field("大会开幕日期", optional=True)
    closed_on = date_field("大会闭幕日期（大会期间提交的，日期须在会期内）", optional=True)
    number_style = RadioField("编号方式", choices=list(NUMBER_STYLES.items()), default="digits",
                              validators=[chosen("编号方式")])
    number_width = IntegerField("数字编号位数（4 显示为第0294号，0 不补零）", default=4, validators=[
        InputRequired(message="请填写数字编号位数。"), NumberRange(min=0, max=8, message="位数须为 0 到 8。")])
    auto_numbering = RadioField("未填编号时", choices=list(AUTO_NUMBERING.items()), default="register",
                                validators=[chosen("未填编号时如何编号")])
    joint_salutation = RadioField("联名件答复的称谓（不选：政协为“领衔人等N位”，人大为“逐一称呼”）",
                                  choices=list(JOINT_SALUTATIONS.items()), validators=[Optional()])
    submission_opens_on = date_field("网上提交开始日期（委员/代表在系统中起草、邀请联名、提交）", optional=True)
    submission_closes_on = date_field("网上提交截止日期（两项都填才开放网上提交）", optional=True)
    review_replies = BooleanField("答复件签发后须经提案委（代表工委）审核才能答复（答复审核）")
    active = BooleanField("启用（可登记）", default=True)


# the deadlines after the sitting's own fields
for _name, _field in _policy_fields().items():
    setattr(SittingForm, _name, _field)

SITTING_FIELDS = ("body", "name", "year", "opened_on", "closed_on", "number_style", "number_width", "auto_numbering",
                  "joint_salutation", "submission_opens_on", "submission_closes_on", "review_replies", "active",
                  *POLICY_FIELDS)


class MemberForm(BaseForm):
    body = RadioField("所属", choices=list(BODIES.items()), validators=[chosen("所属")])
    kind = RadioField("类别", choices=list(MEMBER_KINDS.items()), default="person", validators=[chosen("类别")])
    name = text("姓名或名称（公开资料中隐去的照写，如 许**）", 60)
    affiliation = text("界别 / 代表团", 80, optional=True)
    unit = text("工作单位及职务（区分同名）", 120, optional=True)
    group_kind = SelectField("集体提出者的类型", choices=[("", "（个人不填）")] + list(GROUP_KINDS.items()))
    address_as = text("答复时的称呼（如 贵会、贵社、贵委；留空按类型）", 8, optional=True)
    phone = text("联系电话", 40, optional=True)
    user_id = SelectField("登录账号", coerce=int)


class NamedItemForm(BaseForm):
    name = text("名称", 80)
    position = IntegerField("排序", default=0, validators=[Optional()])
    active = BooleanField("启用", default=True)


class AnswerClassForm(BaseForm):
    body = RadioField("所属", choices=list(BODIES.items()), validators=[chosen("所属")])
    code = text("代号（如 A）", 4)
    label = text("含义", 80)
    position = IntegerField("排序", default=0, validators=[Optional()])
