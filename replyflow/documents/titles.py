"""Line breaks of a long title (标题回行): at word boundaries found by jieba, into balanced lines.

GB/T 9704 7.3.3: a title that runs over one line breaks where the sense allows, in lines of
similar length. jieba finds the words; numbers with their measure words (十一届, 第十二届,
第0294号, 〔2025〕) and the names handed in (proposers, organs) are never cut.
"""
import logging
import re
from functools import lru_cache

import jieba

from . import dictionary, spec
from .layout import NO_LINE_END, NO_LINE_START, text_width

jieba.setLogLevel(logging.WARNING)

_N = "零〇一二三四五六七八九十百千万两0-9０-９"
#: spans no line may break inside
UNBREAKABLE = [
    re.compile(rf"第?[{_N}]+届(?:人大|政协|人大常委会)?(?:第?[{_N}]+次(?:全体)?会议)?"),  # 十五届四次会议, 第十二届
    re.compile(rf"第?[{_N}]+次(?:全体)?会议"),                                            # 五次会议
    re.compile(rf"第?[{_N}]+(?:次|号|件|项|条|批|期|年|月|日|个|名|位)"),  # 四次, 第0294号, 2025年
    re.compile(r"[〔\[（(][0-9０-９]{4}[〕\]）)][0-9０-９]*号?"),         # 〔2025〕24号
    re.compile(r"[A-Za-z0-9０-９][A-Za-z0-9０-９.\-]*"),                # 2025D048, 5G
]
#: a break after these reads naturally (关于…的 / …提案 | 的答复)
_GOOD_END = ("的", "关于", "关于对", "提案", "建议", "、", "，")
#: the ends of place names, which jieba often cuts off the name (海门|区, 指前|镇): no break before them
PLACE_ENDS = ("省", "市", "区", "县", "镇", "乡", "村", "州", "旗", "盟", "路", "街", "巷", "湖", "河", "街道", "社区",
              "大道", "小区", "新区", "园区", "开发区", "高新区", "自治州", "自治县")
#: a 《书名》 or a “quoted phrase” is one unit, where it fits on a line
BOOK_TITLE = re.compile(r"《[^《》]*》|“[^“”]*”")


@lru_cache(maxsize=1)
def _cutter():
    return dictionary.tokenizer()   # jieba over its dictionary kept compact: 8 MB a worker, not 55


def break_points(title: str, names: tuple[str, ...] = (), whole_books: bool = True) -> list[int]:
    """Offsets where a line of `title` may end: word boundaries outside numbers, names, place names and 禁则, and
    (with `whole_books`) outside a 《书名》 that fits on a line."""
    bounds, pos, blocked = set(), 0, set()
    for word in _cutter().cut(title, HMM=True):
        if pos and word in PLACE_ENDS and "\u4e00" <= title[pos - 1] <= "\u9fff":
            blocked.add(pos)
        pos += len(word)
        bounds.add(pos)
    bounds.discard(len(title))
    for m in BOOK_TITLE.finditer(title) if whole_books else ():
        if text_width(m.group()) <= title_capacity():
            blocked.update(range(m.start() + 1, m.end()))
    for pattern in UNBREAKABLE:
        for m in pattern.finditer(title):
            blocked.update(range(m.start() + 1, m.end()))
    for name in names:
        if len(name) < 2:
            continue
        start = title.find(name)
        while start >= 0:
            blocked.update(range(start + 1, start + len(name)))
            start = title.find(name, start + 1)
    return sorted(b for b in bounds if b not in blocked and 0 < b < len(title)
                  and title[b] not in NO_LINE_START and title[b - 1] not in NO_LINE_END)


def title_capacity(size_pt: float = spec.TITLE_SIZE_PT) -> float:
    """Characters a title line may hold: the text width less one character (glyph widths vary by font)."""
    return spec.TEXT_WIDTH / 20 / size_pt - 1


#: how much longer than the shortest a title's line may be and still count as balanced (排列对称), in characters
BALANCE = 6


def balanced(lines: list[str]) -> bool:
    widths = [text_width(line) for line in lines]
    return len(widths) == 1 or max(widths) - min(widths) <= BALANCE


def balance_title(title: str, names: tuple[str, ...] = (), size_pt: float = spec.TITLE_SIZE_PT) -> list[str]:
    """The title's lines: as few as fit, as even as the word boundaries allow; a 《书名》 stays on one line unless
    keeping it whole leaves the lines uneven (then it breaks between its words too)."""
    whole = _balance(title, break_points(title, names), size_pt)
    if balanced(whole):
        return whole
    split = _balance(title, break_points(title, names, whole_books=False), size_pt)
    return split if balanced(split) or len(split) < len(whole) else whole


def _balance(title: str, breaks: list[int], size_pt: float) -> list[str]:
    capacity = title_capacity(size_pt)
    if text_width(title) <= capacity:
        return [title]
    points = [0] + breaks + [len(title)]
    widths = [text_width(title[:p]) for p in points]
    n = len(points)
    lines = max(2, int(text_width(title) // capacity) + 1)
    while lines <= n - 1:
        target = widths[-1] / lines
        # best[k][j]: least cost of setting title[:points[j]] in k lines ending at break j
        best = [[None] * n for _ in range(lines + 1)]
        best[0][0] = (0.0, None)
        for k in range(1, lines + 1):
            for j in range(1, n):
                for i in range(j):
                    if best[k - 1][i] is None:
                        continue
                    width = widths[j] - widths[i]
                    if width > capacity:
                        continue
                    natural = 0.0 if title[:points[j]].endswith(_GOOD_END) or j == n - 1 else 0.8
                    cost = best[k - 1][i][0] + (width - target) ** 2 + natural
                    if best[k][j] is None or cost < best[k][j][0]:
                        best[k][j] = (cost, i)
        if best[lines][n - 1] is not None:
            cuts, j = [], n - 1
            for k in range(lines, 0, -1):
                i = best[k][j][1]
                cuts.append(title[points[i]:points[j]])
                j = i
            return cuts[::-1]
        lines += 1
    return [title]  # no boundaries at all: one line, the checker will say it is too long


def breaks_inside_words(lines: list[str], names: tuple[str, ...] = ()) -> list[str]:
    """Where a title set in `lines` breaks inside a word, a number, a name or a place ("十一|届", "海门|区"), or
    inside a 《书名》 that balanced lines could have kept whole."""
    title = "".join(lines)
    books_whole = all(not _inside_book(title, sum(map(len, ideal[:k + 1])))
                      for ideal in [balance_title(title, names)] for k in range(len(ideal) - 1))
    allowed = set(break_points(title, names, whole_books=books_whole))
    found, pos = [], 0
    for line in lines[:-1]:
        pos += len(line)
        if pos not in allowed:
            found.append(f"{title[max(0, pos - 3):pos]}|{title[pos:pos + 3]}")
    return found


def _inside_book(title: str, pos: int) -> bool:
    return any(m.start() < pos < m.end() for m in BOOK_TITLE.finditer(title))
