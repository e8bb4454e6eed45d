"""The reply editor (答复件) and the signer's form."""
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from ..forms_common import BaseForm, chosen, date_field, max_len, text
from ..vocab import DISCLOSURES


class ReplyForm(BaseForm):
    answer_class = SelectField("答复类别", validators=[Optional()])
    disclosure = RadioField("公开属性", choices=list(DISCLOSURES.items()), validators=[chosen("公开属性")])
    doc_number = text("发文字号", 40, optional=True)
    title = text("标题", 200, optional=True)
    salutation = text("称谓", 400, optional=True)
    body = TextAreaField("正文", validators=[Optional(), max_len("正文", 50000)])
    signer_name = text("签发人", 40, optional=True)
    handler_name = text("经办人", 40, optional=True)
    phone = text("联系电话", 40, optional=True)
    cc = text("抄送", 200, optional=True)
    issuing_organ = text("发文机关（印发机关）", 80, optional=True)
    issue_date = date_field("成文日期", optional=True)
    #: the saved version (第N版) this editor was opened on: a save from an older one is refused
    base_version = HiddenField()
