"""Renders a reply (答复件) as a GB/T 9704-2012 .docx on a base template.

The base template (docx_templates/reply_base.docx, or a department's own) carries page setup,
styles and footers; this module adds the content in the standard's order and positions.
"""
import io
import math
import re
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ..clock import cn_date, today
from . import spec
from .base import apply_styles

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

#: body headings by level, recognised from what the handler typed (full- or half-width brackets)
HEADINGS = [
    ("RFHeading1", re.compile(r"^[一二三四五六七八九十百]+、")),
    ("RFHeading2", re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")),
    ("RFHeading3", re.compile(r"^\d+[.．](?!\d)")),
    ("RFHeading4", re.compile(r"^[（(]\d+[）)]")),
]
#: where a long title may break: after these words, or before 第
_TITLE_BREAK_AFTER = ("会议", "提案", "建议", "关于对", "关于", "、", "，")


def clean(text: str | None) -> str:
    """Drop characters a .docx cannot hold (control characters), keep line breaks and tabs."""
    return _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


@dataclass
class ReplyContent:
    """Everything printed on the reply, independent of the database."""

    mark: str                       # 发文机关标志, e.g. 中共常州市委人才工作领导小组办公室文件
    doc_number: str
    title: str
    salutation: str
    body: str
    issuing_organ: str
    issue_date: date | None = None
    answer_class: str | None = None
    disclosure: str | None = None   # the label: 公开 / 依申请公开 / 不公开
    signer_name: str | None = None
    handler_name: str | None = None
    phone: str | None = None
    cc: str | None = None
    signs: bool = False             # the department signs: organ name and date under the body
    letter: bool = False            # 信函格式 instead of 文件格式
    draft: bool = False


def content_of(reply, draft: bool | None = None) -> ReplyContent:
    department = reply.assignment.department
    draft = reply.signed_at is None if draft is None else draft
    # a draft without a date previews with today's: signing fills in the real one
    issue_date = reply.issue_date or (today() if draft else None)
    # the number is taken at signing; a draft shows where it goes
    doc_number = reply.doc_number or (f"{department.doc_prefix}〔{issue_date.year}〕　号" if draft else "")
    return ReplyContent(
        mark=department.header_title, doc_number=doc_number, title=reply.title or "",
        salutation=reply.salutation or "", body=reply.body or "",
        issuing_organ=reply.issuing_organ or department.organ_name, issue_date=issue_date,
        answer_class=reply.answer_class, disclosure=reply.disclosure_label or None,
        signer_name=reply.signer_name, handler_name=reply.handler_name, phone=reply.phone, cc=reply.cc,
        signs=bool(department.signs_replies), letter=department.doc_format == "letter",
        draft=draft)


def text_width(text: str) -> float:
    """Width in em: CJK and full-width characters 1, others (digits, Latin) ½."""
    return sum(1 if ord(ch) > 0x2E7F else 0.5 for ch in text)


def balance_title(title: str, size_pt: float = spec.TITLE_SIZE_PT) -> list[str]:
    """Split a long title into lines of nearly equal width, preferring natural break points."""
    per_line = spec.TEXT_WIDTH / 20 / size_pt - 1  # a character of margin: glyph widths vary by font
    total = text_width(title)
    if total <= per_line:
        return [title]
    lines = math.ceil(total / per_line)
    parts, rest = [], title
    for remaining in range(lines, 1, -1):
        target = text_width(rest) / remaining
        candidates = []
        for i in range(1, len(rest)):
            head = rest[:i]
            if text_width(head) > per_line or text_width(rest[i:]) > per_line * (remaining - 1):
                continue
            natural = head.endswith(_TITLE_BREAK_AFTER) or rest[i] == "第"
            candidates.append((abs(text_width(head) - target) - (1.5 if natural else 0), i))
        cut = min(candidates)[1] if candidates else int(target)
        parts.append(rest[:cut])
        rest = rest[cut:]
    return parts + [rest]


def _run(text, font=None, color=None, scale=None):
    props = ""
    if font:
        props += f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
    if color:
        props += f'<w:color w:val="{color}"/>'
    if scale:
        props += f'<w:w w:val="{scale}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    pieces = []
    for i, chunk in enumerate(text.split("\t")):
        if i:
            pieces.append(f"<w:r>{rpr}<w:tab/></w:r>")
        if chunk:
            pieces.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(chunk)}</w:t></w:r>')
    return "".join(pieces)


class _Builder:
    def __init__(self, document, settings):
        self.document = document
        self.settings = settings
        self.body = document.element.body
        self.sect = self.body.find(qn("w:sectPr"))

    def add(self, style=None, runs="", ppr=""):
        style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
        self.sect.addprevious(parse_xml(f"<w:p {NS}><w:pPr>{style_xml}{ppr}</w:pPr>{runs}</w:p>"))

    def blank(self, n=1):
        for _ in range(n):
            self.add()


def _mark_scale(text: str, size_pt: int) -> int | None:
    """Character scale (%) that keeps the mark on one line, as offices compress long organ names."""
    width = text_width(text) * size_pt * 20
    if width <= spec.TEXT_WIDTH:
        return None
    return max(30, int(spec.TEXT_WIDTH / width * 100))


def _body_paragraph(b: _Builder, line: str, settings):
    style = next((s for s, pattern in HEADINGS if pattern.match(line)), "RFBody")
    if style in ("RFHeading1", "RFHeading2") and "。" in line[:-1]:
        # only the heading itself takes the heading face; the text after it stays in the body face
        head, tail = line.split("。", 1)
        b.add(style, _run(head + "。") + _run(tail, font=settings.body_font))
    else:
        b.add(style, _run(line))


def _imprint(b: _Builder, c: ReplyContent):
    """版记 at the foot of the last page: a text box anchored to the bottom of the text area."""
    rows = []
    if c.cc:
        rows.append(("cc", f"抄送：{c.cc.strip().rstrip('。')}。"))
    if not c.letter:
        rows.append(("print", f"{c.issuing_organ}\t{cn_date(c.issue_date) if c.issue_date else '　年　月　日'}印发"))
    if not rows:
        return
    rule = '<w:{side} w:val="single" w:sz="{sz}" w:space="1" w:color="000000"/>'
    paragraphs = []
    for i, (kind, text) in enumerate(rows):
        first, last = i == 0, i == len(rows) - 1
        borders = ""
        if first:
            borders += rule.format(side="top", sz=spec.IMPRINT_OUTER_RULE)
        borders += rule.format(side="bottom", sz=spec.IMPRINT_OUTER_RULE if last else spec.IMPRINT_INNER_RULE)
        paragraphs.append(f'<w:p><w:pPr><w:pStyle w:val="RFImprint"/><w:pBdr>{borders}</w:pBdr></w:pPr>'
                          f'{_run(clean(text))}</w:p>')
    width = spec.TEXT_WIDTH * 635
    height = (len(rows) * spec.LINE_PITCH + 40) * 635
    drawing = (
        # wrapped as Word writes text boxes: a DrawingML shape for consumers that know "wps"
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" '
        f'behindDoc="0" locked="1" layoutInCell="1" allowOverlap="0"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>'
        f'<wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
        f'<wp:docPr id="9704" name="版记"/><wp:cNvGraphicFramePr/><a:graphic>'
        f'<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        f'<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        f'<wps:txbx><w:txbxContent>{"".join(paragraphs)}</w:txbxContent></wps:txbx>'
        f'<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b">'
        f'<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        '</mc:AlternateContent></w:r>')
    # anchored in the last paragraph, so the box sits at the foot of the page where the text ends
    last = b.sect.getprevious()
    last.append(parse_xml(f"<w:wrap {NS}>{drawing}</w:wrap>")[0])


def _draft_header(document):
    """Drafts say so at the top of every page (grey, outside the text area)."""
    section = document.sections[0]
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.text = ""
        p._p.append(parse_xml(f'<w:r {NS}><w:rPr><w:color w:val="808080"/><w:sz w:val="21"/></w:rPr>'
                              '<w:t>草稿（未签发，仅供审核）</w:t></w:r>'))


def _clear_body(document):
    body = document.element.body
    for el in list(body):
        if el.tag != qn("w:sectPr"):
            body.remove(el)


def _file_head(b: _Builder, c: ReplyContent, s: spec.DocumentSettings):
    marks = [f"（{c.answer_class}）" if c.answer_class else None, f"（{c.disclosure}）" if c.disclosure else None]
    marks = [m for m in marks if m]
    for m in marks:
        b.add("RFClassMark", _run(m))
    before = spec.MARK_TOP_FROM_TEXT_TOP - len(marks) * spec.LINE_PITCH
    b.add("RFMark", _run(clean(c.mark), scale=_mark_scale(c.mark, s.mark_size_pt)),
          f'<w:spacing w:before="{before}" w:after="0"/>')
    b.blank(2)
    b.add("RFDocNumber", _run(clean(c.doc_number)),
          f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="{spec.RED_LINE_GAP_PT}" w:color="{spec.RED}"/></w:pBdr>')
    b.blank(2)


def _replace_story(story, paragraph_xml: str):
    """Make a header or footer hold exactly one paragraph."""
    story.is_linked_to_previous = False
    for p in list(story.paragraphs):
        p._p.getparent().remove(p._p)
    story._element.append(parse_xml(paragraph_xml))


def _letter_head(document, b: _Builder, c: ReplyContent, s: spec.DocumentSettings):
    """信函格式: the mark and red double lines on page 1 only (first-page header and footer)."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    # the double lines are 170 mm long, centred on the page
    left = (spec.PAGE_WIDTH - spec.LETTER_RULE_WIDTH) // 2 - spec.MARGIN_LEFT
    right = (spec.PAGE_WIDTH - spec.LETTER_RULE_WIDTH) // 2 - spec.MARGIN_RIGHT
    _replace_story(section.first_page_header, (
        f'<w:p {NS}><w:pPr><w:pStyle w:val="RFMark"/><w:pBdr><w:bottom w:val="thickThinSmallGap" w:sz="24" '
        f'w:space="{spec.RED_LINE_GAP_PT}" w:color="{spec.RED}"/></w:pBdr><w:ind w:left="{left}" w:right="{right}"/>'
        f'</w:pPr>{_run(clean(c.mark), scale=_mark_scale(c.mark, s.mark_size_pt))}</w:p>'))
    _replace_story(section.first_page_footer, (
        f'<w:p {NS}><w:pPr><w:pBdr><w:top w:val="thinThickSmallGap" w:sz="24" w:space="1" w:color="{spec.RED}"/>'
        f'</w:pBdr><w:ind w:left="{left}" w:right="{right}"/></w:pPr></w:p>'))
    section.header_distance = spec.LETTER_MARK_FROM_PAGE_TOP * 635
    section.footer_distance = spec.LETTER_BOTTOM_RULE_FROM_PAGE_BOTTOM * 635
    marks = [f"（{c.answer_class}）" if c.answer_class else "", f"（{c.disclosure}）" if c.disclosure else ""]
    tab = f'<w:tabs><w:tab w:val="right" w:pos="{spec.TEXT_WIDTH}"/></w:tabs>'
    b.add("RFClassMark", _run(f"{marks[0]}\t{clean(c.doc_number)}"), tab)
    if marks[1]:
        b.add("RFClassMark", _run(marks[1]))
    b.blank(2)


def render(content: ReplyContent, template: bytes | None = None,
           settings: spec.DocumentSettings | None = None) -> bytes:
    """The reply as .docx bytes."""
    s = settings or spec.DocumentSettings()
    document = Document(io.BytesIO(template) if template else str(spec.BASE_TEMPLATE))
    apply_styles(document, s)
    _clear_body(document)
    b = _Builder(document, s)
    c = content
    if c.draft:
        _draft_header(document)
    if c.letter:
        _letter_head(document, b, c, s)
    else:
        _file_head(b, c, s)
    b.add("RFTitle", "<w:r><w:br/></w:r>".join(_run(line) for line in balance_title(clean(c.title))))
    b.blank()
    b.add("RFSalutation", _run(clean(c.salutation)))
    for line in clean(c.body).split("\n"):
        if line.strip():
            _body_paragraph(b, line.strip(), s)
    if c.signs:
        b.blank()
        b.add("RFSignature", _run(clean(c.issuing_organ)))
        b.add("RFDate", _run(cn_date(c.issue_date) if c.issue_date else "　年　月　日"))
    notes = [(label, value) for label, value in (("签发人", c.signer_name), ("经办人", c.handler_name),
                                                 ("联系电话", c.phone)) if value]
    if notes:
        b.blank()
        for i, (label, value) in enumerate(notes):
            keep = "<w:keepNext/>" if i < len(notes) - 1 else ""
            b.add("RFNote", _run(clean(f"{label}：{value}")), keep)
    _imprint(b, c)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
