"""The columns of the registration workbook (导入模板), and the template a clerk downloads."""
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

#: the header row, exactly: other tools write files with it
HEADERS = ["会议", "编号", "类别", "标题", "正文", "领衔人", "联名人", "提出方式", "大会/闭会", "提交日期", "分类",
           "重点", "公开意愿", "建议承办单位"]
REQUIRED = ("标题", "领衔人")
#: how each column is filled, for the template's second sheet
GUIDE = {
    "会议": "会议届次全称，如 市政协十五届四次会议；整个文件导入同一次会议时可不填，在导入页选择",
    "编号": "如 0294、第0294号、2025D048；不填则按会议的编号规则自动编号",
    "类别": "提案 或 建议，须与会议一致；可不填",
    "标题": "必填，不超过 200 字",
    "正文": "可不填（补录往年的件常无正文），导入后标为“信息不全”",
    "领衔人": "必填：委员/代表姓名，或党派、团体等集体提出者名称；同名者写作 王伟（经济界）",
    "联名人": "用“、”分隔，按顺序；未列全的可在末尾写 等5名代表",
    "提出方式": "个人、联名 或 集体；可不填（按领衔人和联名人判断）",
    "大会/闭会": "大会期间 或 闭会期间；不填为大会期间",
    "提交日期": "如 2025-01-15 或 2025年1月15日；可不填，导入后标为“信息不全”",
    "分类": "系统中的分类名称，如 经济、科教、社会",
    "重点": "是 或 否；不填为否",
    "公开意愿": "同意公开 或 不同意公开；不填为同意公开",
    "建议承办单位": "提出人建议的承办单位，用“、”分隔；交办时参考",
}
#: columns whose values are a short list, offered as a drop-down in the template
CHOICES = {"类别": ["提案", "建议"], "提出方式": ["个人", "联名", "集体"], "大会/闭会": ["大会期间", "闭会期间"],
           "重点": ["是", "否"], "公开意愿": ["同意公开", "不同意公开"]}
WIDTHS = {"会议": 24, "编号": 10, "类别": 7, "标题": 40, "正文": 50, "领衔人": 14, "联名人": 28, "提出方式": 9,
          "大会/闭会": 11, "提交日期": 12, "分类": 8, "重点": 6, "公开意愿": 11, "建议承办单位": 24}
MAX_DATA_ROW = 10001


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def template() -> bytes:
    """An empty workbook with the header row, drop-downs for the short lists and a sheet that explains each column."""
    book = Workbook()
    sheet = book.active
    sheet.title = "提案建议"
    sheet.append(HEADERS)
    for index, name in enumerate(HEADERS):
        cell = sheet.cell(row=1, column=index + 1)
        cell.font = Font(bold=True, color="C00000" if name in REQUIRED else "000000")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        sheet.column_dimensions[_letter(index)].width = WIDTHS[name]
        if name in CHOICES:
            rule = DataValidation(type="list", formula1='"' + ",".join(CHOICES[name]) + '"', allow_blank=True,
                                  showErrorMessage=True, error=f"{name}只能是：{'、'.join(CHOICES[name])}")
            rule.add(f"{_letter(index)}2:{_letter(index)}{MAX_DATA_ROW}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("填写说明")
    guide.append(["列", "填写说明"])
    for name in HEADERS:
        guide.append([name + ("（必填）" if name in REQUIRED else ""), GUIDE[name]])
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 90
    for row in guide.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True)
    guide["A1"].font = guide["B1"].font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
