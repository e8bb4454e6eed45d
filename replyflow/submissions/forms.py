"""Forms of registration and review."""
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional

from ..forms_common import BaseForm, CheckboxesField, chosen, date_field, long_text, max_len, text
from ..vocab import DISCLOSURE_WISHES, PERIODS, SUBMISSION_KINDS


class SubmissionForm(BaseForm):
    sitting_id = SelectField("会议届次", coerce=int, validators=[chosen("会议届次")])
    kind = RadioField("类型", choices=list(SUBMISSION_KINDS.items()), validators=[chosen("类型")])
    number = text("编号", 30, optional=True)
    # a form without it (an older client, an import) means 大会期间
    period = RadioField("提交时段", choices=list(PERIODS.items()), default="session", validators=[Optional()])
    title = text("标题", 200)
    content = long_text("正文", 20000)
    category_id = SelectField("类别", coerce=int, validators=[chosen("类别")])
    lead_name = text("领衔人或集体提出者", 100)
    cosigner_names = StringField("联名人", validators=[Optional(), max_len("联名人", 4000)])
    proposer_count = IntegerField("提出人数", validators=[
        Optional(), NumberRange(min=2, max=1000, message="提出人数须在 2 到 1000 之间。")])
    reply_to_lead = BooleanField("联名人同意只答复领衔人")
    suggested_departments = StringField("建议承办单位", validators=[Optional(), max_len("建议承办单位", 300)])
    submitted_on = date_field("提交日期")
    is_key = BooleanField("重点提案/建议")
    disclosure_wish = RadioField("是否同意公开", choices=list(DISCLOSURE_WISHES.items()), default="public",
                                 validators=[chosen("是否同意公开")])
    attachments = MultipleFileField("附件")


class AssignForm(BaseForm):
    mode = RadioField("交办方式", choices=[("lead", "主办 + 会办"), ("split", "分办（各自答复）")],
                      default="lead", validators=[chosen("交办方式")])
    lead_id = SelectField("主办单位", coerce=int, validators=[Optional()])
    co_ids = CheckboxesField("会办单位", coerce=int, validators=[Optional()])
    split_ids = CheckboxesField("分办单位", coerce=int, validators=[Optional()])
    due_on = date_field("办理期限", optional=True)
    comment = TextAreaField("交办意见", validators=[Optional(), max_len("交办意见", 2000)])


class ResubmitForm(BaseForm):
    title = text("标题", 200)
    content = long_text("正文", 20000)
    comment = TextAreaField("修改说明", validators=[Optional(), max_len("修改说明", 2000)])
