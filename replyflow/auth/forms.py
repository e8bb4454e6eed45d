from wtforms import PasswordField, StringField

from ..forms_common import BaseForm, max_len, required


class LoginForm(BaseForm):
    username = StringField("用户名", validators=[required("用户名"), max_len("用户名", 40)])
    password = PasswordField("密码", validators=[required("密码"), max_len("密码", 200)])
