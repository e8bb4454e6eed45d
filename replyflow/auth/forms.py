from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import Email, Optional, ValidationError

from ..forms_common import BaseForm, max_len, required
from ..inputs import normal_mobile


class LoginForm(BaseForm):
    username = StringField("用户名", validators=[required("用户名"), max_len("用户名", 40)])
    password = PasswordField("密码", validators=[required("密码"), max_len("密码", 200)])


class CodeForm(BaseForm):
    code = StringField("动态口令（6 位数字）", validators=[required("动态口令"), max_len("动态口令", 10)])


class AccountForm(BaseForm):
    email = StringField("电子邮箱", validators=[Optional(), max_len("电子邮箱", 120),
                                            Email(message="电子邮箱格式不正确。", check_deliverability=False)])
    email_enabled = BooleanField("接收到期提醒和催办邮件")
    mobile = StringField("手机号码", validators=[Optional(), max_len("手机号码", 20)],
                         description="11 位手机号码，用于短信提醒")
    sms_enabled = BooleanField("接收短信提醒（到期提醒、联名邀请、答复通知）")
    current_password = PasswordField("当前密码（修改密码时填写）", validators=[Optional(), max_len("当前密码", 200)])
    new_password = PasswordField("新密码（不修改请留空）", validators=[Optional(), max_len("新密码", 200)])
    confirm_password = PasswordField("再次输入新密码", validators=[max_len("新密码", 200)])

    def validate_mobile(self, field):
        if field.data and normal_mobile(field.data) is None:
            raise ValidationError("手机号码应为 11 位数字，以 1 开头。")

    def validate_confirm_password(self, field):
        if self.new_password.data and field.data != self.new_password.data:
            raise ValidationError("两次输入的新密码不一致。")

