"""Shared form pieces: Chinese validator messages and field factories."""
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from .clock import cn_date, parse_date


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
    """A date the app shows and reads itself (2025年6月16日), not the browser's date picker, whose
    mm/dd/yyyy follows the browser's language. Typed as 2025-06-16, 2025/6/16, 20250616 or 2025年6月16日."""
    widget = TextInput()

    def __init__(self, *args, **kwargs):
        render_kw = {"placeholder": "如 2025年6月16日 或 2025-06-16", "autocomplete": "off", "data-cn-date": "",
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(*args, render_kw=render_kw, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return cn_date(self.data) if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist or not " ".join(valuelist).strip():
            self.data = None
            return
        self.data = parse_date(" ".join(valuelist))
        if self.data is None:
            raise ValueError(f"{self.label.text}格式不正确，应如 2025年6月16日 或 2025-06-16。")


class DateGiven:
    """A required date: blank or only spaces is no date (InputRequired let "  " through as given, and a
    registration reached the service without its date); a date in a wrong format keeps its own message
    (DataRequired would have replaced it)."""

    field_flags = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data is None and not field.errors:
            raise StopValidation(self.message)


def date_field(label, optional=False):
    return ChineseDateField(label, validators=[Optional() if optional else DateGiven(f"请填写{label}。")])


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


class CheckboxesField(SelectMultipleField):
    """Several choices as tick boxes: a multiple <select> needs Ctrl-click and is lost on a phone."""
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        # WTForms' own message for this one is not translated
        known = {value for value, _ in self.choices}
        if unknown := [value for value in self.data or [] if value not in known]:
            raise ValidationError(f"「{'、'.join(map(str, unknown))[:40]}」不是有效的选择。")
