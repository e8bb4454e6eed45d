"""The forms of the actions posted from the case page (the registry's rows use them)."""
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from ..forms_common import BaseForm, chosen, date_field, long_text, max_len, text
from ..vocab import CONTACT_METHODS, FEEDBACK_CONTACT_METHODS, RATINGS, SUPERVISION_KINDS


def comment_form(label: str, required: bool, field: str = "comment", n: int = 2000):
    """A form of one comment field: 立案意见, 退回修改意见, 催办内容 ..."""
    widget = long_text(label, n) if required else TextAreaField(label, validators=[Optional(), max_len(label, n)])
    return type(f"CommentForm_{field}", (BaseForm,), {field: widget})


class RejectForm(BaseForm):
    ground_id = SelectField("不立案理由", coerce=int, validators=[chosen("不立案理由")])
    note = TextAreaField("补充说明", validators=[Optional(), max_len("补充说明", 2000)])


class MergeForm(BaseForm):
    host_number = text("并入本次会议的编号", 30, render_kw={"placeholder": "如 0294 或 2025D048"})
    comment = StringField("说明", validators=[Optional(), max_len("说明", 2000)])


class GrantAdjustmentForm(BaseForm):
    department_id = SelectField("调整后的承办单位", coerce=int, validators=[chosen("调整后的承办单位")])
    due_on = date_field("办理期限", optional=True)
    comment = StringField("说明", validators=[Optional(), max_len("说明", 2000)])


class ContactForm(BaseForm):
    contact_on = date_field("沟通日期")
    method = RadioField("沟通方式", choices=list(CONTACT_METHODS.items()), validators=[chosen("沟通方式")])
    summary = long_text("沟通内容", 5000, description="提出人在“我的提案/我的建议”和本页能看到沟通记录。")


class ProgressForm(BaseForm):
    progress_on = date_field("进展日期", optional=True)
    text = long_text("落实进展", 5000, render_kw={"placeholder": "已做了什么、到了哪一步、下一步安排"})


class SupervisionForm(BaseForm):
    is_key = RadioField("重点提案/建议", choices=[("yes", "是"), ("no", "否")], validators=[chosen("是否重点")])
    supervisor = StringField("督办领导", validators=[Optional(), max_len("督办领导", 80)],
                             render_kw={"placeholder": "如 市政协副主席 张三"})
    supervising_office = StringField("牵头督办单位", validators=[Optional(), max_len("牵头督办单位", 80)])


class SupervisionRecordForm(BaseForm):
    kind = RadioField("督办方式", choices=list(SUPERVISION_KINDS.items()), validators=[chosen("督办方式")])
    held_on = date_field("督办日期")
    summary = long_text("督办情况", 5000)


def due_form(label: str, optional: bool, note: str, note_required: bool, field: str = "due_on"):
    """A date and a note: 重新办理期限, 申请延期至, 延期至, 新的办理期限 …"""
    day = date_field(label, optional=optional)  # made first: WTForms shows fields in the order they were made
    widget = long_text(note, 2000) if note_required else StringField(note, validators=[Optional(), max_len(note, 2000)])
    return type(f"DueForm_{field}", (BaseForm,), {field: day, "comment": widget})


RehandleForm = due_form("重新办理期限", True, "说明", False)
ExtensionRequestForm = due_form("申请延期至", False, "延期理由", True, field="requested_due_on")
ExtensionGrantForm = due_form("延期至", True, "说明", False)
ChangeDueForm = due_form("新的办理期限", False, "调整理由", True)


ReworkForm = type("ReworkForm", (due_form("重办期限", True, "退回重办的理由", True),), {})


class FeedbackForm(BaseForm):
    #: for a paper 征询意见表 entered by a clerk: the date the member wrote on it
    answered_on = date_field("征询意见表填写日期", optional=True)
    handling_rating = RadioField("对办理工作", choices=list(RATINGS.items()), validators=[chosen("对办理工作的评价")])
    result_rating = RadioField("对办理结果", choices=list(RATINGS.items()), validators=[chosen("对办理结果的评价")])
    contacted = RadioField("答复前，承办单位是否与您联系", choices=[("yes", "是"), ("no", "否")],
                           validators=[chosen("答复前承办单位是否与您联系")])
    contact_method = RadioField("联系方式", choices=list(FEEDBACK_CONTACT_METHODS.items()), validators=[Optional()])
    comment = TextAreaField("意见和建议", validators=[Optional(), max_len("意见和建议", 2000)],
                            description="评为不满意的，请写明理由。")
