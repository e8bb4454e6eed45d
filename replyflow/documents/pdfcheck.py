"""Measures a reply as LibreOffice sets it: the rules of GB/T 9704 read off the PDF, not the XML.

The XML can say 28 characters a line while the layout sets 27, or hold a 版记 that falls off the page;
these rules look at what a reader gets. They need poppler's pdftotext, pdfinfo and pdftoppm.
"""
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import spec
from .checker import W_NS, RuleResult
from .layout import BODY_TRACKING, NO_LINE_END, NO_LINE_START, ZWSP, text_width
from .punctuation import is_chinese

PT_PER_MM = 72 / 25.4
TEXT_TOP_MM = spec.MARGIN_TOP / spec.TWIPS_PER_MM
TEXT_BOTTOM_MM = 297 - spec.MARGIN_BOTTOM / spec.TWIPS_PER_MM
TEXT_LEFT_MM = spec.MARGIN_LEFT / spec.TWIPS_PER_MM
TEXT_RIGHT_MM = 210 - spec.MARGIN_RIGHT / spec.TWIPS_PER_MM
PAGE_NUMBER = re.compile(r"^[—–-]\s*\d+\s*[—–-]$")
#: what a draft says at the top of every page (草稿（未签发，仅供审核）, 草稿（供委员会修改）)
DRAFT_HEADER = re.compile(r"^草稿（[^）]*）$")


def available() -> bool:
    return all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdftoppm"))


@dataclass
class Line:
    page: int
    text: str
    x0: float   # mm from the page's left edge
    x1: float
    y0: float   # mm from the page's top edge
    y1: float


class PdfPages:
    """The pages of a PDF: lines of text with their positions, and pixels on demand."""

    def __init__(self, pdf: bytes):
        self._dir = tempfile.TemporaryDirectory(prefix="replyflow-pdfcheck-")
        self.path = Path(self._dir.name) / "reply.pdf"
        self.path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(self.path)], capture_output=True, text=True, check=True).stdout
        self.count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        self.lines = self._lines()
        self._rasters: dict[tuple[int, int], tuple[int, int, bytes]] = {}

    def close(self):
        self._dir.cleanup()

    def _lines(self) -> list[Line]:
        xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(self.path), "-"], capture_output=True,
                               check=True).stdout
        root = etree.fromstring(xhtml, etree.XMLParser(recover=True))
        lines = []
        for number, page in enumerate(root.iter("{*}page"), start=1):
            for line in page.iter("{*}line"):
                words = [w.text or "" for w in line.iter("{*}word")]
                text = "".join(words)
                if not text.strip():
                    continue
                box = [float(line.get(k)) / PT_PER_MM for k in ("xMin", "xMax", "yMin", "yMax")]
                lines.append(Line(number, text, *box))
        # pdftotext may give a line twice (in two of its flows): once is what the page shows
        seen, unique = set(), []
        for ln in lines:
            key = (ln.page, ln.text, round(ln.x0, 1), round(ln.y0, 1))
            if key not in seen:
                seen.add(key)
                unique.append(ln)
        # and cuts a line whose characters are spread wide into pieces: one line, as the reader sees it
        merged: list[Line] = []
        for ln in sorted(unique, key=lambda ln: (ln.page, round(ln.y0 * 2), ln.x0)):
            last = merged[-1] if merged else None
            if last is not None and last.page == ln.page and abs(last.y0 - ln.y0) < 0.5 and abs(last.y1 - ln.y1) < 0.5:
                merged[-1] = Line(ln.page, last.text + ln.text, last.x0, max(last.x1, ln.x1), min(last.y0, ln.y0),
                                  max(last.y1, ln.y1))
            else:
                merged.append(ln)
        return merged

    def page_lines(self, page: int, body_only: bool = True) -> list[Line]:
        """Lines of one page; without page numbers and the draft mark when `body_only`."""
        found = [ln for ln in self.lines if ln.page == page]
        if body_only:
            found = [ln for ln in found if not PAGE_NUMBER.match(ln.text) and not DRAFT_HEADER.match(ln.text)]
        return found

    def page_number_shown(self, page: int) -> bool:
        return any(PAGE_NUMBER.match(ln.text) for ln in self.lines if ln.page == page)

    def flat_text(self) -> str:
        """All body text without spaces, page numbers or the draft mark: what a reader can copy."""
        return re.sub(r"\s", "", "".join(ln.text for p in range(1, self.count + 1) for ln in self.page_lines(p))) \
            .replace(ZWSP, "")

    def raster(self, page: int, dpi: int = 150) -> tuple[int, int, bytes]:
        """The page as RGB pixels (width, height, bytes), from pdftoppm's PPM output (made once)."""
        if (page, dpi) not in self._rasters:
            self._rasters[(page, dpi)] = self._raster(page, dpi)
        return self._rasters[(page, dpi)]

    def _raster(self, page: int, dpi: int) -> tuple[int, int, bytes]:
        ppm = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), str(self.path)],
                             capture_output=True, check=True).stdout
        header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", ppm)
        width, height = int(header.group(1)), int(header.group(2))
        return width, height, ppm[header.end():]


def _table(test) -> bytes:
    """A bytes.translate table mapping a channel's value to 1 where `test` holds, else 0."""
    return bytes(1 if test(v) else 0 for v in range(256))


#: a pixel is red (the mark, the red lines) or dark (text, rules): one test per channel, all three must hold
RED = (_table(lambda v: v > 180), _table(lambda v: v < 90), _table(lambda v: v < 90))
DARK = (_table(lambda v: v < 110),) * 3


def _rows(raster, test, x_from_mm=0.0, x_to_mm=210.0, y_from_mm=0.0, y_to_mm=297.0):
    """Per row, how many pixels in the band [x_from, x_to] pass `test` (RED or DARK); rows outside [y_from, y_to]
    are not looked at (counted 0). The channels are split and tested by bytes operations, not pixel by pixel: a
    page at 300 dpi has 8.7 million pixels."""
    width, height, data = raster
    px_per_mm = width / 210
    a, b = int(x_from_mm * px_per_mm), int(x_to_mm * px_per_mm)
    first, last = max(0, int(y_from_mm * px_per_mm)), min(height, int(y_to_mm * px_per_mm) + 1)
    counts = [0] * height
    for y in range(first, last):
        row = data[(y * width + a) * 3:(y * width + b) * 3]
        masks = [int.from_bytes(row[c::3].translate(test[c]), "big") for c in range(3)]
        counts[y] = (masks[0] & masks[1] & masks[2]).bit_count()
    return counts, height / 297


def red_line_gap_mm(pages: PdfPages) -> float | None:
    """Distance from the bottom of the document number's characters to the red line under it (page 1)."""
    raster = pages.raster(1)
    red, px_per_mm = _rows(raster, RED, TEXT_LEFT_MM, TEXT_RIGHT_MM, TEXT_TOP_MM, TEXT_BOTTOM_MM)
    wide = [y for y, n in enumerate(red) if n > 100 * px_per_mm]   # a red rule ≥ 100 mm long
    if not wide:
        return None
    top = wide[0]
    dark, _ = _rows(raster, DARK, 60, 150, top / px_per_mm - 21, top / px_per_mm)
    above = [y for y in range(max(0, top - int(20 * px_per_mm)), top) if dark[y]]
    if not above:
        return None
    return (top - above[-1] - 1) / px_per_mm


def letter_lines_mm(pages: PdfPages) -> tuple[float, float] | None:
    """信函格式 on page 1: (gap from the mark's foot to the red double line under it, height of the lower
    double line's foot above the page's foot), or None when page 1 has no red line under the text area."""
    raster = pages.raster(1, dpi=300)
    red, px_per_mm = _rows(raster, RED, 15, 195)
    wide = [y for y, n in enumerate(red) if n > 150 * px_per_mm]   # the double lines are 170 mm long
    lower = [y for y in wide if y / px_per_mm > TEXT_BOTTOM_MM]
    upper = [y for y in wide if y / px_per_mm < TEXT_TOP_MM + 30]
    if not lower or not upper:
        return None
    mark = [y for y in range(upper[0] - 2) if red[y]]
    gap = (upper[0] - mark[-1] - 1) / px_per_mm if mark else 0.0
    return gap, 297 - (lower[-1] + 1) / px_per_mm


def page_number_dash_mm(pages: PdfPages, page: int) -> float | None:
    """Distance from the text area's bottom edge down to the dash (一字线) of the page number."""
    raster = pages.raster(page, dpi=300)
    dark, px_per_mm = _rows(raster, DARK, TEXT_LEFT_MM, TEXT_RIGHT_MM, TEXT_BOTTOM_MM, TEXT_BOTTOM_MM + 21)
    start = int(TEXT_BOTTOM_MM * px_per_mm) + 1
    # the dash is the row with the longest dark run under the text area
    band = [(dark[y], y) for y in range(start, min(len(dark), start + int(20 * px_per_mm)))]
    if not band or max(band)[0] == 0:
        return None
    best = max(n for n, _ in band)
    rows = [y for n, y in band if n >= best * 0.8]
    return ((rows[0] + rows[-1]) / 2 - start) / px_per_mm


def imprint_lines(pages: PdfPages, marks: list[str]) -> list[Line]:
    """The 版记's lines: from the top of the first of its lines (14 pt, starting 抄送： or ending as the 印发 line
    in `marks` ends) to the foot of the last page."""
    last = pages.page_lines(pages.count)
    ends = [_plain(m) for m in marks if not _plain(m).startswith("抄送")]
    found = [ln for ln in last if _sized(ln, IMPRINT_LINE_MM) and (
        _plain(ln.text).startswith("抄送") and any(_plain(m).startswith("抄送") for m in marks)
        or any(_plain(ln.text).endswith(end) for end in ends))]
    if not found:
        return []
    top = min(ln.y0 for ln in found)
    # a long 印发机关 wraps: its first lines stand above the one ending 印发, a line of the 版记's size apart
    above = sorted((ln for ln in last if _sized(ln, IMPRINT_LINE_MM) and ln.y0 < top), key=lambda ln: -ln.y0)
    for ln in above:
        if top - ln.y0 > 12:
            break
        top = ln.y0
    return [ln for ln in last if ln.y0 >= top - 0.5]


def _is_body_line(text: str) -> bool:
    return all(is_chinese(ch) for ch in text)


def _plain(text: str) -> str:
    """Text as compared with the page: without spaces of any width (a draft's 〔2025〕　号) and zero-width ones."""
    return re.sub(r"\s", "", text).replace(ZWSP, "")


@dataclass
class Expected:
    """What the .docx says its pages must show, read from its XML: what the page rules hold the PDF to."""

    paragraphs: list[str] = field(default_factory=list)   # every paragraph of the text area, in order
    imprint: list[str] = field(default_factory=list)      # the 版记's lines: 抄送：…, …印发
    signature: tuple[str, str] | None = None              # (发文机关署名, 成文日期)
    notes: list[str] = field(default_factory=list)        # 签发人：… 经办人：… 联系电话：…
    title_lines: int = 0
    body: list[str] = field(default_factory=list)         # the body's paragraphs (正文 and headings)
    letter: bool | None = None                            # 信函格式 (None: not known, both are measured)

    @classmethod
    def of_docx(cls, data: bytes) -> "Expected":
        from .checker import BODY_STYLES, DocxModel

        m = DocxModel(data)
        found = cls()
        for p in m.top_paragraphs:
            text = _plain(m.own_text(p))
            style = m.style_id(p)
            if text:
                found.paragraphs.append(text)
            if style in BODY_STYLES and text:
                found.body.append(text)
            elif style == "RFTitle":
                found.title_lines = 1 + len(p.findall(".//w:br", {"w": W_NS}))
            elif style == "RFNote" and text:
                found.notes.append(text)
        found.letter = not m.with_style("RFMark")   # the letter format has its mark in the first page's header
        organs, dates = m.with_style("RFSignature"), m.with_style("RFDate")
        if organs and dates:
            found.signature = (_plain(m.own_text(organs[0])), _plain(m.own_text(dates[0])))
        for p in m.body.iter(f"{{{W_NS}}}p"):
            if m.style_id(p) == "RFImprint":
                text = _plain(m.text(p))
                if text.startswith("抄送"):
                    found.imprint.append("抄送：")
                elif text.endswith("印发"):
                    found.imprint.append(text)
        return found


#: heights (mm) of the boxes pdftotext gives lines of the body's size (16 pt) and of the title's (22 pt)
BODY_LINE_MM, TITLE_LINE_MM = (7.0, 7.8), (9.0, 11.5)
#: and of the 版记's (14 pt)
IMPRINT_LINE_MM = (6.0, 6.9)


def _sized(ln: Line, size: tuple[float, float]) -> bool:
    return size[0] < ln.y1 - ln.y0 < size[1]


def _line(pages: PdfPages, text: str) -> Line | None:
    """The last line of the body's size that reads exactly `text` (the 署名 is the organ's name, which the mark
    begins with and the 版记's 印发机关 repeats)."""
    wanted = _plain(text)
    return next((ln for ln in reversed(pages.lines) if _plain(ln.text) == wanted and _sized(ln, BODY_LINE_MM)), None)


def _alone(pages: PdfPages, first: Line, ignore: set[str]) -> bool:
    """Whether the page of `first` holds nothing above it but lines of `ignore` (a page of only those lines)."""
    above = [ln for ln in pages.page_lines(first.page) if ln.y0 < first.y0 - 0.5]
    return not [ln for ln in above if _plain(ln.text) not in ignore]


def check_pdf(pdf: bytes, expected: Expected | None = None) -> list[RuleResult]:
    """The layout rules, measured on the pages LibreOffice set, against what the .docx says they must show."""
    pages = PdfPages(pdf)
    expected = expected or Expected()
    results = []

    def add(rule, passed, measured):
        results.append(RuleResult(rule, bool(passed), measured))

    try:
        flat = pages.flat_text()
        if expected.paragraphs:
            missing = [p[:16] for p in expected.paragraphs if p not in flat]
            add("PDF 中正文一字不缺（含行末标点）", not missing, "完整" if not missing else "缺：" + "；".join(missing[:3]))
        last = pages.count
        in_imprint = imprint_lines(pages, expected.imprint)
        text_pages = [p for p in range(1, last + 1)
                      if [ln for ln in pages.page_lines(p) if ln not in in_imprint]]
        # pages that may end short: before the 署名 / 签发人 block that takes the body's last paragraph along, and
        # pages holding a table (its rows are of another height)
        tail = [_plain(t) for t in (list(expected.signature or ()) + expected.notes)]
        kept_from = min((ln.page for ln in pages.lines if _plain(ln.text) in tail), default=last + 1)
        full = [p for p in text_pages[1:-1] if p != kept_from - 1 and _uniform(pages.page_lines(p))]
        counts = {p: len(pages.page_lines(p)) for p in full}
        add("满页 22 行", all(n == spec.LINES_PER_PAGE for n in counts.values()),
            "、".join(f"第{p}页 {n} 行" for p, n in counts.items()) or "无满页")
        # lines of the body's paragraphs (not the letter's （A） and number set apart by a tab)
        body_text = "\n".join(expected.body)
        widths, spread = [], []
        for p in text_pages:
            page_lines = pages.page_lines(p)
            for n, ln in enumerate(page_lines):
                text = _plain(ln.text)
                following = page_lines[n + 1].text.lstrip() if n + 1 < len(page_lines) else ""
                reaches = TEXT_RIGHT_MM - ln.x1 < 3
                if reaches and _sized(ln, BODY_LINE_MM) and ln.x0 - TEXT_LEFT_MM < 12 and text in body_text:
                    room = (ln.x1 - ln.x0) / BODY_PITCH_MM
                    # a line ends short by a character or two where 禁则 moved one down, by a word in Latin text;
                    # an address set as one unbreakable run leaves far more, spread between the characters
                    extra = room - text_width(text, BODY_TRACKING)
                    if extra > SPREAD_CHARS and extra / _gaps(text) > SPREAD_PER_GAP:
                        spread.append(f"第{p}页「{text[:10]}」")
                if p not in full:
                    continue
                # a full line: starts at the left edge, reaches the right edge, Chinese only; a mark that may
                # not end a line (“ 《), or digits wider than the one place left, moved to the next one leave 27
                if _is_body_line(text) and ln.x0 - TEXT_LEFT_MM < 1.5 and reaches:
                    count = len(text)
                    if count == spec.CHARS_PER_LINE + 1 and text[-1] in NO_LINE_START:
                        count -= 1
                    elif count == spec.CHARS_PER_LINE - 1 and (following[:1] in NO_LINE_END
                                                               or following[1:2] in NO_LINE_START
                                                               or following[:1].isascii()):
                        count += 1
                    widths.append(count)
        # lines shortened by 禁则 (a character moved down with a 。or “) aside, a full line holds 28
        ok = not widths or (max(widths) == spec.CHARS_PER_LINE
                            and widths.count(spec.CHARS_PER_LINE) >= 0.8 * len(widths))
        add("满行 28 字", ok, f"满行字数 {sorted(set(widths))}（{len(widths)} 行）" if widths else "无满行")
        add("行内字距不被拉开（网址、邮箱等长串不撑开整行）", not spread, "无" if not spread else "、".join(spread[:4]))
        add("末页为双页（双面印刷）", last % 2 == 0, f"共 {last} 页")
        if expected.imprint:
            found = [part for part in expected.imprint if _plain(part) in "".join(_plain(ln.text) for ln in in_imprint)]
            low = max((ln.y1 for ln in pages.page_lines(last)), default=0)
            ok = len(found) == len(expected.imprint) and low <= TEXT_BOTTOM_MM + 0.5
            add("版记每行在末页、页码区之上", ok, f"末页有 {len(found)}/{len(expected.imprint)} 行，最低 {low:.1f} mm"
                f"（版心下边缘 {TEXT_BOTTOM_MM:.1f} mm）")
            if in_imprint:
                top = min(ln.y0 for ln in in_imprint)
                under = [ln for ln in pages.page_lines(last) if ln not in in_imprint and ln.y1 > top - 1.5]
                add("版记不压正文", not under, "正文止于版记之上" if not under else
                    f"「{_plain(under[0].text)[:10]}」在版记的区域内")
            if last not in text_pages:
                add("单独的版记页及其前的空白页不编页码",
                    not pages.page_number_shown(last) and not any(
                        pages.page_number_shown(p) for p in range(1, last) if not pages.page_lines(p)),
                    f"第{last}页{'有' if pages.page_number_shown(last) else '无'}页码")
        if expected.title_lines:
            add("标题行数与排定的一致（没有自行折行）", _title_lines(pages) == expected.title_lines,
                f"{_title_lines(pages)} 行（应为 {expected.title_lines} 行）")
        _signature_rules(pages, expected, add)
        gap = red_line_gap_mm(pages) if expected.letter is not True else None
        if gap is not None:
            add("红色分隔线距发文字号 4 mm", abs(gap - 4) <= 0.6, f"{gap:.1f} mm")
        letter = letter_lines_mm(pages) if expected.letter is not False else None
        if letter is not None:
            add("信函格式：标志下 4 mm 红色双线", abs(letter[0] - 4) <= 0.6, f"{letter[0]:.1f} mm")
            add("信函格式：下红色双线距下页边 20 mm", abs(letter[1] - 20) <= 0.6, f"{letter[1]:.1f} mm")
        numbered = next((p for p in range(1, pages.count + 1) if pages.page_number_shown(p)), None)
        if numbered:
            dash = page_number_dash_mm(pages, numbered)
            add("页码一字线距版心下边缘 7 mm", dash is not None and abs(dash - 7) <= 0.6,
                f"{dash:.1f} mm" if dash is not None else "未找到")
    finally:
        pages.close()
    return results


#: a justified line is spread out when it was widened by more than this many characters' width, and by more than
#: this share of a character at each place it widens (between Chinese characters, around Latin runs)
SPREAD_CHARS, SPREAD_PER_GAP = 2.5, 0.4


def _gaps(text: str) -> int:
    """The places a justified line widens: after each Chinese character or mark, and each run of Latin text."""
    return max(1, sum(1 for ch in text if not ch.isascii()) + len(re.findall(r"[ -~]+", text)))
#: one Chinese character of the body in mm (16 pt less 0.25 pt of spacing)
BODY_PITCH_MM = (spec.BODY_SIZE_PT * 20 + spec.BODY_CHAR_SPACING) / spec.TWIPS_PER_MM


def _uniform(lines: list[Line]) -> bool:
    """Lines a body line apart throughout (no table, no title of larger lines)."""
    pitch = spec.LINE_PITCH / spec.TWIPS_PER_MM
    return all(abs((b.y0 - a.y0) - pitch) < 0.8 or (b.y0 - a.y0) > pitch * 1.5 for a, b in zip(lines, lines[1:]))


def _title_lines(pages: PdfPages) -> int:
    """Lines of the title on page 1: the lines of the title's size (22 pt) between the red line and the 主送."""
    return sum(1 for ln in pages.page_lines(1) if _sized(ln, TITLE_LINE_MM))


def _signature_rules(pages: PdfPages, expected: Expected, add):
    """The 署名 centred over the 成文日期 four characters in from the right, never without the body on its page;
    the 签发人 / 经办人 / 联系电话 lines never on a page of their own."""
    if expected.signature:
        organ, date = (_line(pages, text) for text in expected.signature)
        if organ is None or date is None:
            add("发文机关署名和成文日期", False, "PDF 中未找到各占一行的署名和日期（署名过长折行了？）")
        else:
            off = abs((organ.x0 + organ.x1) / 2 - (date.x0 + date.x1) / 2)
            right = (TEXT_RIGHT_MM - date.x1) / BODY_PITCH_MM
            add("发文机关署名以成文日期为准居中，日期右空四字", off <= 2.5 and right >= 3.7,
                f"中线相差 {off:.1f} mm，日期右空 {right:.1f} 字")
            alone = organ.page != date.page or _alone(pages, organ, set())
            add("署名和成文日期与正文同页（不单独成页）", not alone,
                f"署名在第{organ.page}页、日期在第{date.page}页" + ("，该页没有正文" if alone else "，与正文同页"))
    if expected.notes:
        first = _line(pages, expected.notes[0])
        if first is not None:
            alone = _alone(pages, first, {_plain(n) for n in expected.notes})
            add("签发人、经办人、联系电话不单独成页", not alone,
                f"第{first.page}页" + ("只有这几行" if alone else "有正文"))
