"""A reply as a .docx in the red-header layout (A4, 仿宋 body, red mark and rule, 版记).

The full GB/T 9704-2012 rule set (grid, page numbers, rule checker, frozen copies) is the
reply-document work that builds on this.
"""
import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..clock import cn_date

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
RED = RGBColor(0xFF, 0x00, 0x00)


def clean(text: str | None) -> str:
    """Drop control characters that a .docx cannot hold."""
    return _CONTROL.sub("", text or "")


def _font(run, name, size, bold=False, color=None):
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if color is not None:
        run.font.color.rgb = color


def _para(doc, text="", font="仿宋_GB2312", size=16, align=None, indent=False, bold=False, color=None):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28.95)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    if text:
        _font(p.add_run(clean(text)), font, size, bold, color)
    return p


def _border(paragraph, side, color="000000", size=8):
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    el = OxmlElement(f"w:{side}")
    for k, v in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", color)):
        el.set(qn(k), v)
    borders.append(el)


HEADING_FONTS = [
    (re.compile(r"^[一二三四五六七八九十]+、"), "黑体"),
    (re.compile(r"^（[一二三四五六七八九十]+）"), "楷体_GB2312"),
]


def render_reply_docx(reply, draft: bool = False) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    department = reply.assignment.department

    if draft:
        _para(doc, "（草稿）", size=14, color=RED)
    marks = [f"（{reply.answer_class}）" if reply.answer_class else "", f"（{reply.disclosure_label}）"]
    for mark in filter(None, marks):
        _para(doc, mark, font="黑体", size=16)
    _para(doc, department.header_title, font="方正小标宋简体", size=36, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    _para(doc)
    number = _para(doc, reply.doc_number or "", size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(number, "bottom", color="FF0000", size=18)
    _para(doc)
    _para(doc, reply.title, font="方正小标宋简体", size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc)
    _para(doc, reply.salutation)
    for line in clean(reply.body).split("\n"):
        if not line.strip():
            continue
        font = next((f for pattern, f in HEADING_FONTS if pattern.match(line.strip())), "仿宋_GB2312")
        _para(doc, line.strip(), font=font, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _para(doc)
    for label, value in (("签发人", reply.signer_name), ("经办人", reply.handler_name), ("联系电话", reply.phone)):
        if value:
            _para(doc, f"{label}：{value}", indent=True)
    _para(doc)
    if reply.cc:
        cc = _para(doc, f"抄送：{reply.cc.rstrip('。')}。", size=14)
        cc.paragraph_format.left_indent = Pt(14)
        _border(cc, "top")
    d = reply.issue_date
    imprint = _para(doc, f"{reply.issuing_organ or department.organ_name}　　"
                         f"{cn_date(d) if d else '　年　月　日'}印发", size=14)
    _border(imprint, "top")
    _border(imprint, "bottom")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
