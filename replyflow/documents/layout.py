"""Where the text of a reply falls on its pages, estimated the way Word and LibreOffice set it.

Every line of a reply has an exact height and the body a fixed character pitch, so the pages can be
counted before any office program opens the file: that decides whether the 版记 fits under the body's
last line or goes to the next even page. Rendering through LibreOffice confirms it (`pdfcheck`).
"""
import re
from dataclasses import dataclass

from . import spec
from .punctuation import ADDRESS

#: characters that may not begin a line (行首禁则): the character before moves down with them
#: (w:overflowPunct off in Word; punctuation-wrap "simple" in LibreOffice's PDF)
NO_LINE_START = set("，。、；：？！）》〉」』】〕”’·%‰℃,.;:?!)]}")
#: closing marks after which LibreOffice does not break before digits or Latin letters (，2020 stays whole)
CLOSING = set("，。、）》〉」』】〕］｝")
#: characters that may not end a line: they move to the next one with what follows
NO_LINE_END = set("（《〈「『【“‘([{")


#: advance widths (thousandths of an em) of the printable ASCII characters in the face LibreOffice sets the
#: documents' serif fonts in (Noto Serif CJK SC); Word's 仿宋_GB2312 has them all at 500
ASCII_WIDTHS = (
    256, 308, 376, 574, 550, 923, 779, 196, 364, 364, 478, 580, 327, 346, 327, 352,
    557, 471, 558, 557, 555, 558, 558, 549, 558, 562, 327, 327, 580, 580, 580, 432,
    912, 718, 670, 691, 770, 652, 629, 741, 853, 405, 402, 731, 625, 975, 796, 767,
    641, 767, 715, 567, 659, 797, 714, 1053, 700, 687, 605, 344, 352, 344, 580, 563,
    435, 557, 638, 538, 629, 546, 388, 566, 663, 332, 311, 607, 334, 974, 661, 596,
    638, 607, 462, 473, 367, 653, 548, 838, 564, 552, 498, 374, 316, 374, 580,
)
#: the few other characters that face sets narrower than a full em (the Latin-1 ones, the middle dot)
NARROW = {"·": 0.327, "°": 0.342, "—": 0.89}
#: the space between a Chinese character and a Latin letter or digit (w:autoSpaceDE/DN), in em: LibreOffice adds
#: it whatever the .docx says (measured 0.217 em in its PDF), Word by default
AUTOSPACE = 0.217
#: the body's character spacing (−0.25 pt at 16 pt) in em: widths in the body are counted in its pitch
BODY_TRACKING = spec.BODY_CHAR_SPACING / (spec.BODY_SIZE_PT * 20)
#: a break opportunity of no width: put into web and mail addresses so that a line can end inside one
ZWSP = "\u200b"


#: a full-width closing mark right before digits or Latin letters, which LibreOffice will not part (度，2020年)
CLOSING_BEFORE_LATIN = re.compile(r"([，。、）》〉」』】〕］｝])(?=[A-Za-z0-9])")


def breakable(text: str) -> str:
    """A zero-width space, which every client takes as a break opportunity, where a line may end but LibreOffice
    would not end it: between the characters of web and mail addresses (a Chinese document breaks them anywhere, as
    Word does with 允许西文在单词中间换行), and between a closing mark and the digits after it (，2020). A line holding
    one is then filled, not spread out around an unbreakable run."""
    return CLOSING_BEFORE_LATIN.sub("\\1" + ZWSP, ADDRESS.sub(lambda m: ZWSP.join(m.group()), text))


def char_width(ch: str) -> float:
    """Width in em: ASCII as the face sets it, a zero-width space 0, anything else (Chinese, full-width marks and
    the quotes and ellipses a Chinese face sets full width) 1."""
    if ch == ZWSP:
        return 0.0
    code = ord(ch)
    if 32 <= code < 127:
        return ASCII_WIDTHS[code - 32] / 1000
    return NARROW.get(ch, 1)


def _ideograph(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\u3040" <= ch <= "\u30ff"


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def autospaced(left: str, right: str) -> bool:
    """Whether the clients put extra space between these two neighbours (Chinese next to a Latin letter or digit)."""
    return (_ideograph(left) and _latin(right)) or (_latin(left) and _ideograph(right))


def text_width(text: str, tracking: float = 0.0) -> float:
    """Width of `text` in units of one Chinese character's advance; `tracking` is the character spacing in em
    (the body's BODY_TRACKING), which every character takes and a Chinese one then counts as 1."""
    chars = sum(char_width(ch) + tracking for ch in text if ch != ZWSP)
    return (chars + AUTOSPACE * sum(autospaced(a, b) for a, b in zip(text, text[1:]))) / (1 + tracking)


def units(text: str) -> list[str]:
    """What a line may not break inside: a run of Latin letters and digits is one unit, a CJK character one;
    a zero-width space ends a unit (an address can break there)."""
    units, word = [], ""
    for ch in text:
        if ch.isascii() and (ch.isalnum() or ch in "._-/@:%+#?=&~"):
            word += ch
            continue
        if word:
            units.append(word)
            word = ""
        units.append(ch)   # a zero-width space is a unit of no width that parts what is around it
    if word:
        units.append(word)
    return units


def _joined(before: str, after: str) -> bool:
    """No line may end between these two units: a closing mark never starts a line, an opening one never ends
    one, a dash is not parted, and (as LibreOffice sets it) digits or Latin letters stay after a full-width
    closing mark unless a zero-width space parts them (breakable)."""
    return (after[0] in NO_LINE_START or before[-1] in NO_LINE_END or before == after == "—"
            or (_latin(after[0]) and before in CLOSING))


def wrap(text: str, width_em: float, first_width_em: float | None = None, tracking: float = 0.0) -> list[str]:
    """Split a paragraph into the lines a layout engine would set (greedy, with 禁则, no hanging punctuation);
    widths in Chinese characters of the paragraph's pitch (see text_width)."""
    lines: list[list[str]] = []
    line: list[str] = []
    limit = width_em if first_width_em is None else first_width_em
    for unit in units(text):
        if line and text_width("".join(line) + unit, tracking) > limit + 1e-6:
            carried = []
            # what may not be parted moves down whole (the character before a 。 goes with it)
            while len(line) > 1 and _joined(line[-1], carried[0] if carried else unit):
                carried.insert(0, line.pop())
            lines.append(line)
            line, limit = carried, width_em
        line.append(unit)
    if line or not lines:
        lines.append(line)
    return ["".join(units) for units in lines]


def body_chars_per_line(size_pt: float = spec.BODY_SIZE_PT, spacing: int = spec.BODY_CHAR_SPACING) -> float:
    """Characters of the body face a line holds: 28 for 16 pt with −0.25 pt spacing in 156 mm."""
    return spec.TEXT_WIDTH / (size_pt * 20 + spacing)


def mark_line_height(mark_size_pt: float) -> int:
    """Line height of the 发文机关标志: 1.2 lines of its size, never under the body's line."""
    return max(spec.LINE_PITCH, spec.pt(mark_size_pt * 1.2))


def bordered_line_height(line: int, space_pt: int, size_eighths: int) -> int:
    """A paragraph's bottom border adds its distance and its width under the line."""
    return line + space_pt * 20 + size_eighths * 20 // 8


#: w:sz of the letter format's red double line under the mark, in eighths of a point
LETTER_RULE_SIZE = 24


def letter_head_offset(mark_size_pt: float) -> int:
    """How far the letter format's first-page header (mark, red double line) pushes page 1's body down."""
    header_bottom = (spec.LETTER_MARK_FROM_PAGE_TOP
                     + bordered_line_height(mark_line_height(mark_size_pt), spec.LETTER_RED_LINE_GAP_PT, LETTER_RULE_SIZE)
                     + spec.LINE_PITCH // 2)
    return max(0, header_bottom - spec.MARGIN_TOP)


@dataclass
class Block:
    """One paragraph or table row as the layout sees it: lines of one height, and space above."""

    lines: int
    line_height: int = spec.LINE_PITCH
    before: int = 0
    new_page: bool = False
    #: its lines stay on one page: the body's last paragraph with the 署名, the date and the notes after it
    keep: bool = False

    @property
    def height(self) -> int:
        return self.before + self.lines * self.line_height


@dataclass
class Position:
    page: int        # 1-based page of the last line
    used: int        # twips of that page's text area used, from its top


def place(blocks: list[Block], page_height: int = spec.TEXT_HEIGHT) -> Position:
    """Set the blocks line by line on pages of `page_height`; where does the last line end?"""
    page, used = 1, 0
    for block in blocks:
        if block.new_page and used:
            page, used = page + 1, 0
        if used and used + block.before > page_height:
            page, used = page + 1, 0
        used += block.before if used or page == 1 else 0
        # kept lines go to a new page together, unless they would not fit on one either (then they flow)
        if block.keep and used + block.lines * block.line_height > page_height >= block.lines * block.line_height \
                and used:
            page, used = page + 1, 0
        for _ in range(block.lines):
            if used + block.line_height > page_height:
                page, used = page + 1, 0
            used += block.line_height
    return Position(page, used)


@dataclass
class ImprintPlacement:
    """Where the 版记 goes: on the body's last page, or alone on the next even page (blank pages unnumbered)."""

    blank_pages: int     # 0: under the body; 1: on the next page; 2: a blank page, then the 版记 page
    body_pages: int

    @property
    def last_page(self) -> int:
        return self.body_pages + self.blank_pages


def imprint_placement(end: Position, imprint_height: int, page_height: int = spec.TEXT_HEIGHT,
                      slack: int = spec.LINE_PITCH) -> ImprintPlacement:
    """The 版记 sits at the foot of the last page, which must be even for double-sided printing.

    `slack` keeps a line free between the body and the 版记, so that a line the estimate missed does
    not push the body under it."""
    fits = end.used + slack + imprint_height <= page_height
    if end.page % 2 == 0:
        return ImprintPlacement(0 if fits else 2, end.page)
    return ImprintPlacement(1, end.page)
