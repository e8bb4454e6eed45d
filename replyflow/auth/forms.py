from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import Email, Optional

from ..forms_common import BaseForm, max_len, required


class LoginForm(BaseForm):
    username = StringField("用户名", validators=[required("用户名"), max_len("用户名", 40)])
    password = PasswordField("密码", validators=[required("密码"), max_len("密码", 200)])


class AccountForm(BaseForm):
    email = StringField("电子邮箱", validators=[Optional(), max_len("电子邮箱", 120),
                                            Email(message="电子邮箱格式不正确。", check_deliverability=False)])
    email_enabled = BooleanField("接收到期提醒和催办邮件")
    new_password = PasswordField("新密码（不修改请留空）", validators=[Optional(), max_len("新密码", 200)])

