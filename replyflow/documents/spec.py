"""GB/T 9704-2012 in numbers, shared by the base-template builder, the renderer and the checker.

Lengths are in twips (1/20 pt) unless a name says otherwise.
"""
import re
from dataclasses import dataclass
from pathlib import Path

#: the system's base template of replies, built by `python -m replyflow.documents.base`
BASE_TEMPLATE = Path(__file__).resolve().parents[2] / "docx_templates" / "reply_base.docx"
TWIPS_PER_MM = 1440 / 25.4


def mm(value: float) -> int:
    return round(value * TWIPS_PER_MM)


def pt(value: float) -> int:
    return round(value * 20)


PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838          # A4
MARGIN_TOP, MARGIN_BOTTOM = mm(37), mm(35)
MARGIN_LEFT, MARGIN_RIGHT = mm(28), mm(26)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT   # 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm
#: puts the page number's dash 7 mm under the text area (measured in LibreOffice's PDF: 23 mm gave 9.1 mm)
FOOTER_DISTANCE = mm(25.1)
HEADER_DISTANCE = mm(15)

LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH = 579               # 28.95 pt: 22 lines fill 225 mm
MAX_LINE_PITCH = 579
BODY_SIZE_PT = 16              # 三号
IMPRINT_SIZE_PT = 14           # 四号 (版记, page numbers)
TITLE_SIZE_PT = 22             # 二号
MARK_SIZE_RANGE_PT = (36, 42)
#: character spacing that makes 28 characters of 16 pt fill 156 mm (measured in LibreOffice)
BODY_CHAR_SPACING = -5         # w:spacing, in 1/20 pt: -0.25 pt
FIRST_LINE_INDENT = pt(BODY_SIZE_PT * 2)      # two characters: 640
DATE_RIGHT_INDENT = pt(BODY_SIZE_PT * 4)      # four characters: 1280
IMPRINT_INDENT = pt(IMPRINT_SIZE_PT)          # one character of 14 pt: 280
MARK_TOP_FROM_TEXT_TOP = mm(35)
#: w:space of the red line's border, in points: 4 mm under the number's characters (measured: 11 pt gave 5.4 mm,
#: the exact line height leaves ~1.5 mm under the glyphs)
RED_LINE_GAP_PT = 7
RED_LINE_SIZE = 12             # w:sz of the red line, in eighths of a point
RED = "FF0000"
#: 发文字号, e.g. 常人才办〔2025〕24号: U+3014/3015 brackets, no 第, no leading zeros
DOC_NUMBER = re.compile(r"^(?P<prefix>\S+?)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")
#: 版记 rules, in eighths of a point: 0.35 mm ≈ 1 pt, 0.25 mm ≈ 0.75 pt
IMPRINT_OUTER_RULE, IMPRINT_INNER_RULE = 8, 6
LETTER_MARK_FROM_PAGE_TOP = mm(30)
LETTER_BOTTOM_RULE_FROM_PAGE_BOTTOM = mm(20)
LETTER_RULE_WIDTH = mm(170)
# under the mark's larger line the same 4 mm takes less border space (measured in LibreOffice's PDF)
LETTER_RED_LINE_GAP_PT = 5
# from the top of the box holding the lower double line to the line's foot, as LibreOffice draws it
LETTER_RULE_DRAWN = mm(1.9)


@dataclass(frozen=True)
class DocumentSettings:
    """What an office may change: font names, mark size, where the class marks go."""

    title_font: str = "方正小标宋简体"
    body_font: str = "仿宋_GB2312"
    heading1_font: str = "黑体"
    heading2_font: str = "楷体_GB2312"
    page_number_font: str = "宋体"
    mark_size_pt: int = 36
    #: where （A）/（不公开） go: "left" (份号/密级 position) or "right"
    class_marks: str = "left"


#: the paragraph styles every base template must define (style id -> name shown in Word)
STYLES = {
    "RFClassMark": "公文-份号密级",
    "RFMark": "公文-发文机关标志",
    "RFDocNumber": "公文-发文字号",
    "RFTitle": "公文-标题",
    "RFSalutation": "公文-主送机关",
    "RFBody": "公文-正文",
    "RFHeading1": "公文-一级标题",
    "RFHeading2": "公文-二级标题",
    "RFHeading3": "公文-三级标题",
    "RFHeading4": "公文-四级标题",
    "RFNote": "公文-附注",
    "RFSignature": "公文-发文机关署名",
    "RFDate": "公文-成文日期",
    "RFImprint": "公文-版记",
    "RFPageNumber": "公文-页码",
}
#: styles the renderer adds where a base template lacks them (older templates stay usable)
EXTRA_STYLES = {"RFTable": "公文-表格"}
