"""Which characters the documents' fonts can show: a reply holding one they cannot (an emoji, a rare character
outside them) prints an empty box, so it is refused when the draft is saved, named.

The set is what both faces the PDFs are set in hold (Noto Serif CJK SC and Noto Sans CJK SC, the stand-ins for
仿宋_GB2312, 方正小标宋简体, 黑体 and 楷体_GB2312), kept in glyphs.txt as ranges of code points. Rebuild it where
the fonts are installed with `python -m replyflow.documents.glyphs`.
"""
import bisect
import subprocess
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("glyphs.txt")
FACES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
#: what a document holds besides printing characters: line breaks and tabs (table cells), the zero-width space of
#: a breakable address
ALWAYS = frozenset("\n\t\u200b")


@lru_cache(maxsize=1)
def _ranges() -> tuple[list[int], list[int]]:
    starts, ends = [], []
    for item in DATA.read_text(encoding="ascii").split():
        low, _, high = item.partition("-")
        starts.append(int(low, 16))
        ends.append(int(high or low, 16))
    return starts, ends


def shown(ch: str) -> bool:
    if ch in ALWAYS:
        return True
    starts, ends = _ranges()
    i = bisect.bisect_right(starts, ord(ch)) - 1
    return i >= 0 and ord(ch) <= ends[i]


def name(ch: str) -> str:
    """How a refused character is named to a person: itself, its code point and its Unicode name."""
    return f"「{ch}」(U+{ord(ch):04X} {unicodedata.name(ch, '未命名字符')})"


def unshown(text: str) -> list[str]:
    """The characters of `text` the fonts cannot show, each once, in order."""
    return list(dict.fromkeys(ch for ch in text if not shown(ch)))


def _charset(face: str) -> set[int]:
    """The code points fontconfig says `face` has (fc-query reads the font's own table)."""
    path = subprocess.run(["fc-match", "-f", "%{file}", face], capture_output=True, text=True, check=True).stdout
    for index in range(12):
        out = subprocess.run(["fc-query", "-i", str(index), "-f", "%{family[0]}\t%{charset}", path],
                             capture_output=True, text=True)
        family, _, charset = out.stdout.partition("\t")
        if out.returncode == 0 and family == face:
            points = set()
            for item in charset.split():
                low, _, high = item.partition("-")
                points.update(range(int(low, 16), int(high or low, 16) + 1))
            return points
    raise SystemExit(f"{face} is not installed (apt-get install fonts-noto-cjk)")


def build() -> str:
    points = sorted(set.intersection(*(_charset(face) for face in FACES)))
    ranges, start = [], points[0]
    for previous, point in zip(points, points[1:] + [None]):
        if point != previous + 1:
            ranges.append(f"{start:x}" if start == previous else f"{start:x}-{previous:x}")
            start = point
    return "\n".join(" ".join(ranges[i:i + 12]) for i in range(0, len(ranges), 12)) + "\n"


if __name__ == "__main__":   # python -m replyflow.documents.glyphs: rebuild glyphs.txt from the installed fonts
    DATA.write_text(build(), encoding="ascii")
    print(f"wrote {DATA}", file=sys.stderr)
