"""jieba's dictionary in 8 MB instead of 55, for the titles' line breaks.

jieba keeps its 349,046 words and every prefix of them as a dict of Python strings: 518,000 objects, 55 MB in
each web worker, the largest part of one. The tokenizer only asks three things of that dict (is this a word
or a prefix of one, the word's frequency, the frequencies' total), so here the same words are one sorted
string with arrays of their offsets and frequencies, searched by bisection: the words found, and so every
segmentation, are jieba's own (tests/test_title_dictionary.py compares them).

The sorted form is built from jieba's dict.txt in a child process (0.6 s; the worker never holds the lists that
sorting needs) into the temporary folder, as jieba caches its own: once per machine, or once per start of a
systemd unit with PrivateTmp. A file that does not check out is built again; if building fails, jieba's own
dictionary is used.
"""
import array
import hashlib
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import jieba

SOURCE = Path(jieba.__file__).with_name("dict.txt")
#: part of the files' names: a new layout of them is never read by an older reader, nor the reverse
LAYOUT = 1
log = logging.getLogger(__name__)


class CompactFrequencies:
    """The mapping jieba's Tokenizer reads as FREQ: a word → its frequency, a prefix of words → 0."""

    def __init__(self, words: str, starts: array.array, frequencies: array.array, total: int):
        self.words, self.starts, self.frequencies, self.total = words, starts, frequencies, total
        self.count = len(frequencies)

    def _word(self, index: int) -> str:
        return self.words[self.starts[index]:self.starts[index + 1] - 1]   # each word ends in "\n"

    def _first_not_below(self, key: str) -> int:
        low, high = 0, self.count
        while low < high:
            middle = (low + high) // 2
            if self._word(middle) < key:
                low = middle + 1
            else:
                high = middle
        return low

    def get(self, key: str, default=None):
        index = self._first_not_below(key)
        if index == self.count:
            return default
        word = self._word(index)
        if word == key:
            return self.frequencies[index]
        return 0 if word.startswith(key) else default

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __getitem__(self, key: str) -> int:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found


def _paths() -> tuple[Path, Path]:
    stat = SOURCE.stat()
    tag = hashlib.sha256(f"{LAYOUT}:{SOURCE}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir())
    return folder / f"replyflow-jieba-{tag}.words", folder / f"replyflow-jieba-{tag}.arrays"


def build(words_path: Path, arrays_path: Path):
    """Write the sorted words and their offsets and frequencies (run in a child process)."""
    entries, total = {}, 0
    with SOURCE.open(encoding="utf-8") as source:
        for line in source:
            parts = line.split()
            if len(parts) >= 2:   # as jieba's gen_pfdict: a repeated word keeps its last frequency, all count
                entries[parts[0]] = int(parts[1])
                total += int(parts[1])
    words = sorted(entries)
    starts, frequencies, offset = array.array("I"), array.array("I", (entries[w] for w in words)), 0
    for word in words:
        starts.append(offset)
        offset += len(word) + 1
    starts.append(offset)
    suffix = f".{os.getpid()}.part"   # written aside and renamed: a concurrent reader never sees half a file
    words_part, arrays_part = Path(str(words_path) + suffix), Path(str(arrays_path) + suffix)
    words_part.write_text("".join(w + "\n" for w in words), encoding="utf-8")
    with arrays_part.open("wb") as out:
        array.array("Q", [len(frequencies), total]).tofile(out)
        starts.tofile(out)
        frequencies.tofile(out)
    os.replace(words_part, words_path)
    os.replace(arrays_part, arrays_path)


def _read(words_path: Path, arrays_path: Path) -> CompactFrequencies:
    with arrays_path.open("rb") as data:
        header = array.array("Q")
        header.fromfile(data, 2)
        count, total = header
        starts, frequencies = array.array("I"), array.array("I")
        starts.fromfile(data, count + 1)
        frequencies.fromfile(data, count)
        if data.read(1):
            raise ValueError("trailing data")
    words = words_path.read_text(encoding="utf-8")
    if starts[-1] != len(words) or not words.endswith("\n"):
        raise ValueError("the words do not match their offsets")
    return CompactFrequencies(words, starts, frequencies, total)


def load() -> CompactFrequencies:
    """The compact dictionary, built first when missing or not whole (EOFError, ValueError)."""
    paths = _paths()
    for attempt in range(2):
        if attempt or not all(path.exists() for path in paths):
            subprocess.run([sys.executable, "-m", "replyflow.documents.dictionary", *map(str, paths)],
                           check=True, cwd=Path(__file__).resolve().parents[2], capture_output=True)
        try:
            return _read(*paths)
        except (OSError, EOFError, ValueError):
            if attempt:
                raise
            log.warning("the compact jieba dictionary at %s is not whole: building it again", paths[0])


def tokenizer() -> jieba.Tokenizer:
    """A jieba Tokenizer over the compact dictionary, ready to cut; jieba's own if it cannot be had."""
    cutter = jieba.Tokenizer()
    try:
        frequencies = load()
    except (OSError, EOFError, ValueError, subprocess.CalledProcessError) as error:
        log.error("the compact jieba dictionary could not be built (%s): using jieba's own", error)
        cutter.initialize()
        return cutter
    cutter.FREQ, cutter.total, cutter.initialized = frequencies, frequencies.total, True
    return cutter


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
