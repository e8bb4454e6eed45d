"""The security administrator's grant: an account's roles and their scope."""
from wtforms import SelectField, SelectMultipleField, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms_common import BaseForm
from ..vocab import BODIES, BUSINESS_ROLES, ROLES


class CheckboxesField(SelectMultipleField):
    """Several choices as tick boxes: a multiple <select> needs Ctrl-click and is lost on a phone."""
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        # WTForms' own message for this one is not translated
        known = {value for value, _ in self.choices}
        if unknown := [value for value in self.data or [] if value not in known]:
            raise ValidationError(f"「{'、'.join(unknown)[:40]}」不是有效的选择。")


class GrantForm(BaseForm):
    roles = CheckboxesField("角色（可不选：账号保留但不能办理任何事项）", choices=[(r, ROLES[r]) for r in BUSINESS_ROLES])
    department_id = SelectField("所属单位（经办人、签发人）", coerce=int, default=0)
    body = SelectField("所属（工作人员可两者都管；委员/代表须选一个）", choices=[("", "政协和人大")] + list(BODIES.items()))
