"""Administration forms: users, departments, sittings, members and the editable lists."""
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, PasswordField, RadioField, SelectField, SelectMultipleField
from wtforms.validators import Email, InputRequired, NumberRange, Optional, Regexp

from ..forms_common import BaseForm, chosen, date_field, max_len, text
from ..vocab import BODIES, MEMBER_KINDS, ROLES

USERNAME = Regexp(r"^[A-Za-z0-9_.\-]+$", message="用户名只能包含字母、数字、下划线、点和连字符。")


class UserForm(BaseForm):
    username = text("用户名", 40)
    name = text("姓名", 40)
    email = text("电子邮箱", 120, optional=True)
    password = PasswordField("密码", validators=[Optional(), max_len("密码", 200)])
    roles = SelectMultipleField("角色", choices=list(ROLES.items()), validators=[chosen("角色")])
    department_id = SelectField("所属单位", coerce=int)
    body = SelectField("所属（工作人员）", choices=[("", "政协和人大")] + list(BODIES.items()))
    active = BooleanField("启用", default=True)

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.username.validators.append(USERNAME)
        self.email.validators.append(Email(message="电子邮箱格式不正确。", check_deliverability=False))


class DepartmentForm(BaseForm):
    name = text("单位名称", 80)
    doc_prefix = text("发文字号前缀（如 常人才办）", 20)
    header_title = text("发文机关标志（红头，如 中共常州市委人才工作领导小组办公室文件）", 80)
    issuing_organ = text("印发机关（默认同单位名称）", 80, optional=True)
    phone = text("联系电话", 40, optional=True)
    doc_format = RadioField("答复件格式", choices=[("file", "文件格式（红头）"), ("letter", "信函格式")], default="file",
                            validators=[chosen("答复件格式")])
    signs_replies = BooleanField("正文后署发文机关名称和成文日期")
    template = FileField("本单位答复件模板（.docx，留空则沿用现有模板）")
    reset_template = BooleanField("恢复使用系统默认模板")
    active = BooleanField("启用", default=True)


class TemplateCheckForm(BaseForm):
    document = FileField("要检查的 .docx 文件", validators=[FileRequired(message="请选择文件。")])


class SittingForm(BaseForm):
    body = RadioField("所属", choices=list(BODIES.items()), validators=[chosen("所属")])
    name = text("会议名称（如 市政协十五届四次会议）", 80)
    year = IntegerField("年度", validators=[InputRequired(message="请填写年度。"),
                                          NumberRange(min=2000, max=2100, message="年度不正确。")])
    opened_on = date_field("开幕日期", optional=True)
    reply_months = IntegerField("答复期限（交办后月数）", default=3, validators=[
        InputRequired(message="请填写答复期限。"), NumberRange(min=1, max=12, message="答复期限须为 1 到 12 个月。")])
    adjustment_days = IntegerField("申请调整期限（交办后天数）", default=5, validators=[
        InputRequired(message="请填写申请调整期限。"), NumberRange(min=1, max=60, message="申请调整期限须为 1 到 60 天。")])
    rehandling_months = IntegerField("重新办理期限（月数）", default=1, validators=[
        InputRequired(message="请填写重新办理期限。"), NumberRange(min=1, max=6, message="重新办理期限须为 1 到 6 个月。")])
    active = BooleanField("启用（可登记）", default=True)


class MemberForm(BaseForm):
    body = RadioField("所属", choices=list(BODIES.items()), validators=[chosen("所属")])
    kind = RadioField("类别", choices=list(MEMBER_KINDS.items()), default="person", validators=[chosen("类别")])
    name = text("姓名或党派团体名称", 60)
    affiliation = text("界别 / 代表团", 80, optional=True)
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
