"""Shared form pieces: Chinese validator messages and field factories."""
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional


class BaseForm(FlaskForm):
    """All forms: WTForms' own messages (“Not a valid choice” ...) in Chinese."""

    class Meta:
        locales = ["zh"]


def required(label):
    return DataRequired(message=f"请填写{label}。")


def chosen(label):
    return InputRequired(message=f"请选择{label}。")


def max_len(label, n):
    return Length(max=n, message=f"{label}最多 {n} 字。")


def text(label, n, optional=False, **kw):
    validators = [Optional() if optional else required(label), max_len(label, n)]
    return StringField(label, validators=validators, **kw)


def long_text(label, n, optional=False, **kw):
    validators = [Optional() if optional else required(label), max_len(label, n)]
    return TextAreaField(label, validators=validators, **kw)


class ChineseDateField(DateField):
    """An <input type=date> whose parse error is in Chinese."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(f"{self.label.text}格式不正确，应为 年-月-日。")


def date_field(label, optional=False):
    # InputRequired, not DataRequired: the latter would hide the "wrong format" message
    return ChineseDateField(label, validators=[Optional() if optional else InputRequired(message=f"请填写{label}。")],
                            format="%Y-%m-%d")


class EmptyForm(BaseForm):
    """Only the CSRF token: for one-click actions such as 签收."""


def first_error(form) -> str:
    """The first error, named after its field when the message does not say which."""
    for field in form:
        if field.errors:
            error = field.errors[0] if isinstance(field.errors, list) else str(field.errors)
            label = field.label.text
            return error if label in error else f"{label}：{error}"
    return "表单填写有误。"
