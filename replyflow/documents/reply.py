"""Renders a reply (答复件) as a GB/T 9704-2012 .docx on a base template.

The base template (docx_templates/reply_base.docx, or a department's own) carries page setup,
styles and footers; this module adds the content in the standard's order and positions.
"""
import copy
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ..clock import cn_date, today
from ..vocab import DISCLOSURES
from . import layout, spec
from .base import apply_styles
from .layout import Block, text_width
from .titles import balance_title

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
    signs: bool = True              # 发文机关署名 and 成文日期 under the body (GB/T 9704 7.3.5.1)
    #: the organ's name as signed under the body; the issuing organ's when not given
    issuer: str | None = None
    #: 成文日期 under the body; the issue date's when not given
    written_date: date | None = None
    letter: bool = False            # 信函格式 instead of 文件格式
    draft: bool = False
    #: what a draft says at the top of every page
    draft_mark: str = "草稿（未签发，仅供审核）"
    #: names a title line must not break inside (proposers, organs)
    names: tuple[str, ...] = ()


def content_of(reply, draft: bool | None = None, data: dict | None = None) -> ReplyContent:
    """The reply as the renderer sees it; `data` (a saved version's fields) stands in for the reply's own."""
    def field(name):
        return data.get(name) if data is not None else getattr(reply, name)

    department = reply.assignment.department
    draft = reply.signed_at is None if draft is None else draft
    issue_date = field("issue_date")
    if isinstance(issue_date, str):
        issue_date = date.fromisoformat(issue_date)
    # a draft without a date previews with today's: signing fills in the real one
    issue_date = issue_date or (today() if draft else None)
    # the number is taken at signing; a draft shows where it goes
    doc_number = field("doc_number") or (f"{department.doc_prefix}〔{issue_date.year}〕　号" if draft else "")
    letter = department.doc_format == "letter"
    return ReplyContent(
        mark=letter_mark(department.header_title) if letter else department.header_title,
        doc_number=doc_number, title=field("title") or "",
        salutation=field("salutation") or "", body=field("body") or "",
        issuing_organ=field("issuing_organ") or department.organ_name, issue_date=issue_date,
        answer_class=field("answer_class"), disclosure=DISCLOSURES.get(field("disclosure") or "") or None,
        signer_name=field("signer_name"), handler_name=field("handler_name"), phone=field("phone"),
        cc=field("cc"), letter=letter, draft=draft,
        names=_names_in_title(reply))


def with_doc_number(docx: bytes, placeholder: str, number: str) -> bytes:
    """The same document with its number written where `placeholder` stands (the one place it stands): how a reply
    checked before signing gets the number taken when it is signed, without rendering it again."""
    if placeholder == number:
        return docx
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                old, new = f">{escape(placeholder)}<".encode(), f">{escape(number)}<".encode()
                if data.count(old) != 1:
                    raise ValueError(f"the number {placeholder} stands {data.count(old)} times in the document")
                data = data.replace(old, new)
            target.writestr(item, data)
    return out.getvalue()


def letter_mark(header_title: str) -> str:
    """信函格式 carries the organ's name as its mark (GB/T 9704 10.1), not the 文件 of the file format."""
    return header_title.removesuffix("文件") if len(header_title) > 4 else header_title


def heading_level(line: str) -> int:
    """1–4 for a line numbered 一、（一）1.（1）, 0 for a body paragraph."""
    return next((n for n, (_, pattern) in enumerate(HEADINGS, start=1) if pattern.match(line)), 0)


def _names_in_title(reply) -> tuple[str, ...]:
    submission = reply.assignment.submission
    names = [m.name for m in submission.members if m is not None]
    names += [a.department.name for a in submission.assignments]
    names += [reply.assignment.department.organ_name or ""]
    return tuple(n for n in dict.fromkeys(names) if n and len(n) >= 2)


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


#: em widths of a body line: 28 characters of 16 pt at −0.25 pt in 156 mm; the first line is indented two
BODY_EM = layout.body_chars_per_line()
BODY_FIRST_EM = (spec.TEXT_WIDTH - spec.FIRST_LINE_INDENT) / (spec.BODY_SIZE_PT * 20 + spec.BODY_CHAR_SPACING)
TABLE_SIZE_PT, TABLE_LINE = 14, spec.pt(22)
#: what a row's border adds to its height (0.5 pt; measured in LibreOffice's PDF: rows 22.5 pt apart)
TABLE_RULE = 10
CELL_MARGIN = 80


class _Builder:
    """Adds paragraphs before the section properties and keeps the layout estimate of each."""

    def __init__(self, document, settings):
        self.document = document
        self.settings = settings
        self.body = document.element.body
        self.sect = self.body.find(qn("w:sectPr"))
        self.blocks: list[Block] = []
        #: the element each block stands for (a table's rows all stand for the table's last paragraph)
        self.paragraphs: list = []

    def add(self, style=None, runs="", ppr="", block: Block | None = None):
        style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
        paragraph = parse_xml(f"<w:p {NS}><w:pPr>{style_xml}{ppr}</w:pPr>{runs}</w:p>")
        self.sect.addprevious(paragraph)
        self.blocks.append(block or Block(1))
        self.paragraphs.append(paragraph)
        return paragraph

    def add_text(self, style, text, runs=None, ppr="", first_em=BODY_FIRST_EM):
        lines = len(layout.wrap(text, BODY_EM, first_em, layout.BODY_TRACKING))
        self.add(style, _run(text) if runs is None else runs, ppr, Block(lines))

    def blank(self, n=1):
        for _ in range(n):
            self.add()

    def last_paragraph(self):
        return self.sect.getprevious()


def _mark_scale(text: str, size_pt: int) -> int | None:
    """Character scale (%) that keeps the mark on one line, as offices compress long organ names."""
    width = text_width(text) * size_pt * 20
    if width <= spec.TEXT_WIDTH:
        return None
    return max(30, int(spec.TEXT_WIDTH / width * 100))


def _body_paragraph(b: _Builder, line: str, settings):
    line = layout.breakable(line)
    style = next((s for s, pattern in HEADINGS if pattern.match(line)), "RFBody")
    if style in ("RFHeading1", "RFHeading2") and "。" in line[:-1]:
        # only the heading itself takes the heading face; the text after it stays in the body face
        head, tail = line.split("。", 1)
        b.add_text(style, line, _run(head + "。") + _run(tail, font=settings.body_font))
    else:
        b.add_text(style, line)


def body_parts(body: str) -> list[str | list[list[str]]]:
    """The body as paragraphs and tables: two or more lines in a row that hold tabs are a table
    (what pasting from Excel or importing a Word table gives)."""
    parts: list = []
    rows: list[list[str]] = []

    def flush():
        if len(rows) >= 2:
            width = max(len(r) for r in rows)
            parts.append([r + [""] * (width - len(r)) for r in rows])
        else:
            parts.extend(" ".join(c for c in r if c) for r in rows)
        rows.clear()

    for line in clean(body).split("\n"):
        if "\t" in line:
            rows.append([cell.strip() for cell in line.strip("\n").split("\t")])
            continue
        flush()
        if line.strip():
            parts.append(line.strip())
    flush()
    return parts


def _column_widths(rows: list[list[str]]) -> list[int]:
    """Columns as wide as their longest cell asks, with the cell's margins, within the text width (no column
    under 3 characters): without the margins a 3-character header (见面率) broke onto two lines."""
    margins = 2 * CELL_MARGIN / (TABLE_SIZE_PT * 20)
    wants = [max(3.0, min(14.0, max(text_width(r[i]) for r in rows))) + margins for i in range(len(rows[0]))]
    total = sum(wants)
    widths = [int(spec.TEXT_WIDTH * w / total) for w in wants]
    widths[-1] += spec.TEXT_WIDTH - sum(widths)
    return widths


def _table(b: _Builder, rows: list[list[str]], settings):
    """A body table: full text width, 14 pt, the first row as the header in the heading face."""
    widths = _column_widths(rows)
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    xml = [f'<w:tbl {NS}><w:tblPr><w:tblStyle w:val="TableNormal"/><w:tblW w:w="{spec.TEXT_WIDTH}" w:type="dxa"/>'
           f'<w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/>'
           f'</w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>']
    for n, row in enumerate(rows):
        header = n == 0
        xml.append("<w:tr>" + ('<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>' if header else "<w:trPr><w:cantSplit/></w:trPr>"))
        lines = 1
        for width, cell in zip(widths, row):
            em = (width - 2 * CELL_MARGIN) / (TABLE_SIZE_PT * 20)
            lines = max(lines, len(layout.wrap(cell, em)))
            font = settings.heading1_font if header else None
            jc = '<w:jc w:val="center"/>' if header else ""
            xml.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
                       f'<w:p><w:pPr><w:pStyle w:val="RFTable"/>{jc}'
                       f'</w:pPr>{_run(cell, font=font)}</w:p></w:tc>')
        xml.append("</w:tr>")
        b.blocks.append(Block(lines, TABLE_LINE, TABLE_RULE))
    xml.append("</w:tbl>")
    table = parse_xml("".join(xml))
    b.sect.addprevious(table)
    b.paragraphs.extend(table.findall(qn("w:tr")))
    b.blank()  # a table is followed by a paragraph; an empty line keeps the text off its bottom rule


def imprint_rows(c: ReplyContent) -> tuple[str | None, tuple[str, str] | None]:
    """The 版记's 抄送 line (names ending in 。) and the 印发 line (organ, date), where the reply has them."""
    cc = None
    if c.cc and c.cc.strip():
        cc = f"抄送：{c.cc.strip().removeprefix('抄送：').rstrip('。，,、')}。"
    printed = None
    if not c.letter:
        printed = (c.issuing_organ, f"{cn_date(c.issue_date) if c.issue_date else '　年　月　日'}印发")
    return cc, printed


#: the 抄送 names start after "抄送：", one character in from the left rule: wrapped lines align under them
CC_LEFT = spec.IMPRINT_INDENT * 4
CC_HANGING = spec.IMPRINT_INDENT * 3
CC_EM = (spec.TEXT_WIDTH - CC_LEFT - spec.IMPRINT_INDENT) / (spec.IMPRINT_SIZE_PT * 20)
IMPRINT_RULES_EXTRA = 60   # twips the three rules and the closing paragraph add to the box


def _printed_widths(printed: tuple[str, str]) -> tuple[int, int]:
    """The 印发 row's cells: the date takes what it needs on the right, the organ the rest (twips)."""
    date_cell = round((text_width(printed[1]) + 3) * spec.IMPRINT_SIZE_PT * 20)
    return spec.TEXT_WIDTH - date_cell, date_cell


def _organ_lines(printed: tuple[str, str]) -> int:
    """Lines the 印发机关 takes in its cell: a long name wraps, and the 版记 grows upward by as much."""
    organ_cell, _ = _printed_widths(printed)
    return len(layout.wrap(clean(printed[0]), (organ_cell - spec.IMPRINT_INDENT) / (spec.IMPRINT_SIZE_PT * 20)))


def imprint_height(c: ReplyContent) -> int:
    cc, printed = imprint_rows(c)
    lines = (len(layout.wrap(cc[3:], CC_EM)) if cc else 0) + (_organ_lines(printed) if printed else 0)
    return lines * spec.LINE_PITCH + IMPRINT_RULES_EXTRA if lines else 0


def _imprint_box(c: ReplyContent) -> str | None:
    """版记 at the foot of the last page: a text box anchored to the bottom of the text area holding a
    table as wide as the text area, its rules the table's borders (0.35 mm outside, 0.25 mm between)."""
    cc, printed = imprint_rows(c)
    if not cc and not printed:
        return None
    # the date takes what it needs on the right, the organ the rest: the date on the organ's (last) line
    half = _printed_widths(printed)[0] if printed else spec.TEXT_WIDTH // 2
    rule = '<w:{0} w:val="single" w:sz="{1}" w:space="0" w:color="000000"/>'
    rows = []
    if cc:
        rows.append(f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{spec.TEXT_WIDTH}" w:type="dxa"/><w:gridSpan w:val="2"/>'
                    f'</w:tcPr><w:p><w:pPr><w:pStyle w:val="RFImprint"/><w:ind w:left="{CC_LEFT}" '
                    f'w:right="{spec.IMPRINT_INDENT}" w:hanging="{CC_HANGING}"/></w:pPr>{_run(clean(cc))}</w:p>'
                    '</w:tc></w:tr>')
    if printed:
        organ, when = printed
        rows.append(
            f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{half}" w:type="dxa"/><w:vAlign w:val="bottom"/></w:tcPr><w:p><w:pPr>'
            f'<w:pStyle w:val="RFImprint"/><w:ind w:left="{spec.IMPRINT_INDENT}" w:right="0"/><w:jc w:val="left"/>'
            f'</w:pPr>{_run(clean(organ))}</w:p></w:tc><w:tc><w:tcPr><w:tcW w:w="{spec.TEXT_WIDTH - half}" '
            'w:type="dxa"/><w:vAlign w:val="bottom"/></w:tcPr><w:p><w:pPr>'
            f'<w:pStyle w:val="RFImprint"/><w:ind w:left="0" w:right="{spec.IMPRINT_INDENT}"/><w:jc w:val="right"/>'
            f'</w:pPr>{_run(when)}</w:p></w:tc></w:tr>')
    borders = (rule.format("top", spec.IMPRINT_OUTER_RULE) + '<w:left w:val="nil"/>'
               + rule.format("bottom", spec.IMPRINT_OUTER_RULE) + '<w:right w:val="nil"/>'
               + rule.format("insideH", spec.IMPRINT_INNER_RULE) + '<w:insideV w:val="nil"/>')
    table = (f'<w:tbl><w:tblPr><w:tblW w:w="{spec.TEXT_WIDTH}" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/>'
             f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>'
             '<w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
             '<w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>'
             f'<w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{spec.TEXT_WIDTH - half}"/></w:tblGrid>'
             + "".join(rows) + "</w:tbl>")
    # a story ends with a paragraph: a hairline one, so the last rule stays at the foot of the text area
    closing = '<w:p><w:pPr><w:spacing w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
    box = _text_box("版记", spec.TEXT_WIDTH, imprint_height(c), table + closing,
                    '<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>'
                    '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>', anchor="b")
    return box


def _text_box(name: str, width: int, height: int, content: str, position: str, anchor: str = "t") -> str:
    """A run holding a text box (sizes in twips) placed by `position` (wp:positionH/V), wrapped as Word
    writes text boxes: a DrawingML shape for consumers that know "wps"."""
    width, height = width * 635, height * 635
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" '
        f'behindDoc="0" locked="1" layoutInCell="1" allowOverlap="0"><wp:simplePos x="0" y="0"/>{position}'
        f'<wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
        f'<wp:docPr id="{_BOX_IDS[name]}" name="{name}"/><wp:cNvGraphicFramePr/><a:graphic>'
        f'<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        f'<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        f'<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>'
        f'<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="{anchor}">'
        f'<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        '</mc:AlternateContent></w:r>')


_BOX_IDS = {"版记": 9704, "信函下红线": 9705}


def _imprint(document, b: _Builder, c: ReplyContent, placement: layout.ImprintPlacement | None):
    """Anchor the 版记 on the body's last page, or on an unnumbered page after it so that it is even."""
    box = _imprint_box(c)
    if box is None:
        return None
    if placement is None:
        placement = layout.imprint_placement(layout.place(b.blocks), imprint_height(c))
    if placement.blank_pages:
        # the body's section ends with its last paragraph; the pages after it are a section without numbers
        ppr = b.last_paragraph().find(qn("w:pPr"))
        ppr.append(copy.deepcopy(b.sect))
        for el in b.sect.findall(qn("w:footerReference")) + b.sect.findall(qn("w:titlePg")):
            b.sect.remove(el)
        last = document.sections[-1]
        for footer in (last.footer, last.even_page_footer):
            footer.is_linked_to_previous = False
        b.add()
        if placement.blank_pages == 2:
            b.add(ppr="<w:pageBreakBefore/>")
        anchor = b.last_paragraph()
    else:
        # a paragraph of its own, a hairline high, after the body's last line: a box is set on the page where its
        # anchor paragraph starts, and the body's last paragraph may start a page earlier (the 版记 then vanished)
        anchor = b.add(ppr=ANCHOR_PPR, block=Block(0))
    anchor.append(parse_xml(f"<w:wrap {NS}>{box}</w:wrap>")[0])
    return placement


ANCHOR_PPR = ('<w:spacing w:before="0" w:after="0" w:line="12" w:lineRule="exact"/><w:ind w:firstLine="0"/>'
              '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>')


def _draft_header(document, text: str):
    """Drafts say so at the top of every page (grey, outside the text area)."""
    section = document.sections[0]
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.text = ""
        p._p.append(parse_xml(f'<w:r {NS}><w:rPr><w:color w:val="808080"/><w:sz w:val="21"/></w:rPr>'
                              f'<w:t>{escape(text)}</w:t></w:r>'))


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
          f'<w:spacing w:before="{before}" w:after="0"/>', Block(1, layout.mark_line_height(s.mark_size_pt), before))
    b.blank(2)
    # a bottom border adds its distance and width under the paragraph
    b.add("RFDocNumber", _run(clean(c.doc_number)),
          f'<w:pBdr><w:bottom w:val="single" w:sz="{spec.RED_LINE_SIZE}" w:space="{spec.RED_LINE_GAP_PT}" '
          f'w:color="{spec.RED}"/></w:pBdr>',
          Block(1, layout.bordered_line_height(spec.LINE_PITCH, spec.RED_LINE_GAP_PT, spec.RED_LINE_SIZE)))
    b.blank(2)



def _replace_story(story, paragraph_xml: str):
    """Make a header or footer hold exactly one paragraph."""
    story.is_linked_to_previous = False
    for p in list(story.paragraphs):
        p._p.getparent().remove(p._p)
    story._element.append(parse_xml(paragraph_xml))


LETTER_RULE_TWIPS = layout.LETTER_RULE_SIZE * 20 // 8   # the double line's thickness (sz is in eighths of a point)


def _letter_head(document, b: _Builder, c: ReplyContent, s: spec.DocumentSettings):
    """信函格式: the mark and red double lines on page 1 only (first-page header and footer)."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    # the double lines are 170 mm long, centred on the page
    left = (spec.PAGE_WIDTH - spec.LETTER_RULE_WIDTH) // 2 - spec.MARGIN_LEFT
    right = (spec.PAGE_WIDTH - spec.LETTER_RULE_WIDTH) // 2 - spec.MARGIN_RIGHT
    _replace_story(section.first_page_header, (
        f'<w:p {NS}><w:pPr><w:pStyle w:val="RFMark"/><w:pBdr><w:bottom w:val="thickThinSmallGap" '
        f'w:sz="{layout.LETTER_RULE_SIZE}" '
        f'w:space="{spec.LETTER_RED_LINE_GAP_PT}" w:color="{spec.RED}"/></w:pBdr><w:ind w:left="{left}" w:right="{right}"/>'
        f'</w:pPr>{_run(clean(c.mark), scale=_mark_scale(c.mark, s.mark_size_pt))}</w:p>'))
    # The lower double line stands 20 mm above the page's foot in a text box anchored to the page, so the
    # section keeps the footer distance that puts the page numbers of pages 2+ 7 mm under the text area.
    rule_top = spec.PAGE_HEIGHT - spec.LETTER_BOTTOM_RULE_FROM_PAGE_BOTTOM - spec.LETTER_RULE_DRAWN
    rule = (f'<w:p><w:pPr><w:pBdr><w:bottom w:val="thinThickSmallGap" w:sz="{layout.LETTER_RULE_SIZE}" w:space="0" '
            f'w:color="{spec.RED}"/></w:pBdr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            '<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>')
    box = _text_box("信函下红线", spec.LETTER_RULE_WIDTH, LETTER_RULE_TWIPS * 2, rule,
                    f'<wp:positionH relativeFrom="page"><wp:posOffset>{(spec.PAGE_WIDTH - spec.LETTER_RULE_WIDTH) // 2 * 635}'
                    f'</wp:posOffset></wp:positionH><wp:positionV relativeFrom="page"><wp:posOffset>{rule_top * 635}'
                    '</wp:posOffset></wp:positionV>')
    _replace_story(section.first_page_footer, f'<w:p {NS}>{box}</w:p>')
    section.header_distance = spec.LETTER_MARK_FROM_PAGE_TOP * 635
    marks = [f"（{c.answer_class}）" if c.answer_class else "", f"（{c.disclosure}）" if c.disclosure else ""]
    tab = f'<w:tabs><w:tab w:val="right" w:pos="{spec.TEXT_WIDTH}"/></w:tabs>'
    # the mark sits in the first page's header, which pushes the body of page 1 down
    b.blocks.append(Block(0, before=layout.letter_head_offset(s.mark_size_pt)))
    b.paragraphs.append(None)
    b.add("RFClassMark", _run(f"{marks[0]}\t{clean(c.doc_number)}"), tab)
    if marks[1]:
        b.add("RFClassMark", _run(marks[1]))
    b.blank(2)


#: the widest 发文机关署名, in characters: it stands on one line, centred over the date
MAX_ISSUER_CHARS = 26
#: blank lines between the body and the 署名: the seal's top within a line of the body, the 署名 and the date at
#: the lower middle of a 42 mm seal (GB/T 9704 7.3.5.1)
SEAL_LINES = 2


def _signature(b: _Builder, c: ReplyContent):
    """发文机关署名 centred over the 成文日期, which stands four characters in from the right (GB/T 9704 7.3.5.1);
    an organ name wider than the space moves the date left instead, so both stay centred on one another."""
    issuer = clean(c.issuer or c.issuing_organ)
    written = c.written_date or c.issue_date
    when = cn_date(written) if written else "　年　月　日"
    pitch = spec.BODY_SIZE_PT * 20 + spec.BODY_CHAR_SPACING
    organ_w, date_w = text_width(issuer, layout.BODY_TRACKING) * pitch, text_width(when, layout.BODY_TRACKING) * pitch
    organ_right = spec.DATE_RIGHT_INDENT + (date_w - organ_w) / 2
    date_right = spec.DATE_RIGHT_INDENT
    if organ_right < 0:
        date_right, organ_right = spec.DATE_RIGHT_INDENT - organ_right, 0
    b.blank(SEAL_LINES)
    b.add("RFSignature", _run(issuer), f'<w:ind w:left="0" w:right="{round(organ_right)}"/>')
    b.add("RFDate", _run(when), f'<w:ind w:left="0" w:right="{round(date_right)}"/>')


def _notes(b: _Builder, c: ReplyContent):
    """签发人 / 经办人 / 联系电话 under the body (or under the date), a blank line above them."""
    notes = [(label, value) for label, value in (("签发人", c.signer_name), ("经办人", c.handler_name),
                                                 ("联系电话", c.phone)) if value]
    if notes:
        b.blank()
        for label, value in notes:
            b.add_text("RFNote", clean(f"{label}：{value}"))


TAIL_MARGIN = spec.LINE_PITCH // 2
#: a last paragraph of up to this many lines is kept whole with the 署名 (should a client set the body longer than
#: estimated, it goes along with them whole)
KEPT_WHOLE = 5


def _keep_tail(b: _Builder, body_end: int):
    """The 署名, the date and the notes never stand alone on a page: they keep together, and a line of the body goes
    with them. Where they have room under the body, a short last paragraph is kept with them whole (keep-with-next
    down the chain and keep-lines-together on it: LibreOffice moves a kept paragraph whole, Word only its last line
    unless its lines are kept together, so both are told the same). Where they have none, the blank line between
    the date and the notes, then one of the seal's, give way when that is room enough (GB/T 9704 7.3.5.5: 调整行距);
    else the last paragraph is parted where its last lines begin (a table, where its last rows begin) and only those
    go along: moved whole, a short body would leave its first page with the 主送 alone. The layout sees what is
    kept as one block."""
    if len(b.blocks) == body_end:
        return
    after_table = body_end >= 2 and b.paragraphs[body_end - 2] is not None and b.paragraphs[body_end - 2].tag == qn("w:tr")
    # where the body's own text ends: a table's last row, not the blank line after it
    body_text = body_end - 1 if after_table else body_end
    end = layout.place(b.blocks[:body_text])
    # room to spare: where it is that tight, a client setting a line (a table's rows: a line) a little taller would
    # push the 署名 over
    margin = TAIL_MARGIN * (2 if after_table else 1)

    def overflow():
        return end.used + sum(k.height for k in b.blocks[body_text:]) + margin - spec.TEXT_HEIGHT

    over = overflow()
    if 0 < over <= 2 * spec.LINE_PITCH:
        _close_up_tail(b, body_end, -(-over // spec.LINE_PITCH))
        over = overflow()
    last = b.blocks[body_end - 1]
    if over > 0 and after_table:
        body_end = _split_table(b, body_end)
    elif over > 0 and last.lines > 1:
        if _split_last(b, body_end, min(CARRIED_LINES, last.lines - 1)):
            body_end += 1   # the last lines are a paragraph of their own now: it goes along
        elif last.lines > KEPT_WHOLE:
            body_end += 1   # cannot be parted: the 署名 and what follows keep together among themselves
    elif last.lines > KEPT_WHOLE:
        body_end += 1
    kept = [p for p in b.paragraphs[body_end - 1:] if p is not None]
    paragraphs = [q for p in kept for q in (p.iter(qn("w:p")) if p.tag in (qn("w:tbl"), qn("w:tr")) else [p])]
    if len(paragraphs) < 2:
        return
    for n, p in enumerate(paragraphs[:-1]):
        ppr = p.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle"))
        keep = parse_xml(f'<w:pPr {NS}><w:keepNext/>{"<w:keepLines/>" if n == 0 else ""}</w:pPr>')
        at = style
        for el in list(keep):
            if at is not None:
                at.addnext(el)
            else:
                ppr.insert(0, el)
            at = el
    tail = b.blocks[body_end - 1:]
    total = sum(k.height for k in tail)
    if total <= spec.TEXT_HEIGHT:
        b.blocks[body_end - 1:] = [Block(1, total, tail[0].before, keep=True)]


def _close_up_tail(b: _Builder, body_end: int, lines: int):
    """Take out up to `lines` blank lines of what follows the body: the one between the date and the notes first,
    then one of the seal's two (never both: the seal's top stays within a line of the body)."""
    blanks = [i for i in range(body_end, len(b.blocks)) if b.paragraphs[i] is not None
              and b.paragraphs[i].tag == qn("w:p") and not "".join(b.paragraphs[i].itertext()).strip()]
    # the last blank is the one above the notes where there are notes, else the seal's second
    for i in sorted(blanks, reverse=True)[:min(lines, max(0, len(blanks) - 1))]:
        b.paragraphs[i].getparent().remove(b.paragraphs[i])
        del b.paragraphs[i], b.blocks[i]


def _split_table(b: _Builder, body_end: int) -> int:
    """Part a table that ends the body where its last rows begin: they become a table of their own (its header
    repeated, as a table going on to the next page shows it) that goes along with the 署名. Where it is the index
    of the first thing kept."""
    rows_end = body_end - 1   # the blank line after the table
    first_row = rows_end
    while first_row > 0 and b.paragraphs[first_row - 1] is not None and b.paragraphs[first_row - 1].tag == qn("w:tr"):
        first_row -= 1
    count = rows_end - first_row
    carried = min(CARRIED_LINES, count - 2)   # the header and a row stay behind
    if carried < 1:
        return first_row + 1   # a header and a row: the table goes along whole
    rows = b.paragraphs[first_row:rows_end]
    table = rows[0].getparent()
    rest = copy.deepcopy(table)
    for tr in rest.findall(qn("w:tr"))[1:]:
        rest.remove(tr)
    for tr in rows[-carried:]:
        rest.append(tr)   # moved over
    # neither client keeps a table with the paragraph after it, so the rest starts the next page itself; the
    # paragraph between also keeps Word from joining the two tables into one
    between = parse_xml(f'<w:p {NS}><w:pPr><w:pageBreakBefore/>{ANCHOR_PPR}</w:pPr></w:p>')
    table.addnext(between)
    between.addnext(rest)
    height = b.blocks[first_row].height + sum(k.height for k in b.blocks[rows_end - carried:rows_end])
    b.paragraphs[rows_end - carried:rows_end] = [between, rest]
    b.blocks[rows_end - carried:rows_end] = [Block(0, new_page=True), Block(1, height)]
    return rows_end - carried + 2


#: lines of the last paragraph that go along with the 署名 to its page (two where it has more: no lone line on top)
CARRIED_LINES = 2
#: characters' width the first part's last line is left short by, at most
SPLIT_MARGIN = 0.6


def _split_last(b: _Builder, body_end: int, carried: int) -> bool:
    """Part the body's last paragraph, too long to move whole with the 署名, where its last `carried` lines begin:
    they become a paragraph of their own without a first-line indent, which reads as the same paragraph and can go
    along (LibreOffice moves a kept paragraph whole; Word would move one line). False when it cannot be parted (a
    table, a paragraph of few lines)."""
    paragraph, block = b.paragraphs[body_end - 1], b.blocks[body_end - 1]
    if paragraph is None or paragraph.tag != qn("w:p") or block.lines <= carried:
        return False
    runs = [r for r in paragraph.findall(qn("w:r")) if r.find(qn("w:t")) is not None]
    text = "".join(r.find(qn("w:t")).text or "" for r in runs)
    lines = layout.wrap(text, BODY_EM, BODY_FIRST_EM, layout.BODY_TRACKING)
    # the first part's last line must hold what it is given in every client: a shade short is made up by its
    # justification, a character too many (a Latin letter set wider than estimated) would start a line of its own
    head = layout.units(lines[-carried - 1])
    room = (BODY_FIRST_EM if len(lines) == carried + 1 else BODY_EM) - SPLIT_MARGIN
    while len(head) > 1 and any(ch.isascii() for ch in "".join(head)) \
            and layout.text_width("".join(head), layout.BODY_TRACKING) > room:
        head.pop()
    at = len("".join(lines[:-carried - 1])) + len("".join(head))
    rest = parse_xml(f'<w:p {NS}><w:pPr><w:pStyle w:val="RFBody"/><w:ind w:firstLine="0"/></w:pPr></w:p>')
    offset = 0
    for run in runs:
        t = run.find(qn("w:t"))
        start, offset = offset, offset + len(t.text or "")
        if offset <= at:
            continue
        if start >= at:   # wholly after the part: moves over, with its own face
            rest.append(run)
            continue
        moved = copy.deepcopy(run)   # the run the part falls in: its end moves over
        moved.find(qn("w:t")).text, t.text = t.text[at - start:], t.text[:at - start]
        rest.append(moved)
    # the first part ends on a full line: set like the others, not left-aligned as a paragraph's last line
    paragraph.find(qn("w:pPr")).append(parse_xml(f'<w:jc {NS} w:val="distribute"/>'))
    paragraph.addnext(rest)
    b.paragraphs[body_end - 1:body_end] = [paragraph, rest]
    b.blocks[body_end - 1:body_end] = [Block(len(lines) - carried), Block(carried)]
    return True


def render(content: ReplyContent, template: bytes | None = None, settings: spec.DocumentSettings | None = None,
           placement: layout.ImprintPlacement | None = None) -> bytes:
    """The reply as .docx bytes. The 版记's page comes from the layout estimate unless `placement` says
    (as measured in LibreOffice's layout)."""
    return render_with_layout(content, template, settings, placement)[0]


def render_with_layout(content: ReplyContent, template: bytes | None = None,
                       settings: spec.DocumentSettings | None = None,
                       placement: layout.ImprintPlacement | None = None):
    """(.docx bytes, where the 版记 went) — the placement is None when the reply has no 版记."""
    s = settings or spec.DocumentSettings()
    document = Document(io.BytesIO(template) if template else str(spec.BASE_TEMPLATE))
    apply_styles(document, s)
    _clear_body(document)
    b = _Builder(document, s)
    c = content
    if c.draft:
        _draft_header(document, c.draft_mark)
    if c.letter:
        _letter_head(document, b, c, s)
    else:
        _file_head(b, c, s)
    title_lines = balance_title(clean(c.title), c.names)
    b.add("RFTitle", "<w:r><w:br/></w:r>".join(_run(line) for line in title_lines), "",
          Block(len(title_lines), spec.pt(spec.TITLE_SIZE_PT * 1.5)))
    b.blank()
    b.add_text("RFSalutation", clean(c.salutation), first_em=BODY_EM)
    for part in body_parts(c.body):
        if isinstance(part, list):
            _table(b, part, s)
        else:
            _body_paragraph(b, part, s)
    body_end = len(b.blocks)
    if c.signs:
        _signature(b, c)
    _notes(b, c)
    _keep_tail(b, body_end)
    placed = _imprint(document, b, c, placement)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), placed
