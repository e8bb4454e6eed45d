"""Where the text of a reply falls on its pages, estimated the way Word and LibreOffice set it.

Every line of a reply has an exact height and the body a fixed character pitch, so the pages can be
counted before any office program opens the file: that decides whether the 版记 fits under the body's
last line or goes to the next even page. Rendering through LibreOffice confirms it (`pdfcheck`).
"""
from dataclasses import dataclass

from . import spec

#: characters that may not begin a line (行首禁则): the character before moves down with them
#: (w:overflowPunct off in Word; punctuation-wrap "simple" in LibreOffice's PDF)
NO_LINE_START = set("，。、；：？！）》〉」』】”’…—·%‰℃,.;:?!)]}")
#: characters that may not end a line: they move to the next one with what follows
NO_LINE_END = set("（《〈「『【“‘([{")


def char_width(ch: str) -> float:
    """Width in em: CJK and full-width characters 1, Latin letters and digits ½."""
    return 1 if ord(ch) > 0x2E7F else 0.5


def text_width(text: str) -> float:
    return sum(char_width(ch) for ch in text)


def _units(text: str) -> list[str]:
    """What a line may not break inside: a run of Latin letters and digits is one unit, a CJK character one."""
    units, word = [], ""
    for ch in text:
        if ch.isascii() and (ch.isalnum() or ch in "._-/@:%+#"):
            word += ch
            continue
        if word:
            units.append(word)
            word = ""
        units.append(ch)
    if word:
        units.append(word)
    return units


def wrap(text: str, width_em: float, first_width_em: float | None = None) -> list[str]:
    """Split a paragraph into the lines a layout engine would set (greedy, with 禁则, no hanging punctuation)."""
    lines, line, used = [], "", 0.0
    limit = width_em if first_width_em is None else first_width_em
    for unit in _units(text):
        w = text_width(unit)
        if used + w > limit + 1e-6 and line:
            carried = ""
            if unit in NO_LINE_START and len(line) > 1:
                carried, line = line[-1], line[:-1]   # no line starts with 。，、: one character goes along
            while len(line) > 1 and line[-1] in NO_LINE_END:
                carried = line[-1] + carried
                line = line[:-1]
            lines.append(line)
            line, used, limit = carried, text_width(carried), width_em
        line += unit
        used += w
    if line or not lines:
        lines.append(line)
    return lines


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
    keep: bool = False   # its lines stay on one page (签发人 / 经办人 / 联系电话 keep together)


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
        if block.keep and used + block.lines * block.line_height > page_height and used:
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
