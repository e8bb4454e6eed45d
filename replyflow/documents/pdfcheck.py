"""Measures a reply as LibreOffice sets it: the rules of GB/T 9704 read off the PDF, not the XML.

The XML can say 28 characters a line while the layout sets 27, or hold a 版记 that falls off the page;
these rules look at what a reader gets. They need poppler's pdftotext, pdfinfo and pdftoppm.
"""
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from . import spec
from .checker import RuleResult
from .layout import NO_LINE_END, NO_LINE_START
from .punctuation import is_chinese

PT_PER_MM = 72 / 25.4
TEXT_TOP_MM = spec.MARGIN_TOP / spec.TWIPS_PER_MM
TEXT_BOTTOM_MM = 297 - spec.MARGIN_BOTTOM / spec.TWIPS_PER_MM
TEXT_LEFT_MM = spec.MARGIN_LEFT / spec.TWIPS_PER_MM
TEXT_RIGHT_MM = 210 - spec.MARGIN_RIGHT / spec.TWIPS_PER_MM
PAGE_NUMBER = re.compile(r"^[—–-]\s*\d+\s*[—–-]$")
DRAFT_HEADER = "草稿（未签发，仅供审核）"


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
        return lines

    def page_lines(self, page: int, body_only: bool = True) -> list[Line]:
        """Lines of one page; without page numbers and the draft mark when `body_only`."""
        found = [ln for ln in self.lines if ln.page == page]
        if body_only:
            found = [ln for ln in found if not PAGE_NUMBER.match(ln.text) and ln.text != DRAFT_HEADER]
        return found

    def page_number_shown(self, page: int) -> bool:
        return any(PAGE_NUMBER.match(ln.text) for ln in self.lines if ln.page == page)

    def flat_text(self) -> str:
        """All body text without spaces, page numbers or the draft mark: what a reader can copy."""
        return "".join(ln.text for p in range(1, self.count + 1) for ln in self.page_lines(p)).replace(" ", "")

    def raster(self, page: int, dpi: int = 150) -> tuple[int, int, bytes]:
        """The page as RGB pixels (width, height, bytes), from pdftoppm's PPM output."""
        ppm = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), str(self.path)],
                             capture_output=True, check=True).stdout
        header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", ppm)
        width, height = int(header.group(1)), int(header.group(2))
        return width, height, ppm[header.end():]


def _rows(raster, test, x_from_mm=0.0, x_to_mm=210.0, y_from_mm=0.0, y_to_mm=297.0):
    """Per row, how many pixels in the band [x_from, x_to] pass `test(r, g, b)`; rows outside
    [y_from, y_to] are not looked at (counted 0): a page at 300 dpi has 3,508 of them."""
    width, height, data = raster
    px_per_mm = width / 210
    a, b = int(x_from_mm * px_per_mm), int(x_to_mm * px_per_mm)
    first, last = max(0, int(y_from_mm * px_per_mm)), min(height, int(y_to_mm * px_per_mm) + 1)
    counts = [0] * height
    for y in range(first, last):
        row = data[y * width * 3:(y + 1) * width * 3]
        counts[y] = sum(1 for x in range(a, b) if test(row[3 * x], row[3 * x + 1], row[3 * x + 2]))
    return counts, height / 297


def _red(r, g, b):
    return r > 180 and g < 90 and b < 90


def _dark(r, g, b):
    return r < 110 and g < 110 and b < 110


def red_line_gap_mm(pages: PdfPages) -> float | None:
    """Distance from the bottom of the document number's characters to the red line under it (page 1)."""
    raster = pages.raster(1)
    red, px_per_mm = _rows(raster, _red, TEXT_LEFT_MM, TEXT_RIGHT_MM, TEXT_TOP_MM, TEXT_BOTTOM_MM)
    wide = [y for y, n in enumerate(red) if n > 100 * px_per_mm]   # a red rule ≥ 100 mm long
    if not wide:
        return None
    top = wide[0]
    dark, _ = _rows(raster, _dark, 60, 150, top / px_per_mm - 21, top / px_per_mm)
    above = [y for y in range(max(0, top - int(20 * px_per_mm)), top) if dark[y]]
    if not above:
        return None
    return (top - above[-1] - 1) / px_per_mm


def letter_lines_mm(pages: PdfPages) -> tuple[float, float] | None:
    """信函格式 on page 1: (gap from the mark's foot to the red double line under it, height of the lower
    double line's foot above the page's foot), or None when page 1 has no red line under the text area."""
    raster = pages.raster(1, dpi=300)
    red, px_per_mm = _rows(raster, _red, 15, 195)
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
    dark, px_per_mm = _rows(raster, _dark, TEXT_LEFT_MM, TEXT_RIGHT_MM, TEXT_BOTTOM_MM, TEXT_BOTTOM_MM + 21)
    start = int(TEXT_BOTTOM_MM * px_per_mm) + 1
    # the dash is the row with the longest dark run under the text area
    band = [(dark[y], y) for y in range(start, min(len(dark), start + int(20 * px_per_mm)))]
    if not band or max(band)[0] == 0:
        return None
    best = max(n for n, _ in band)
    rows = [y for n, y in band if n >= best * 0.8]
    return ((rows[0] + rows[-1]) / 2 - start) / px_per_mm


def imprint_lines(pages: PdfPages, marks: list[str]) -> list[Line]:
    """The 版记's lines: from the top of the first line holding one of `marks` (抄送：, 印发 …) to the foot
    of the last page."""
    last = pages.page_lines(pages.count)
    found = [ln for ln in last for part in marks if part[:6] in ln.text.replace(" ", "")]
    if not found:
        return []
    top = min(ln.y0 for ln in found)
    return [ln for ln in last if ln.y0 >= top - 0.5]


def _is_body_line(text: str) -> bool:
    return all(is_chinese(ch) for ch in text)


def check_pdf(pdf: bytes, expected_text: list[str] | None = None, imprint: list[str] | None = None,
              signs: bool = False) -> list[RuleResult]:
    """The layout rules, measured. `expected_text`: paragraphs that must be in the PDF whole;
    `imprint`: the 版记's lines (抄送…, 印发…) that must stand on the last page."""
    pages = PdfPages(pdf)
    results = []

    def add(rule, passed, measured):
        results.append(RuleResult(rule, bool(passed), measured))

    try:
        flat = pages.flat_text()
        if expected_text is not None:
            missing = [p[:16] for p in expected_text if p.replace(" ", "").replace("\t", "") not in flat]
            add("PDF 中正文一字不缺（含行末标点）", not missing, "完整" if not missing else "缺：" + "；".join(missing[:3]))
        last = pages.count
        in_imprint = imprint_lines(pages, imprint or [])
        text_pages = [p for p in range(1, last + 1)
                      if [ln for ln in pages.page_lines(p) if ln not in in_imprint]]
        # a page before the 签发人 / 经办人 lines, which keep together, may end short
        full = [p for n, p in enumerate(text_pages[1:-1], start=1)
                if not pages.page_lines(text_pages[n + 1])[0].text.replace(" ", "").startswith(("签发人", "经办人"))]
        counts = {p: len(pages.page_lines(p)) for p in full}
        add("满页 22 行", all(n == spec.LINES_PER_PAGE for n in counts.values()),
            "、".join(f"第{p}页 {n} 行" for p, n in counts.items()) or "无满页")
        widths = []
        for p in full:
            page_lines = pages.page_lines(p)
            for n, ln in enumerate(page_lines):
                text = ln.text.replace(" ", "")
                following = page_lines[n + 1].text.lstrip() if n + 1 < len(page_lines) else ""
                # a full line: starts at the left edge, reaches the right edge, Chinese only; a mark that may
                # not end a line (“ 《) moved to the next one leaves 27, a hanging comma makes 29
                if _is_body_line(text) and ln.x0 - TEXT_LEFT_MM < 1.5 and TEXT_RIGHT_MM - ln.x1 < 3:
                    count = len(text)
                    if count == spec.CHARS_PER_LINE + 1 and text[-1] in NO_LINE_START:
                        count -= 1
                    elif count == spec.CHARS_PER_LINE - 1 and (following[:1] in NO_LINE_END
                                                               or following[1:2] in NO_LINE_START):
                        count += 1
                    widths.append(count)
        # lines shortened by 禁则 (a character moved down with a 。or “) aside, a full line holds 28
        ok = not widths or (max(widths) == spec.CHARS_PER_LINE
                            and widths.count(spec.CHARS_PER_LINE) >= 0.8 * len(widths))
        add("满行 28 字", (not full or widths) and ok,
            f"满行字数 {sorted(set(widths))}（{len(widths)} 行）")
        add("末页为双页（双面印刷）", last % 2 == 0, f"共 {last} 页")
        if imprint:
            found = [part for part in imprint if part.replace(" ", "") in
                     "".join(ln.text for ln in in_imprint).replace(" ", "")]
            low = max((ln.y1 for ln in pages.page_lines(last)), default=0)
            ok = len(found) == len(imprint) and low <= TEXT_BOTTOM_MM + 0.5
            add("版记每行在末页、页码区之上", ok, f"末页有 {len(found)}/{len(imprint)} 行，最低 {low:.1f} mm"
                f"（版心下边缘 {TEXT_BOTTOM_MM:.1f} mm）")
            if last not in text_pages:
                add("单独的版记页及其前的空白页不编页码",
                    not pages.page_number_shown(last) and not any(
                        pages.page_number_shown(p) for p in range(1, last) if not pages.page_lines(p)),
                    f"第{last}页{'有' if pages.page_number_shown(last) else '无'}页码")
        gap = red_line_gap_mm(pages)
        if gap is not None:
            add("红色分隔线距发文字号 4 mm", abs(gap - 4) <= 0.6, f"{gap:.1f} mm")
        letter = letter_lines_mm(pages)
        if letter is not None:
            add("信函格式：标志下 4 mm 红色双线", abs(letter[0] - 4) <= 0.6, f"{letter[0]:.1f} mm")
            add("信函格式：下红色双线距下页边 20 mm", abs(letter[1] - 20) <= 0.6, f"{letter[1]:.1f} mm")
        numbered = next((p for p in range(1, pages.count + 1) if pages.page_number_shown(p)), None)
        if numbered:
            dash = page_number_dash_mm(pages, numbered)
            add("页码一字线距版心下边缘 7 mm", dash is not None and abs(dash - 7) <= 0.6,
                f"{dash:.1f} mm" if dash is not None else "未找到")
        if signs:
            lines = [ln for ln in pages.lines if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", ln.text.replace(" ", ""))]
            if lines:
                date = lines[-1]
                above = [ln for ln in pages.lines if ln.page == date.page and ln.y1 <= date.y0 + 0.5]
                organ = above[-1] if above else None
                if organ is not None:
                    off = abs((organ.x0 + organ.x1) / 2 - (date.x0 + date.x1) / 2)
                    add("发文机关署名以成文日期为准居中", off <= 2.5, f"中线相差 {off:.1f} mm")
    finally:
        pages.close()
    return results
