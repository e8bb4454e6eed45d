"""Chinese punctuation in Chinese text: half-width marks typed or pasted next to Chinese become full-width.

GB/T 15834 sets Chinese text with full-width marks. A `,` `:` `;` `?` `!` or a pair of `( )` next to
a Chinese character is changed, and a `.` ending a Chinese sentence; inside numbers (1,000 / 10:30),
web and mail addresses and English phrases it is left alone. Straight quotes in Chinese text pair as “” and ‘’.
"""
import re
from dataclasses import dataclass

FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
#: a web or mail address: ASCII only, never ending in a mark (the `,` after one is the sentence's)
ADDRESS = re.compile(r"(?:(?:https?|ftp)://|www\.)[!-~]*[A-Za-z0-9/#=&_~-]"
                     r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
#: tokens left exactly as typed: addresses, times, numbers with separators, file names
_PROTECTED = re.compile(ADDRESS.pattern + r"|\d+(?:[,:.]\d+)+")


def is_chinese(ch: str) -> bool:
    """A CJK ideograph or full-width Chinese punctuation (what makes the neighbourhood Chinese)."""
    if not ch:
        return False
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E \
        or ch in "“”‘’…—"


@dataclass(frozen=True)
class Change:
    position: int
    old: str
    new: str
    context: str

    def __str__(self):
        return f"“{self.old}”→“{self.new}”（{self.context}）"


def _neighbour(text, i, step):
    """The nearest character that is not a space, looking left (step −1) or right (+1)."""
    j = i + step
    while 0 <= j < len(text) and text[j] in " \u00a0":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _protected_mask(text):
    mask = [False] * len(text)
    for m in _PROTECTED.finditer(text):
        for k in range(m.start(), m.end()):
            mask[k] = True
    return mask


def _paren_pairs(text, mask):
    pairs, stack = [], []
    for i, ch in enumerate(text):
        if mask[i]:
            continue
        if ch in "(（":
            stack.append(i)
        elif ch in ")）" and stack:
            pairs.append((stack.pop(), i))
    return pairs


def _ends_sentence(text, i) -> bool:
    """A "." right after Chinese that ends a sentence: the line ends, or Chinese follows; not "..." nor
    a decimal point, an abbreviation or a file name (English follows)."""
    after = text[i + 1:i + 2]
    if after == "." or (i >= 1 and text[i - 1] == "."):
        return False
    return after in ("", " ", "\u00a0") or is_chinese(after)


def _halfwidth_positions(text):
    """Offsets of half-width marks that stand in Chinese text, with what they should be."""
    mask = _protected_mask(text)
    found = {}
    for i, ch in enumerate(text):
        if ch in ",:;?!" and not mask[i]:
            # a mark belongs to the text before it; Chinese right after it (no space) counts too:
            # "使用Python,并且" is Chinese, "Hello, world! 这是" is not
            left, right = _neighbour(text, i, -1), text[i + 1] if i + 1 < len(text) else ""
            if is_chinese(left) or is_chinese(right):
                found[i] = FULL[ch]
        elif ch == "." and not mask[i] and is_chinese(text[i - 1] if i else "") and _ends_sentence(text, i):
            found[i] = "。"
    for start, end in _paren_pairs(text, mask):
        if text[start] == "(" or text[end] == ")":
            inside = text[start + 1:end]
            chinese = any(is_chinese(c) for c in inside) or (start and is_chinese(text[start - 1])) \
                or (end + 1 < len(text) and is_chinese(text[end + 1]))
            if chinese:
                if text[start] == "(":
                    found[start] = "（"
                if text[end] == ")":
                    found[end] = "）"
    return found


def _quote_positions(text):
    """Quotes in Chinese text, re-paired as “…” / ‘…’ in the order they stand."""
    found = {}
    for straight, (opening, closing) in (('"', "“”"), ("'", "‘’")):
        marks = [i for i, ch in enumerate(text) if ch in (straight, opening, closing)]
        chinese = [i for i in marks if text[i] != straight or is_chinese(_neighbour(text, i, -1))
                   or is_chinese(_neighbour(text, i, 1))]
        if straight == "'":  # an apostrophe inside an English word (don't) is not a quote
            chinese = [i for i in chinese if not (text[i] == "'" and i and text[i - 1].isascii()
                                                 and text[i - 1].isalpha() and i + 1 < len(text)
                                                 and text[i + 1].isascii() and text[i + 1].isalpha())]
        if len(chinese) % 2:
            # an odd count cannot be paired with certainty: only straight ones next to Chinese are turned,
            # by which side the Chinese text is on
            for i in chinese:
                if text[i] == straight:
                    found[i] = opening if is_chinese(_neighbour(text, i, 1)) else closing
            continue
        for n, i in enumerate(chinese):
            want = opening if n % 2 == 0 else closing
            if text[i] != want:
                found[i] = want
    return found


def _spaces_around(text, positions):
    """Spaces beside a mark that became full-width go too (full-width marks carry their own space)."""
    drop = set()
    for i in positions:
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(text) and text[j] == " ":
                drop.add(j)
                j += step
    return drop


def normalise(text: str) -> tuple[str, list[Change]]:
    """`text` with Chinese punctuation made full-width, and what was changed."""
    if not text:
        return text, []
    changes = []
    out_lines = []
    for line in text.split("\n"):
        found = {**_halfwidth_positions(line), **_quote_positions(line)}
        if not found:
            out_lines.append(line)
            continue
        drop = _spaces_around(line, [i for i in found if line[i] in FULL and found[i] in FULL.values()])
        result = []
        for i, ch in enumerate(line):
            if i in drop:
                continue
            if i in found:
                changes.append(Change(i, ch, found[i], line[max(0, i - 6):i + 7].strip()))
                result.append(found[i])
            else:
                result.append(ch)
        out_lines.append("".join(result))
    return "\n".join(out_lines), changes


def normalise_fields(values: dict, fields) -> tuple[dict, list[Change]]:
    """A copy of `values` with the text of `fields` normalised, and every change made."""
    values, changes = dict(values), []
    for name in fields:
        if isinstance(values.get(name), str):
            values[name], found = normalise(values[name].replace("\r\n", "\n"))
            changes += found
    return values, changes


def halfwidth_left(text: str) -> list[str]:
    """Half-width marks still standing in Chinese text, each with a little context (for the checker)."""
    return [str(c) for c in normalise(text)[1] if c.old in FULL]


def summary(changes: list[Change], limit: int = 5) -> str:
    """One line for the editor: how many marks were changed, and the first few."""
    if not changes:
        return ""
    shown = "；".join(str(c) for c in changes[:limit])
    more = f" 等 {len(changes)} 处" if len(changes) > limit else ""
    return f"已将 {len(changes)} 处标点改为中文全角：{shown}{more}。"
