"""Forms of 网上提交: the draft, an invitation, an invitee's answer."""
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..forms_common import BaseForm, chosen, max_len, text
from ..vocab import DISCLOSURE_WISHES, PERIODS


class DraftForm(BaseForm):
    title = text("标题", 200, render_kw={"placeholder": "关于……的提案（建议）"})
    content = TextAreaField("正文（情况、问题和具体建议）", validators=[Optional(), max_len("正文", 20000)],
                            render_kw={"rows": 12})
    category_id = SelectField("类别", coerce=int, validators=[Optional()])
    period = RadioField("提交时段", choices=list(PERIODS.items()), default="session", validators=[chosen("提交时段")])
    disclosure_wish = RadioField("是否同意公开", choices=list(DISCLOSURE_WISHES.items()), default="public",
                                 validators=[chosen("是否同意公开")])
    suggested_departments = StringField("建议承办单位（可不填，多个用、分隔）",
                                        validators=[Optional(), max_len("建议承办单位", 300)])
    attachments = MultipleFileField("附件（PDF、Word、Excel 或图片）")
    #: the version the form was opened on: a save built on an older one is refused, never overwrites
    version = HiddenField()


class InviteForm(BaseForm):
    member_id = IntegerField(validators=[InputRequired(message="请选择要邀请的人。")])


class AnswerForm(BaseForm):
    answer = RadioField("是否同意联名", choices=[("confirm", "同意联名"), ("decline", "谢绝联名")],
                        validators=[chosen("是否同意联名")])
