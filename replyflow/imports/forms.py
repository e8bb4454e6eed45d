"""The import page's form."""
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField

from ..forms_common import BaseForm


class ImportForm(BaseForm):
    workbook = FileField("Excel 文件（.xlsx）")
    sitting_id = SelectField("导入到会议", coerce=int, default=0)
    create_missing = BooleanField("新建缺少的会议、委员/代表和团体")
    #: the file already uploaded for the preview, signed (see views._token)
    token = HiddenField()
