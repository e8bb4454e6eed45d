"""Forms of the department's handling and the clerk's follow-up on an assignment."""
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from ..forms_common import BaseForm, chosen, date_field, long_text, max_len
from ..vocab import CONTACT_METHODS


class ReasonForm(BaseForm):
    comment = long_text("理由", 2000)


class GrantAdjustmentForm(BaseForm):
    department_id = SelectField("调整后的承办单位", coerce=int, validators=[chosen("调整后的承办单位")])
    due_on = date_field("办理期限", optional=True)
    comment = TextAreaField("说明", validators=[Optional(), max_len("说明", 2000)])


class ContactForm(BaseForm):
    contact_on = date_field("沟通日期")
    method = RadioField("沟通方式", choices=list(CONTACT_METHODS.items()), validators=[chosen("沟通方式")])
    summary = long_text("沟通内容", 5000)


class OpinionForm(BaseForm):
    opinion = long_text("会办意见", 20000)


class RehandleForm(BaseForm):
    due_on = date_field("重新办理期限", optional=True)
    comment = TextAreaField("说明", validators=[Optional(), max_len("说明", 2000)])


class ExtensionRequestForm(BaseForm):
    requested_due_on = date_field("申请延期至")
    comment = long_text("延期理由", 2000)


class ExtensionGrantForm(BaseForm):
    due_on = date_field("延期至（留空为申请的日期）", optional=True)
    comment = TextAreaField("说明", validators=[Optional(), max_len("说明", 2000)])

