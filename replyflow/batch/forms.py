"""The list's batch form: one action and what it needs."""
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from ..forms_common import BaseForm, CheckboxesField, chosen, date_field, max_len
from .service import ACTIONS


class BatchForm(BaseForm):
    action = RadioField("批量操作", choices=list(ACTIONS.items()), validators=[chosen("批量操作")])
    mode = RadioField("交办方式", choices=[("lead", "主办 + 会办"), ("split", "分办（各自答复）")], default="lead",
                      validators=[Optional()])
    lead_id = SelectField("主办单位", coerce=int, default=0, validators=[Optional()])
    co_ids = CheckboxesField("会办单位", coerce=int, validators=[Optional()])
    split_ids = CheckboxesField("分办单位", coerce=int, validators=[Optional()])
    due_on = date_field("办理期限", optional=True)
    comment = TextAreaField("意见 / 催办内容", validators=[Optional(), max_len("意见", 2000)])

    def offer(self, departments):
        """The active departments to choose from."""
        choices = [(d.id, d.name) for d in departments]
        self.lead_id.choices = [(0, "（请选择）"), *choices]
        self.co_ids.choices = self.split_ids.choices = choices
        return self
