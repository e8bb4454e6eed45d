"""The titles' dictionary: jieba's words kept compact give jieba's own segmentation, in a fraction of its memory."""
import subprocess
import sys
import tempfile
from pathlib import Path

import jieba
import pytest

from replyflow.documents import dictionary

SEEDS = Path(__file__).resolve().parents[1] / "replyflow" / "demo" / "seeds"
TITLES = [
    "关于加快推进老旧小区加装电梯工作的建议", "关于优化中心城区公交线网布局的建议", "关于加大青年科技人才支持力度的建议",
    "关于加强中小学生心理健康教育的建议", "市政协十五届四次会议第0294号提案", "关于建设人才公寓、完善引才留才政策的提案",
    "对市十七届人大四次会议第2025D048号建议的答复", "九三学社常州市委员会关于以人工智能赋能政务服务的提案",
]


@pytest.fixture(scope="module")
def jiebas():
    full = jieba.Tokenizer()
    full.initialize()
    return full, dictionary.tokenizer()


def test_the_compact_dictionary_cuts_as_jieba_does(jiebas):
    full, compact = jiebas
    texts = TITLES + [line.strip() for seed in sorted(SEEDS.glob("*.txt"))
                      for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()][:150]
    assert len(texts) > 100
    for text in texts:
        for hmm in (True, False):
            assert list(compact.cut(text, HMM=hmm)) == list(full.cut(text, HMM=hmm)), text
    assert compact.total == full.total and compact.FREQ.get("人才") == full.FREQ["人才"]
    assert "人才公" not in compact.FREQ and compact.FREQ.get("人工智") == 0 == full.FREQ.get("人工智")   # a prefix


def test_it_takes_a_fraction_of_jiebas_memory():
    """Measured in fresh processes: RSS grown by loading each dictionary."""
    probe = ("import sys; sys.path.insert(0, {root!r})\n"
             "def rss(): return int([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1])\n"
             "import jieba, logging; jieba.setLogLevel(logging.WARNING)\n"
             "from replyflow.documents import dictionary\n"
             "before = rss(); {load}; print(rss() - before)")
    root = str(Path(__file__).resolve().parents[1])

    def grown(load):
        out = subprocess.run([sys.executable, "-c", probe.format(root=root, load=load)], capture_output=True, text=True,
                             check=True).stdout
        return int(out.split()[-1]) / 1024

    compact, full = grown("dictionary.tokenizer()"), grown("jieba.initialize()")
    assert compact < 15 and full > 3 * compact, (compact, full)


def test_a_file_that_is_not_whole_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    first = dictionary.load()
    words, arrays = dictionary._paths()
    assert words.parent == tmp_path and arrays.exists()
    arrays.write_bytes(arrays.read_bytes()[:1000])   # a build cut short (disk full, killed)
    again = dictionary.load()
    assert again.count == first.count and again.get("人才") == first.get("人才")
    words.write_text(words.read_text(encoding="utf-8")[:-500], encoding="utf-8")
    assert dictionary.load().get("人才") == first.get("人才")


def test_without_a_compact_dictionary_jiebas_own_is_used(monkeypatch):
    monkeypatch.setattr(dictionary, "SOURCE", Path("/nonexistent/dict.txt"))
    cutter = dictionary.tokenizer()
    assert isinstance(cutter.FREQ, dict) and list(cutter.cut("关于加快人才公寓建设的建议"))
