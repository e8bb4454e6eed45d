"""The security administrator's grant: an account's roles and their scope."""
from wtforms import SelectField

from ..forms_common import BaseForm, CheckboxesField
from ..vocab import BODIES, BUSINESS_ROLES, ROLES


class GrantForm(BaseForm):
    roles = CheckboxesField("角色（可不选：账号保留但不能办理任何事项）", choices=[(r, ROLES[r]) for r in BUSINESS_ROLES])
    department_id = SelectField("所属单位（经办人、签发人）", coerce=int, default=0)
    body = SelectField("所属（工作人员可两者都管；委员/代表须选一个）", choices=[("", "政协和人大")] + list(BODIES.items()))
