"""Checks a .docx against the measurable rules of GB/T 9704-2012 that replies must meet.

Each rule reports pass/fail with the value it measured. The same checker runs on every generated
reply in the tests, from `flask check-docx`, and on the base templates departments upload.
"""
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date

from lxml import etree

from . import layout, punctuation, spec
from .glyphs import name, unshown
from .layout import text_width
from .reply import CC_HANGING, CC_LEFT, CELL_MARGIN, HEADINGS, TABLE_LINE, TABLE_RULE, TABLE_SIZE_PT, ReplyContent, render
from .spec import DOC_NUMBER
from .titles import breaks_inside_words

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSMAP = {
    "w": W_NS,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
DATE = re.compile(r"^\d{4}年[1-9]\d?月[1-9]\d?日$")
#: rules that estimate the layout from the XML; where the pages are measured (inspection.py) these give way
ESTIMATED = {"版记页为双页：正文末页为单页时另起无页码的版记页"}
TOLERANCE = 12                 # twips (~0.2 mm)
BODY_STYLES = ("RFBody", "RFHeading1", "RFHeading2", "RFHeading3", "RFHeading4")


def w(name):
    return f"{{{W_NS}}}{name}"


@dataclass
class RuleResult:
    rule: str
    passed: bool
    measured: str


class DocxModel:
    """The parts of a .docx the rules read, with style inheritance resolved."""

    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.document = self._xml("word/document.xml")
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
            raise ValueError(f"不是有效的 .docx 文件：{exc}") from exc
        self.styles = self._xml("word/styles.xml", optional=True)
        self.settings = self._xml("word/settings.xml", optional=True)
        self.body = self.document.find(w("body"))
        self.last_sect = self.body.find(w("sectPr"))
        # the body's section: the first one (a 版记 page may follow in a section of its own)
        inner = self.body.find("w:p/w:pPr/w:sectPr", NSMAP)
        self.sect = inner if inner is not None else self.last_sect
        self._style_by_id = {s.get(w("styleId")): s for s in
                             (self.styles.findall(w("style")) if self.styles is not None else [])}
        self.paragraphs = [p for p in self.body.iter(w("p"))]
        self.top_paragraphs = [p for p in self.body if p.tag == w("p")]

    def _xml(self, name, optional=False):
        try:
            return etree.fromstring(self.zip.read(name))
        except KeyError:
            if optional:
                return None
            raise

    def part_for(self, rel_id):
        rels = etree.fromstring(self.zip.read("word/_rels/document.xml.rels"))
        for rel in rels:
            if rel.get("Id") == rel_id:
                return self._xml("word/" + rel.get("Target").lstrip("/").removeprefix("word/"))
        return None

    # -- properties with inheritance -----------------------------------------------------------
    def style_id(self, p):
        el = p.find("w:pPr/w:pStyle", NSMAP)
        return el.get(w("val")) if el is not None else None

    def _style_chain(self, style_id):
        chain, seen = [], set()
        while style_id and style_id not in seen and style_id in self._style_by_id:
            seen.add(style_id)
            style = self._style_by_id[style_id]
            chain.append(style)
            based = style.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None
        return chain

    def _defaults(self, kind):
        if self.styles is None:
            return None
        return self.styles.find(f"w:docDefaults/w:{kind}PrDefault/w:{kind}Pr", NSMAP)

    def ppr_value(self, p, path, attr):
        """The effective value of a paragraph property: direct, then style chain, then defaults."""
        candidates = [p.find("w:pPr", NSMAP)]
        candidates += [s.find("w:pPr", NSMAP) for s in self._style_chain(self.style_id(p))]
        candidates.append(self._defaults("p"))
        for ppr in candidates:
            if ppr is None:
                continue
            el = ppr.find(path, NSMAP)
            if el is not None and el.get(w(attr)) is not None:
                return el.get(w(attr))
        return None

    def rpr_value(self, p, run, path, attr):
        candidates = [run.find("w:rPr", NSMAP) if run is not None else None]
        candidates += [s.find("w:rPr", NSMAP) for s in self._style_chain(self.style_id(p))]
        candidates.append(self._defaults("r"))
        for rpr in candidates:
            if rpr is None:
                continue
            el = rpr.find(path, NSMAP)
            if el is not None:
                if attr is None:
                    return el.get(w("val"), "true")
                if el.get(w(attr)) is not None:
                    return el.get(w(attr))
                if attr == "eastAsia" and el.get(w("eastAsiaTheme")) is not None:
                    return "theme:" + el.get(w("eastAsiaTheme"))
        return None

    def text(self, p):
        parts = []
        for node in p.iter(w("t"), w("tab"), w("br")):
            parts.append(node.text or "" if node.tag == w("t") else ("\t" if node.tag == w("tab") else "\n"))
        return "".join(parts)

    def own_text(self, p):
        """The paragraph's own text, without that of a text box anchored in it (the 版记)."""
        return "".join(t.text or "" for t in p.iter(w("t"))
                       if not any(a.tag == w("txbxContent") for a in t.iterancestors()))

    def runs(self, p):
        return [r for r in p.findall("w:r", NSMAP) if r.find("w:t", NSMAP) is not None]

    def size_pt(self, p, run=None):
        value = self.rpr_value(p, run, "w:sz", "val")
        return int(value) / 2 if value else None

    def east_asia_font(self, p, run=None):
        return self.rpr_value(p, run, "w:rFonts", "eastAsia")

    def line_height(self, p):
        """Height of one line of the paragraph in twips (exact spacing), or None."""
        if self.ppr_value(p, "w:spacing", "lineRule") == "exact":
            return int(self.ppr_value(p, "w:spacing", "line"))
        return None

    def with_style(self, *style_ids, paragraphs=None):
        return [p for p in (paragraphs or self.top_paragraphs) if self.style_id(p) in style_ids]


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _is_red(color):
    if not color or color in ("auto",) or not re.fullmatch(r"[0-9A-Fa-f]{6}", color):
        return False
    r, g, b = (int(color[i:i + 2], 16) for i in (0, 2, 4))
    return r >= 0xC0 and g <= 0x50 and b <= 0x50


def _twips_to_mm(value):
    return value / spec.TWIPS_PER_MM


#: the number a draft shows: the prefix and year, the sequence left blank
DRAFT_NUMBER = re.compile(r"^\S+?〔\d{4}〕　号$")


class Checker:
    def __init__(self, data: bytes, settings: spec.DocumentSettings | None = None):
        self.m = DocxModel(data)
        self.s = settings or spec.DocumentSettings()
        self.letter = self._first_page_mark() is not None
        self.draft = self._is_draft()
        self.results: list[RuleResult] = []

    def _is_draft(self) -> bool:
        """A draft says so in its page header (reply.DRAFT_MARK); its number is given when it is issued."""
        sect = self.m.sect
        for ref in (sect.findall(w("headerReference")) if sect is not None else []):
            part = self.m.part_for(ref.get(f"{{{NSMAP['r']}}}id"))
            if part is not None and "草稿" in "".join(t.text or "" for t in part.iter(w("t"))):
                return True
        return False

    def _first_page_mark(self):
        sect = self.m.sect
        if sect is None or sect.find(w("titlePg")) is None:
            return None
        for ref in sect.findall(w("headerReference")):
            if ref.get(w("type")) == "first":
                part = self.m.part_for(ref.get(f"{{{NSMAP['r']}}}id"))
                if part is not None:
                    marks = [p for p in part.iter(w("p")) if self.m.style_id(p) == "RFMark"]
                    if marks:
                        self._header_part = part
                        return marks[0]
        return None

    def add(self, rule, passed, measured):
        self.results.append(RuleResult(rule, bool(passed), measured))

    def run(self) -> list[RuleResult]:
        for check in (self.page, self.theme_language, self.grid, self.fonts, self.spacing, self.mark,
                      self.doc_number, self.red_line, self.title, self.salutation, self.body, self.date,
                      self.signature, self.imprint, self.imprint_page, self.page_numbers, self.only_red,
                      self.punctuation, self.glyphs):
            try:
                check()
            except Exception as exc:  # a broken document fails the rule, it does not crash the check
                self.add(check.__name__, False, f"无法检查：{type(exc).__name__}: {exc}")
        return self.results

    # -- the rules ---------------------------------------------------------------------------
    def page(self):
        sect = self.m.sect
        size = sect.find(w("pgSz")) if sect is not None else None
        width, height = _int(size.get(w("w"))) if size is not None else 0, _int(size.get(w("h"))) if size is not None else 0
        self.add("纸张 A4 (11906×16838)", (width, height) == (spec.PAGE_WIDTH, spec.PAGE_HEIGHT),
                 f"{width}×{height} twips")
        mar = sect.find(w("pgMar")) if sect is not None else None
        got = {k: _int(mar.get(w(k))) if mar is not None else 0 for k in ("top", "bottom", "left", "right")}
        want = {"top": spec.MARGIN_TOP, "bottom": spec.MARGIN_BOTTOM, "left": spec.MARGIN_LEFT,
                "right": spec.MARGIN_RIGHT}
        ok = all(abs(got[k] - want[k]) <= TOLERANCE for k in want)
        self.add("页边距 上37 下35 左28 右26 mm (版心156×225 mm)", ok,
                 "上{:.1f} 下{:.1f} 左{:.1f} 右{:.1f} mm".format(*(_twips_to_mm(got[k]) for k in want)))

    def theme_language(self):
        el = self.m.settings.find("w:themeFontLang", NSMAP) if self.m.settings is not None else None
        value = el.get(w("eastAsia")) if el is not None else None
        self.add("themeFontLang 东亚语言 zh-CN", value == "zh-CN", f"eastAsia={value}")

    def grid(self):
        grid = self.m.sect.find(w("docGrid")) if self.m.sect is not None else None
        kind = grid.get(w("type")) if grid is not None else None
        pitch = _int(grid.get(w("linePitch"))) if grid is not None else 0
        # a character grid makes LibreOffice set 27 characters and drop line-end commas from the PDF
        self.add("文档网格 仅行网格 (lines)，行距 ≤ 28.95 pt", kind == "lines" and 0 < pitch <= spec.MAX_LINE_PITCH,
                 f"type={kind} linePitch={pitch}")

    def _font_rule(self, label, paragraphs, expected, first_run_only=False):
        found = set()
        for p in paragraphs:
            runs = self.m.runs(p) or [None]
            for run in runs[:1] if first_run_only else runs:
                found.add(self.m.east_asia_font(p, run))
        ok = bool(paragraphs) and found == {expected}
        self.add(f"{label}字体 {expected} (w:eastAsia)", ok, "、".join(sorted(str(f) for f in found)) or "未找到")

    def fonts(self):
        m = self.m
        marks = m.with_style("RFMark") or ([self._first_page_mark()] if self.letter else [])
        self._font_rule("发文机关标志", marks, self.s.title_font)
        self._font_rule("标题", m.with_style("RFTitle"), self.s.title_font)
        self._font_rule("正文", m.with_style("RFBody", "RFHeading3", "RFHeading4", "RFSalutation", "RFDocNumber"),
                        self.s.body_font)
        h1, h2 = m.with_style("RFHeading1"), m.with_style("RFHeading2")
        if h1:
            self._font_rule("一级标题", h1, self.s.heading1_font, first_run_only=True)
        if h2:
            self._font_rule("二级标题", h2, self.s.heading2_font, first_run_only=True)
        numbers = list(self._page_number_paragraphs().values())
        self._font_rule("页码", [p for p in numbers if p is not None], self.s.page_number_font)

    def spacing(self):
        m = self.m
        body = m.with_style(*BODY_STYLES)
        heights = {m.line_height(p) for p in body}
        gaps = {(m.ppr_value(p, "w:spacing", "before") or "0", m.ppr_value(p, "w:spacing", "after") or "0")
                for p in body}
        ok = bool(body) and None not in heights and max(heights) <= spec.MAX_LINE_PITCH and gaps == {("0", "0")}
        self.add("正文固定行距 ≤ 28.95 pt，段前段后 0", ok,
                 f"行距 {sorted(h for h in heights if h)} twips，段前/段后 {sorted(gaps)}")
        sizes = {m.size_pt(p, r) for p in body for r in (m.runs(p) or [None])}
        spacing = {_int(m.rpr_value(p, r, "w:spacing", "val")) for p in body for r in (m.runs(p) or [None])}
        pitch = spec.BODY_SIZE_PT + max(spacing, default=0) / 20
        per_line = int(spec.TEXT_WIDTH / 20 / pitch + 1e-6) if pitch > 0 else 0
        lines = spec.TEXT_HEIGHT // max(heights) if body and None not in heights else 0
        self.add("每面22行、每行28字", sizes == {16.0} and per_line == spec.CHARS_PER_LINE and lines == spec.LINES_PER_PAGE,
                 f"{lines} 行 × {per_line} 字（字号 {sorted(sizes)} pt，字距 {pitch:.2f} pt）")

    def _height_before(self, target):
        """Twips from the top of the text area to the top of `target` (single-line paragraphs above it)."""
        total = 0
        for p in self.m.top_paragraphs:
            before = _int(self.m.ppr_value(p, "w:spacing", "before"))
            if p is target:
                return total + before
            height = self.m.line_height(p) or spec.LINE_PITCH
            lines = 1 + self.m.text(p).count("\n")
            total += before + height * lines + _int(self.m.ppr_value(p, "w:spacing", "after"))
        return None

    def _blank_lines_between(self, upper, lower):
        ps = self.m.top_paragraphs
        if upper not in ps or lower not in ps:
            return None
        between = ps[ps.index(upper) + 1:ps.index(lower)]
        if any(self.m.text(p).strip() for p in between):
            return -1
        return len(between)

    def mark(self):
        m = self.m
        marks = m.with_style("RFMark")
        mark = marks[0] if marks else self._first_page_mark()
        if mark is None:
            self.add("发文机关标志", False, "未找到（样式 公文-发文机关标志）")
            return
        run = (m.runs(mark) or [None])[0]
        color = m.rpr_value(mark, run, "w:color", "val")
        size = m.size_pt(mark, run)
        jc = m.ppr_value(mark, "w:jc", "val")
        scale = _int(m.rpr_value(mark, run, "w:w", "val"), 100)
        width = text_width(m.text(mark)) * (size or 0) * 20 * scale / 100
        low, high = spec.MARK_SIZE_RANGE_PT
        ok = (color or "").upper() == spec.RED and jc == "center" and size is not None and low <= size <= high \
            and width <= spec.TEXT_WIDTH
        self.add("发文机关标志 红色 居中 36–42 pt 一行", ok,
                 f"颜色 {color}，{jc}，{size} pt，宽 {_twips_to_mm(width):.0f} mm（缩放 {scale}%）")
        if self.letter:
            distance = _int(m.sect.find(w("pgMar")).get(w("header")))
            self.add("信函格式：发文机关标志上边缘距上页边 30 mm",
                     abs(distance - spec.LETTER_MARK_FROM_PAGE_TOP) <= TOLERANCE, f"{_twips_to_mm(distance):.1f} mm")
        else:
            top = self._height_before(mark)
            self.add("发文机关标志上边缘距版心上边缘 35 mm",
                     top is not None and abs(top - spec.MARK_TOP_FROM_TEXT_TOP) <= spec.mm(0.5),
                     f"{_twips_to_mm(top or 0):.1f} mm")

    def _doc_number_paragraph(self):
        m = self.m
        if self.letter:
            for p in m.with_style("RFClassMark"):
                if "〔" in m.text(p):
                    return p
            return None
        found = m.with_style("RFDocNumber")
        return found[0] if found else None

    def doc_number(self):
        m = self.m
        p = self._doc_number_paragraph()
        if p is None:
            self.add("发文字号", False, "未找到")
            return
        text = m.text(p).split("\t")[-1].strip()
        size = m.size_pt(p, (m.runs(p) or [None])[-1])
        font = m.east_asia_font(p, (m.runs(p) or [None])[-1])
        if self.letter:
            tabs = p.findall("w:pPr/w:tabs/w:tab", NSMAP)
            ok = DOC_NUMBER.match(text) and any(t.get(w("val")) == "right" for t in tabs)
            self.add("发文字号（信函格式）居版心右边缘，〔YYYY〕N号", ok, text)
            return
        blank = self._blank_lines_between(m.with_style("RFMark")[0], p) if m.with_style("RFMark") else None
        jc = m.ppr_value(p, "w:jc", "val")
        # a draft leaves the number's sequence blank (常人才办〔2025〕　号) for the issuing office to fill in
        numbered = DOC_NUMBER.match(text) or (self.draft and DRAFT_NUMBER.match(text))
        ok = bool(numbered) and "第" not in text and blank == 2 and size == spec.BODY_SIZE_PT \
            and font == self.s.body_font and jc == "center"
        self.add("发文字号 标志下空二行 16 pt 仿宋 居中 〔YYYY〕N号", ok,
                 f"「{text}」，空 {blank} 行，{size} pt，{font}，{jc}")

    def red_line(self):
        m = self.m
        if self.letter:
            header = getattr(self, "_header_part", None)
            mark = self._first_page_mark()
            border = mark.find("w:pPr/w:pBdr/w:bottom", NSMAP) if mark is not None else None
            ok = border is not None and (border.get(w("color")) or "").upper() == spec.RED \
                and border.get(w("val")) == "thickThinSmallGap" and header is not None
            kind, color = (border.get(w("val")), border.get(w("color"))) if border is not None else ("无", "")
            self.add("信函格式：标志下红色双线（上粗下细）", ok, f"{kind} {color}")
            self._letter_lower_line()
            return
        p = self._doc_number_paragraph()
        border = p.find("w:pPr/w:pBdr/w:bottom", NSMAP) if p is not None else None
        if border is None:
            self.add("红色分隔线", False, "未找到（发文字号段落下边框）")
            return
        color = (border.get(w("color")) or "").upper()
        gap = _int(border.get(w("space")))
        indents = [_int(m.ppr_value(p, "w:ind", k)) for k in ("left", "right")]
        # the border's distance is what LibreOffice's layout needs for 4 mm under the characters (pdfcheck measures it)
        ok = color == spec.RED and indents == [0, 0] and gap == spec.RED_LINE_GAP_PT
        self.add("红色分隔线 通栏156 mm 发文字号下4 mm", ok,
                 f"颜色 {color}，宽 {_twips_to_mm(spec.TEXT_WIDTH - sum(indents)):.0f} mm，边框距 {gap} pt"
                 f"（应为 {spec.RED_LINE_GAP_PT} pt）")

    def title(self):
        m = self.m
        titles = m.with_style("RFTitle")
        if not titles:
            self.add("标题", False, "未找到")
            return
        t = titles[0]
        run = (m.runs(t) or [None])[0]
        size, bold = m.size_pt(t, run), m.rpr_value(t, run, "w:b", None)
        jc = m.ppr_value(t, "w:jc", "val")
        # two blank lines under the red line; in the letter format, under the last element above the title
        upper = m.with_style("RFClassMark")[-1] if self.letter and m.with_style("RFClassMark") \
            else self._doc_number_paragraph()
        blank = self._blank_lines_between(upper, t) if upper is not None else None
        lines = m.text(t).split("\n")
        widths = [text_width(line) for line in lines]
        capacity = spec.TEXT_WIDTH / 20 / (size or 1)
        balanced = all(x <= capacity for x in widths) and (len(widths) == 1 or max(widths) - min(widths) <= 6)
        ok = size == spec.TITLE_SIZE_PT and bold in (None, "0", "false") and jc == "center" and blank == 2 and balanced
        self.add("标题 红线下空二行 22 pt 居中 不加粗 多行匀称", ok,
                 f"{size} pt，加粗={bold}，{jc}，空 {blank} 行，各行 {[round(x, 1) for x in widths]} 字宽")
        cut = breaks_inside_words(lines)
        self.add("标题回行词意完整（不拆词、数字、届次）", not cut, "、".join(cut) if cut else f"{len(lines)} 行")

    def salutation(self):
        m = self.m
        found = m.with_style("RFSalutation")
        if not found:
            self.add("主送机关", False, "未找到")
            return
        p = found[0]
        titles = m.with_style("RFTitle")
        blank = self._blank_lines_between(titles[0], p) if titles else None
        indents = [_int(m.ppr_value(p, "w:ind", k)) for k in ("left", "firstLine", "hanging")]
        text = m.text(p).strip()
        ok = blank == 1 and indents == [0, 0, 0] and text.endswith("：")
        self.add("主送机关 标题下空一行 顶格 全角冒号", ok, f"空 {blank} 行，缩进 {indents}，「{text[-6:]}」")

    def body(self):
        m = self.m
        body = m.with_style(*BODY_STYLES)
        if not body:
            self.add("正文", False, "未找到")
            return
        # a long last paragraph parted where its last lines go along with the 署名 (reply._split_last): the first
        # part justified to its last full line ("distribute"), the rest without a first-line indent
        tops = m.top_paragraphs
        pairs = [(p, q) for p, q in zip(body, body[1:]) if m.ppr_value(p, "w:jc", "val") == "distribute"
                 and tops.index(q) == tops.index(p) + 1]
        firsts, parted = {id(p) for p, _ in pairs}, {id(q) for _, q in pairs}
        jcs = {m.ppr_value(p, "w:jc", "val") for p in body if id(p) not in firsts}
        indents = {_int(m.ppr_value(p, "w:ind", "firstLine")) for p in body if id(p) not in parted}
        self.add("正文 两端对齐 首行缩进二字 (640)", jcs == {"both"} and indents == {spec.FIRST_LINE_INDENT},
                 f"对齐 {sorted(map(str, jcs))}，首行缩进 {sorted(indents)}")
        wrong = [m.text(p)[:12] for p in body if id(p) not in parted for style, pattern in HEADINGS
                 if pattern.match(m.text(p).strip()) and m.style_id(p) != style]
        self.add("层次序号 一、（一）1.（1）对应标题样式", not wrong, "全部对应" if not wrong else "、".join(wrong))

    def date(self):
        m = self.m
        dates = m.with_style("RFDate")
        if not dates or not m.with_style("RFSignature"):
            self.add("发文机关署名和成文日期（GB/T 9704 7.3.5）", False,
                     "缺发文机关署名" if dates else "缺成文日期" if m.with_style("RFSignature") else "两者都没有")
            return
        p = dates[0]
        # the paragraph's own text: a 版记 anchored in it is not part of the date
        text = m.own_text(p).strip()
        right = _int(m.ppr_value(p, "w:ind", "right"))
        # four characters in, or more where a longer organ name is centred over it
        ok = bool(DATE.match(text)) and right >= spec.DATE_RIGHT_INDENT
        self.add("成文日期 阿拉伯数字不编虚位 右空四字（署名较长时随署名居中）", ok, f"「{text}」，右缩进 {right}")

    def signature(self):
        m = self.m
        organs, dates = m.with_style("RFSignature"), m.with_style("RFDate")
        if not organs or not dates:
            return
        pitch = spec.BODY_SIZE_PT * 20 + spec.BODY_CHAR_SPACING

        def centre(p):  # distance of the line's centre from the right edge of the text area, in twips
            return _int(m.ppr_value(p, "w:ind", "right")) + text_width(m.own_text(p).strip(), layout.BODY_TRACKING) * pitch / 2

        off = abs(centre(organs[0]) - centre(dates[0]))
        date_right = _int(m.ppr_value(dates[0], "w:ind", "right"))
        self.add("发文机关署名以成文日期为准居中，日期右空四字", off <= pitch / 2 and date_right >= spec.DATE_RIGHT_INDENT,
                 f"中线相差 {_twips_to_mm(off):.1f} mm，日期右缩进 {date_right}")

    def _imprint_boxes(self):
        m = self.m
        return [a for a in m.body.iter(f"{{{NSMAP['wp']}}}anchor")
                if any(m.style_id(p) == "RFImprint" for p in a.iter(w("p")))]

    def imprint_page(self):
        """The 版记 stays in the body's last paragraph (its page then even by the layout estimate) or
        stands in a last section of its own whose pages carry no page number."""
        boxes = self._imprint_boxes()
        if not boxes:
            return
        paragraph = next(boxes[-1].iterancestors(w("p")))
        sections = [p for p in self.m.top_paragraphs if p.find("w:pPr/w:sectPr", NSMAP) is not None]
        end = self._estimated_end(sections[-1] if sections else None)
        height = _int(boxes[-1].find("wp:extent", NSMAP).get("cy")) // 635
        placement = layout.imprint_placement(end, height)
        if not sections:
            self.add("版记页为双页：正文末页为单页时另起无页码的版记页", placement.blank_pages == 0,
                     f"正文估算止于第{end.page}页，{'版记同页' if placement.blank_pages == 0 else '版记应另起一页'}")
            return
        tops = self.m.top_paragraphs
        after = tops[tops.index(sections[-1]) + 1:]
        texts = [self.m.own_text(p).strip() for p in after]
        footers = self.m.last_sect.findall(w("footerReference"))
        parts = [self.m.part_for(f.get(f"{{{NSMAP['r']}}}id")) for f in footers]
        empty = all(not "".join(t.text or "" for t in part.iter(w("t")))
                    and not any("PAGE" in (i.text or "") for i in part.iter(w("instrText"))) for part in parts)
        ok = paragraph in after and not any(texts) and len(footers) >= 2 and empty and placement.blank_pages > 0
        self.add("版记页为双页：正文末页为单页时另起无页码的版记页", ok,
                 f"其后 {len(after)} 段{'，含正文' if any(texts) else ''}，页脚 {len(footers)} 个"
                 f"{'，无页码' if empty else '，有页码'}")

    def _estimated_end(self, last=None):
        """Where the body ends by the same layout estimate the renderer uses, read back from the XML."""
        m, blocks, kept = self.m, [], []
        pitch = spec.BODY_SIZE_PT * 20 + spec.BODY_CHAR_SPACING
        for el in m.body:
            if el.tag == w("tbl"):
                for tr in el.findall("w:tr", NSMAP):
                    lines = 1
                    for tc in tr.findall("w:tc", NSMAP):
                        width = _int(tc.find("w:tcPr/w:tcW", NSMAP).get(w("w"))) - 2 * CELL_MARGIN
                        text = "".join(t.text or "" for t in tc.iter(w("t")))
                        lines = max(lines, len(layout.wrap(text, width / (TABLE_SIZE_PT * 20))))
                    blocks.append(layout.Block(lines, TABLE_LINE, TABLE_RULE))
                continue
            if el.tag != w("p"):
                continue
            height = m.line_height(el) or spec.LINE_PITCH
            before = _int(m.ppr_value(el, "w:spacing", "before"))
            if m.style_id(el) == "RFTitle":
                blocks.append(layout.Block(1 + m.text(el).count("\n"), height, before))
            else:
                text = m.own_text(el)
                left, right = _int(m.ppr_value(el, "w:ind", "left")), _int(m.ppr_value(el, "w:ind", "right"))
                first = _int(m.ppr_value(el, "w:ind", "firstLine"))
                width = (spec.TEXT_WIDTH - left - right) / pitch
                border = el.find("w:pPr/w:pBdr/w:bottom", NSMAP)
                lines = len(layout.wrap(text, width, width - first / pitch, layout.BODY_TRACKING)) if text else 1
                if border is not None:
                    blocks.append(layout.Block(1, layout.bordered_line_height(
                        height, _int(border.get(w("space"))), _int(border.get(w("sz")))), before))
                elif not text and height < spec.LINE_PITCH // 4:
                    blocks.append(layout.Block(0))   # the hairline paragraph the 版记 is anchored in
                else:
                    blocks.append(layout.Block(lines, height, before,
                                               new_page=el.find("w:pPr/w:pageBreakBefore", NSMAP) is not None))
                # paragraphs kept with the next one (the body's last, the 署名, the date, the notes) are one block
                if el.find("w:pPr/w:keepNext", NSMAP) is not None:
                    kept.append(len(blocks) - 1)
                elif kept:
                    group = blocks[kept[0]:]
                    if len({b.line_height for b in group}) == 1:
                        blocks[kept[0]:] = [layout.Block(sum(b.lines for b in group), group[0].line_height,
                                                         group[0].before, keep=True)]
                    kept = []
            if el is last:
                break
        if self.letter:
            blocks.insert(0, layout.Block(0, before=layout.letter_head_offset(self.s.mark_size_pt)))
        return layout.place(blocks)

    def punctuation(self):
        m = self.m
        texts = [m.text(p) for p in m.paragraphs if m.style_id(p) not in ("RFMark", "RFPageNumber")]
        left = [x for t in texts for x in punctuation.halfwidth_left(t)]
        self.add("中文中无半角标点（, : ; ? ! ( )）", not left, "无" if not left else "；".join(left[:4]))

    def glyphs(self):
        parts = [self.m.document] + [self.m.part_for(ref.get(f"{{{NSMAP['r']}}}id")) for ref in
                                     (self.m.sect.findall(w("headerReference")) + self.m.sect.findall(w("footerReference"))
                                      if self.m.sect is not None else [])]
        text = "".join(t.text or "" for part in parts if part is not None for t in part.iter(w("t")))
        missing = unshown(text)
        self.add("每个字都能以公文字体显示（无表情符号、无字库外生僻字）", not missing,
                 "无缺字" if not missing else "、".join(name(ch) for ch in missing[:5]))

    def imprint(self):
        m = self.m
        boxes = self._imprint_boxes()
        rows = [p for a in boxes for p in a.iter(w("p")) if m.style_id(p) == "RFImprint"]
        if not rows:
            self.add("版记", True, "无（无抄送、无印发）")
            return
        anchor = boxes[-1]
        pos = anchor.find("wp:positionV", NSMAP)
        at_bottom = pos is not None and pos.get("relativeFrom") == "margin" and \
            (pos.findtext("wp:align", namespaces=NSMAP) == "bottom")
        extent = anchor.find("wp:extent", NSMAP)
        width = _int(extent.get("cx")) / 635 if extent is not None else 0
        height = _int(extent.get("cy")) / 635 if extent is not None else 0
        last_anchor = self._anchor_in_last_paragraph(anchor)
        table = next(anchor.iter(w("tbl")), None)
        table_width = _int(table.find("w:tblPr/w:tblW", NSMAP).get(w("w"))) if table is not None else 0
        indent = _int(table.find("w:tblPr/w:tblInd", NSMAP).get(w("w"))) if table is not None and \
            table.find("w:tblPr/w:tblInd", NSMAP) is not None else 0
        self.add("版记位于最后一面版心最下方，分隔线与版心等宽 156 mm",
                 at_bottom and abs(width - spec.TEXT_WIDTH) <= TOLERANCE and last_anchor
                 and abs(table_width - spec.TEXT_WIDTH) <= TOLERANCE and indent == 0,
                 f"定位 {pos.get('relativeFrom') if pos is not None else None}/"
                 f"{pos.findtext('wp:align', namespaces=NSMAP) if pos is not None else None}，"
                 f"框宽 {_twips_to_mm(width):.0f} mm，线长 {_twips_to_mm(table_width):.0f} mm")
        borders = table.find("w:tblPr/w:tblBorders", NSMAP) if table is not None else None
        sizes = [_int(borders.find(f"w:{side}", NSMAP).get(w("sz"))) if borders is not None
                 and borders.find(f"w:{side}", NSMAP) is not None else None for side in ("top", "insideH", "bottom")]
        colors = {(b.get(w("color")) or "auto").upper() for b in (borders if borders is not None else [])
                  if b.get(w("val")) not in ("nil", "none")}
        expected = [spec.IMPRINT_OUTER_RULE, spec.IMPRINT_INNER_RULE, spec.IMPRINT_OUTER_RULE]
        self.add("版记分隔线 首末0.35 mm 中间0.25 mm 黑色", sizes == expected and colors <= {"000000", "AUTO"},
                 f"线宽 {sizes}（1/8 pt），颜色 {sorted(colors)}")
        lines = 0
        for p in rows:
            text = m.text(p)
            size = m.size_pt(p, (m.runs(p) or [None])[0])
            if text.startswith("抄送"):
                left, hanging = _int(m.ppr_value(p, "w:ind", "left")), _int(m.ppr_value(p, "w:ind", "hanging"))
                lines += len(layout.wrap(text[3:], (spec.TEXT_WIDTH - left - spec.IMPRINT_INDENT) / (spec.IMPRINT_SIZE_PT * 20)))
                self.add("抄送 14 pt 左空一字 回行与冒号后首字对齐 以“。”结束",
                         size == spec.IMPRINT_SIZE_PT and left == CC_LEFT and hanging == CC_HANGING
                         and text.strip().endswith("。"),
                         f"{size} pt，左缩进 {left} 悬挂 {hanging}，「{text[-6:]}」")
            elif text.endswith("印发"):
                row = next(p.iterancestors(w("tr")))
                parts = [m.text(q).strip() for q in row.iter(w("p"))]
                organ, when = (parts + ["", ""])[:2]
                ok = bool(organ) and bool(re.fullmatch(r"\d{4}年[1-9]\d?月[1-9]\d?日印发", when)) \
                    and size == spec.IMPRINT_SIZE_PT
                lines += 1
                self.add("印发机关居左 印发日期居右 同一行", ok, f"「{organ}」|「{when}」，{size} pt")
        self.add("版记框高容得下每一行", height >= lines * spec.LINE_PITCH, f"{lines} 行，框高 {_twips_to_mm(height):.0f} mm")

    def _anchor_in_last_paragraph(self, anchor):
        paragraph = next(a for a in anchor.iterancestors(w("p")))
        return paragraph is self.m.top_paragraphs[-1]


    def _letter_lower_line(self):
        """The lower double line is drawn in a box anchored to page 1 (not by the footer distance, which the
        page numbers of pages 2+ need)."""
        m = self.m
        footer = None
        for ref in m.sect.findall(w("footerReference")):
            if ref.get(w("type")) == "first":
                footer = m.part_for(ref.get(f"{{{NSMAP['r']}}}id"))
        border, top = None, None
        for anchor in (footer.iter(f"{{{NSMAP['wp']}}}anchor") if footer is not None else ()):
            position = anchor.find("wp:positionV", NSMAP)
            offset = position.find("wp:posOffset", NSMAP) if position is not None else None
            if position is not None and position.get("relativeFrom") == "page" and offset is not None:
                border = next(anchor.iter(w("bottom")), None)
                top = int(offset.text) // 635
        foot = spec.PAGE_HEIGHT - top - spec.LETTER_RULE_DRAWN if top is not None else None
        ok = border is not None and border.get(w("val")) == "thinThickSmallGap" \
            and (border.get(w("color")) or "").upper() == spec.RED \
            and abs(foot - spec.LETTER_BOTTOM_RULE_FROM_PAGE_BOTTOM) <= TOLERANCE
        self.add("信函格式：距下页边 20 mm 红色双线（上细下粗）", ok,
                 f"{border.get(w('val'))}，{_twips_to_mm(foot):.1f} mm" if border is not None and foot is not None
                 else "未找到")
        distance = _int(m.sect.find(w("pgMar")).get(w("footer")))
        self.add("信函格式：第二页起页码位置同文件格式", abs(distance - spec.FOOTER_DISTANCE) <= TOLERANCE,
                 f"页脚距 {_twips_to_mm(distance):.1f} mm")

    def _page_number_paragraphs(self):
        result = {}
        sect = self.m.sect
        if sect is None:
            return result
        for ref in sect.findall(w("footerReference")):
            part = self.m.part_for(ref.get(f"{{{NSMAP['r']}}}id"))
            if part is None:
                continue
            for p in part.iter(w("p")):
                if any("PAGE" in (t.text or "") for t in p.iter(w("instrText"))):
                    result[ref.get(w("type"))] = p
        return result

    def page_numbers(self):
        m = self.m
        numbers = self._page_number_paragraphs()
        even_on = m.settings is not None and m.settings.find("w:evenAndOddHeaders", NSMAP) is not None
        details, ok = [], even_on and "default" in numbers and "even" in numbers
        for kind, side, indent_attr in (("default", "right", "right"), ("even", "left", "left")):
            p = numbers.get(kind)
            if p is None:
                details.append(f"{kind}: 无")
                continue
            text = m.text(p)
            jc = m.ppr_value(p, "w:jc", "val")
            indent = _int(m.ppr_value(p, "w:ind", indent_attr))
            size = m.size_pt(p, (m.runs(p) or [None])[0])
            good = text.startswith("— ") and text.endswith(" —") and jc == side and indent == spec.IMPRINT_INDENT \
                and size == spec.IMPRINT_SIZE_PT
            ok = ok and good
            details.append(f"{'单页' if kind == 'default' else '双页'} {jc} 缩进{indent} {size}pt「{text}」")
        if self.letter and "first" in numbers:
            ok = False
            details.append("首页不应有页码")
        self.add("页码 4号宋体 —N— 单页居右双页居左 空一字 奇偶页不同", ok,
                 f"evenAndOddHeaders={even_on}；" + "；".join(details))

    def only_red(self):
        m = self.m
        # keep the allowed elements alive: lxml proxies (and so their ids) only last while referenced
        keep = []
        for p in m.with_style("RFMark") + ([self._first_page_mark()] if self.letter else []):
            keep.extend(p.iter())
        number = self._doc_number_paragraph()
        if number is not None and not self.letter:
            keep.extend(number.iter(w("bottom")))
        allowed = {id(el) for el in keep}
        reds = []
        parts = [m.document] + [m.part_for(ref.get(f"{{{NSMAP['r']}}}id")) for ref in
                                (m.sect.findall(w("headerReference")) + m.sect.findall(w("footerReference"))
                                 if m.sect is not None else [])]
        for part in parts:
            if part is None:
                continue
            for el in part.iter():
                if el.get(w("color")) and _is_red(el.get(w("color"))) and id(el) not in allowed \
                        and not (self.letter and el.tag in (w("bottom"), w("top")) and part is not m.document):
                    reds.append(etree.QName(el).localname)
                if el.tag == w("color") and _is_red(el.get(w("val"))) and id(el) not in allowed:
                    reds.append("text")
        for style in (m.styles.findall(w("style")) if m.styles is not None else []):
            color = style.find("w:rPr/w:color", NSMAP)
            if color is not None and _is_red(color.get(w("val"))) and style.get(w("styleId")) != "RFMark":
                reds.append(f"style {style.get(w('styleId'))}")
        self.add("只有发文机关标志和分隔线为红色", not reds, "无其他红色" if not reds else "、".join(reds))


def check_docx(data: bytes, settings: spec.DocumentSettings | None = None) -> list[RuleResult]:
    """Every rule with pass/fail and what was measured."""
    return Checker(data, settings).run()


def check_template(data: bytes, settings: spec.DocumentSettings | None = None) -> list[str]:
    """Problems of a department's base template; empty when it is usable."""
    model = DocxModel(data)
    problems = [f"缺少样式「{name}」" for sid, name in spec.STYLES.items() if sid not in model._style_by_id]
    if problems:
        return problems
    sample = ReplyContent(mark="示例机关文件", doc_number="示例〔2025〕1号", title="关于示例的答复",
                          salutation="示例委员：", body="正文。\n一、标题\n（一）标题\n1. 标题\n（1）标题",
                          issuing_organ="示例机关", cc="示例单位", issue_date=date(2025, 1, 1))
    return [f"{r.rule}：{r.measured}" for r in check_docx(render(sample, template=data, settings=settings), settings)
            if not r.passed]
