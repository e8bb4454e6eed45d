"""Every generated document judged on its pages as LibreOffice sets them (the one checker, inspection.py): real
published replies, bodies ending at every line of a page, the hostile cases a document secretary found, and each of
them broken on purpose so that the checker is seen to fail it."""
import io
import json
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from replyflow.documents import glyphs, layout, reply
from replyflow.documents.inspection import PAGE, XML, inspect
from replyflow.documents.output import render_document
from replyflow.documents.pdf import docx_to_pdf
from replyflow.documents.punctuation import normalise
from replyflow.documents.reply import ReplyContent, render, render_with_layout, with_doc_number
from replyflow.documents.spec_file import content_from_spec
from replyflow.documents.titles import balance_title, breaks_inside_words

from .docx_tools import NS, elements, mutate, w

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "real_replies"
REAL = sorted(FIXTURES.glob("*.json")) + [ROOT / "docs" / "examples" / "reply.json"]
ARTICLE = [p.strip() for p in (ROOT / "replyflow" / "demo" / "seeds" / "article_talent.txt").read_text(
    encoding="utf-8").split("\n") if p.strip()]
needs_pdf = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                               reason="LibreOffice (soffice) and poppler-utils are not installed")
ORGANS = ["市委办公室", "市人大常委会办公室", "市政府办公室", "市政协办公室", "市发展和改革委员会", "市财政局",
          "市人力资源和社会保障局", "市科学技术局", "市教育局", "市工业和信息化局", "市商务局", "市住房和城乡建设局"]


def failed(inspection) -> list[str]:
    return [f"{r.rule}：{r.measured}" for r in inspection.failed]


def content(**changes) -> ReplyContent:
    base = dict(mark="南通市人力资源和社会保障局文件", doc_number="通人社〔2025〕112号",
                title="对市十六届人大五次会议第0078号建议的答复", salutation="陈姝伃代表：",
                body="你们提出的关于加强海外留学人才引进权益工作的建议收悉，现答复如下：",
                issuing_organ="南通市人力资源和社会保障局", issue_date=date(2025, 8, 25), answer_class="A",
                disclosure="公开", signer_name="张卫东", handler_name="李萍", phone="0513-85098012",
                cc="市人大常委会代表工作委员会、市政府办公室")
    base.update(changes)
    return ReplyContent(**base)


def checked(data: bytes):
    """`data` inspected on the pages LibreOffice sets (the kept-running one)."""
    return inspect(data, convert=docx_to_pdf)


# -- real published replies ----------------------------------------------------------------------------------

@needs_pdf
@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_every_real_reply_passes_on_the_page(app, path, tmp_path):
    spec = json.loads(path.read_text(encoding="utf-8"))
    # the published page seldom shows the 发文字号 the reply was sent with: one stands in for it
    spec.setdefault("doc_number", "示例办〔2025〕1号")
    source = tmp_path / path.name
    source.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "reply.docx"
    result = app.test_cli_runner().invoke(args=["render-reply", str(source), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    assert "版面检查：LibreOffice" in result.output and "FAIL" not in result.output
    inspection = inspect(out.read_bytes(), pdf=out.with_suffix(".pdf").read_bytes())
    assert inspection.mode == PAGE and not failed(inspection)
    # what was published is what the reader gets: every paragraph, the 署名 and the date as printed
    got = {re.sub(r"\s", "", e) for e in elements(out.read_bytes())}
    for paragraph in (p for p in spec["body"].split("\n\n") if p.strip() and "\t" not in p):
        assert re.sub(r"\s", "", normalise(paragraph.strip())[0]) in got
    if spec.get("issuer"):
        assert normalise(spec["issuer"])[0] in got
    if spec.get("written_date"):
        y, m, d = (int(x) for x in spec["written_date"].split("-"))
        assert f"{y}年{m}月{d}日" in got


# -- a body ending at every line of a page --------------------------------------------------------------------

LINE = "近年来，我市持续推进人才工作，取得了明显成效。"   # one line of the body
LONG = "下一步，我们将继续加强与各方面的沟通协调，" * 7 + "感谢您对人力资源和社会保障工作的关心和支持。"


def _ending(n: int, kind: int | None = None) -> ReplyContent:
    """A reply whose body ends n lines further on than the shortest, its last paragraph of `kind` (0 one line, 1 a
    heading, 2 many lines, 3 a heading of many lines; n's turn when None), a 抄送 of one to four lines, an
    印发机关 that wraps."""
    last = [LINE, "一、" + LONG[:60], LONG, "（二）把握区域发展大势。" + LONG][n % 4 if kind is None else kind]
    cc = "、".join(ORGANS[:1 + 3 * (n % 4)]) if n % 5 else None   # no 抄送: the wrapping 印发机关 alone
    organ = "南通市人力资源和社会保障局" if n % 3 else "南通市人力资源和社会保障局南通市人才工作领导小组办公室联合办公室"
    return content(body="\n".join([content().body] + [LINE] * n + [last]), cc=cc, issuing_organ=organ,
                   issuer="南通市人力资源和社会保障局")


@needs_pdf
def test_the_imprint_stands_on_an_even_last_page_for_a_body_ending_at_every_line(app):
    """From the estimate alone (no second rendering from LibreOffice's measure): the 版记 at the foot of the even
    last page, under the body, nothing below its bottom rule; the 署名 never alone, whatever line the body ends on."""
    from replyflow.documents.checker import Checker

    ends = set()
    # one line more each time over two pages (a short last paragraph), then long last paragraphs and headings
    for n, kind in [(n, 0) for n in range(0, 46)] + [(n, kind) for n in range(0, 22, 3) for kind in (1, 2, 3)]:
        data, _ = render_with_layout(_ending(n, kind))
        inspection = checked(data)
        assert inspection.mode == PAGE and not failed(inspection), (n, kind, failed(inspection))
        if kind == 0:   # where the body's text would end were nothing kept with the 署名: page and line
            checker = Checker(data)
            body = [p for p in checker.m.top_paragraphs if checker.m.style_id(p) == "RFBody"]
            end = checker._estimated_end(body[-1])
            ends.add((end.page % 2, -(-end.used // layout.spec.LINE_PITCH)))
    # it ended on every line of a page, odd and even
    assert ends >= {(odd, line) for odd in (0, 1) for line in range(1, 23)}, sorted(ends)


def test_the_estimate_sees_the_signature_move_with_the_bodys_last_lines():
    """A long last paragraph with no room under it for the 署名 is parted where its last two lines begin: they go
    along and read as the same paragraph; the 署名, the date and the notes keep together."""
    parted = 0
    for n in range(0, 30):
        c = _ending(n)
        data, _ = render_with_layout(c)
        last = layout.breakable(c.body.split("\n")[-1]).replace("\u200b", "")
        assert last in elements(data)
        root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
        parted += len(root.findall(".//w:jc[@w:val='distribute']", NS))
        tail = [p for p in root.iter(w("p")) if p.find("w:pPr/w:pStyle", NS) is not None and
                p.find("w:pPr/w:pStyle", NS).get(w("val")) in ("RFSignature", "RFDate")]
        assert all(p.find("w:pPr/w:keepNext", NS) is not None for p in tail)
    assert parted   # some ends left no room: a paragraph was parted


# -- the hostile cases, and each broken on purpose ---------------------------------------------------------

def _styles(change):
    return lambda data: mutate(data, "word/styles.xml", change)


def _document(change):
    return lambda data: mutate(data, "word/document.xml", change)


def _anchor_in_last_text_paragraph(root):
    """The construction the 版记 vanished with: its box anchored in the body's last (multi-line) paragraph."""
    body = root.find(w("body"))
    anchor = [p for p in body if p.tag == w("p") and p.find(".//wp:anchor", NS) is not None][-1]
    run = next(r for r in anchor if r.tag == w("r"))
    texts = [p for p in body if p.tag == w("p") and "".join(t.text or "" for t in p.iter(w("t"))).strip()
             and p.find(".//wp:anchor", NS) is None]
    texts[-1].append(run)
    body.remove(anchor)
    for p in body.iter(w("p")):
        ppr = p.find(w("pPr"))
        for tag in ("keepNext", "keepLines"):
            for el in ppr.findall(w(tag)) if ppr is not None else []:
                ppr.remove(el)


def _overflow_punct_off(root):
    for ppr in root.iter(w("pPr")):
        for el in ppr.findall(w("overflowPunct")):
            el.set(w("val"), "0")


def _no_keep(root):
    for tag in ("keepNext", "keepLines"):
        for el in list(root.iter(w(tag))):
            el.getparent().remove(el)


def _imprint_box_one_line(root):
    extent = next(root.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"))
    extent.set("cy", str(579 * 635))
    for el in root.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}ext"):
        el.set("cy", str(579 * 635))
    body = next(root.iter("{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}bodyPr"))
    body.set("anchor", "t")


def _no_zero_width_spaces(root):
    for t in root.iter(w("t")):
        if t.text:
            t.text = t.text.replace("\u200b", "")


def _no_signature(root):
    for p in list(root.iter(w("p"))):
        if p.find("w:pPr/w:pStyle[@w:val='RFSignature']", NS) is not None or \
                p.find("w:pPr/w:pStyle[@w:val='RFDate']", NS) is not None:
            p.getparent().remove(p)


def _emoji_in_body(root):
    t = next(t for p in root.iter(w("p")) if p.find("w:pPr/w:pStyle[@w:val='RFBody']", NS) is not None
             for t in p.iter(w("t")))
    t.text += "👍"


def _title_broken_in_a_place_name(root):
    title = next(p for p in root.iter(w("p")) if p.find("w:pPr/w:pStyle[@w:val='RFTitle']", NS) is not None)
    for run in title.findall("w:r", NS):
        title.remove(run)
    for i, text in enumerate(["关于对海门区老旧小区加装电梯工作的建议（海门", "区人大）的答复"]):
        if i:
            title.append(etree.fromstring(f'<w:r xmlns:w="{NS["w"]}"><w:br/></w:r>'))
        title.append(etree.fromstring(f'<w:r xmlns:w="{NS["w"]}"><w:t>{text}</w:t></w:r>'))


# (name, content, what breaks it, the rule that must then fail)
HOSTILE = [
    ("eight short paragraphs to a deputy, with 抄送",
     content(body="\n".join(p for p in ARTICLE[1:9] if len(p) < 240) + "\n" + "共同为城市发展做贡献。" * 9,
             signer_name=None, handler_name=None, phone=None),
     _document(_anchor_in_last_text_paragraph), "版记每行在末页、页码区之上"),
    ("a 36-character 印发机关",
     content(issuing_organ="中共南通市委人才工作领导小组办公室南通市人力资源和社会保障局联合办", cc="、".join(ORGANS[:6]),
             issuer="南通市人力资源和社会保障局"),
     _document(_imprint_box_one_line), "版记每行在末页、页码区之上"),
    ("commas and 顿号 at line ends",
     content(body="一" * 26 + "，" + "二" * 28 + "、" + "三" * 28 + "，完。\n" + "四" * 26 + "、" + "五" * 28 + "，止。"),
     _styles(_overflow_punct_off), "PDF 中正文一字不缺（含行末标点）"),
    ("a web and a mail address",
     content(body="政策全文请登录www.nantong-talent-service-center.gov.cn查阅，或致信"
                  "talent.service.center.2025@rsj.nantong.gov.cn咨询，我们将在5个工作日内答复。"),
     _document(_no_zero_width_spaces), "行内字距不被拉开（网址、邮箱等长串不撑开整行）"),
]


def _two_lines_left() -> ReplyContent:
    """A reply whose body leaves two lines on its page: a blank line and the 署名 there, the date on the next page,
    unless they are kept together with the body (the seal's second blank line has given way already)."""
    from replyflow.documents.checker import Checker

    for n in range(0, 40):
        c = content(body="\n".join([content().body] + [LINE] * n), signer_name=None, handler_name=None, phone=None)
        data = render(c)
        checker = Checker(data)
        body = [p for p in checker.m.top_paragraphs if checker.m.style_id(p) == "RFBody"]
        end = checker._estimated_end(body[-1])
        if (layout.spec.TEXT_HEIGHT - end.used) // layout.spec.LINE_PITCH == 2:
            return c
    raise AssertionError("no body leaves two lines")


@needs_pdf
def test_the_signature_at_a_pages_foot_is_kept_with_the_body():
    """The 办理工作情况报告's defect: the 署名 at the foot of a page and the date alone on the next."""
    rendered = render_document(_two_lines_left(), convert=docx_to_pdf)
    assert not failed(rendered.inspection), failed(rendered.inspection)
    broken = checked(_document(_no_keep)(rendered.docx))
    assert "署名和成文日期与正文同页（不单独成页）" in [r.rule for r in broken.failed], failed(broken)


@needs_pdf
@pytest.mark.parametrize("name,c,breaking,rule", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_cases_pass_and_their_broken_variants_fail(name, c, breaking, rule):
    rendered = render_document(c, convert=docx_to_pdf)
    assert rendered.inspection.mode == PAGE and not failed(rendered.inspection), failed(rendered.inspection)
    broken = checked(breaking(rendered.docx))
    assert rule in [r.rule for r in broken.failed], (rule, failed(broken))


def test_the_xml_rules_fail_what_the_pages_cannot_show():
    good = render(content())
    assert not failed(inspect(good))
    for breaking, rule in ((_document(_no_signature), "发文机关署名和成文日期（GB/T 9704 7.3.5）"),
                           (_document(_emoji_in_body), "每个字都能以公文字体显示（无表情符号、无字库外生僻字）"),
                           (_document(_title_broken_in_a_place_name), "标题回行词意完整（不拆词、数字、届次）")):
        broken = inspect(breaking(good))
        assert broken.mode == XML and rule in [r.rule for r in broken.failed], failed(broken)
    found = next(r for r in inspect(_document(_emoji_in_body)(good)).failed if "字体" in r.rule)
    assert "U+1F44D" in found.measured and "THUMBS UP SIGN" in found.measured


@needs_pdf
def test_the_signature_does_not_stand_alone_when_the_body_fills_its_page():
    """The 办理工作情况报告's defect: 署名 at the foot of one page, the date alone on the next. Bodies whose end leaves
    0, 1, 2 … lines on the page: the 署名 and the date together, with the body."""
    for extra in range(0, 6):
        c = content(body="\n".join([content().body] + [ARTICLE[2]] * 2 + [LINE] * (3 + extra) + [ARTICLE[3]]),
                    signer_name=None, handler_name=None, phone=None, cc=None)
        rendered = render_document(c, convert=docx_to_pdf)
        assert not failed(rendered.inspection), (extra, failed(rendered.inspection))


# -- pieces ---------------------------------------------------------------------------------------------------

def test_two_tables_a_blank_line_apart_stay_two_tables(tmp_path):
    spec = {"department": "常州市教育局", "title": "关于对第0101号建议的答复", "salutation": "王伟代表：",
            "body": "现将数据报告如下：\n\n学校\t学位\n一中\t1200\n二中\t900\n\n年份\t投入\n2024\t1.2亿\n2025\t1.5亿\n\n以上。",
            "issue_date": "2025-07-01", "doc_number": "常教〔2025〕3号"}
    document = Document(io.BytesIO(render(content_from_spec(spec))))
    assert [len(t.rows) for t in document.tables] == [3, 3]
    assert document.tables[1].rows[0].cells[0].text == "年份"


def test_titles_break_between_words_and_not_inside_a_book_title_or_a_place():
    for title in ("对《关于加快推进南通市海门区老旧小区加装电梯工作的建议》的答复",
                  "关于对黑龙江省哈尔滨市松北区和齐齐哈尔市建华区之间“哈齐一体化”发展的建议的答复",
                  "关于对金坛区指前镇和直溪镇农村公路提档升级的建议的答复",
                  "关于对《关于推进人才工作的建议》的答复",
                  "关于落实《常州市促进青年人才集聚若干措施》进一步优化人才服务的建议的答复"):
        lines = balance_title(title)
        assert "".join(lines) == title and not breaks_inside_words(lines), lines
        widths = [layout.text_width(line) for line in lines]
        assert max(widths) - min(widths) <= 6, lines
    assert breaks_inside_words(["关于对海门", "区人才工作的建议的答复"])
    assert breaks_inside_words(["关于对《关于推进人才", "工作的建议》的答复"])


def test_addresses_and_digits_after_a_closing_mark_may_end_a_line():
    text = layout.breakable("详见www.cz.gov.cn，2025年；邮箱rc@cz.gov.cn。")
    assert text.count("\u200b") >= 6 and text.replace("\u200b", "") == "详见www.cz.gov.cn，2025年；邮箱rc@cz.gov.cn。"
    assert "，\u200b2025" in text
    lines = layout.wrap(layout.breakable("甲" * 22 + "http://www.example.com/a/b/c"), 28, 26)
    assert len(lines[0]) > 22   # the address began on the first line (its parts may end one)


def test_a_character_the_fonts_lack_is_named():
    assert glyphs.unshown("陈姝伃代表：您好😀，𠀀。") == ["😀", "𠀀"]
    assert glyphs.name("😀") == "「😀」(U+1F600 GRINNING FACE)"
    assert not glyphs.unshown("①②℃％…—“”《》·×°ⅠⅡ2025年Ａ")


def test_the_number_taken_at_signing_is_written_in_once():
    data = render(content(doc_number="通人社〔2025〕9999号"))
    signed = with_doc_number(data, "通人社〔2025〕9999号", "通人社〔2025〕113号")
    assert "通人社〔2025〕113号" in elements(signed) and "通人社〔2025〕9999号" not in elements(signed)
    assert with_doc_number(signed, "通人社〔2025〕113号", "通人社〔2025〕113号") is signed
    with pytest.raises(ValueError):
        with_doc_number(data, "通人社〔2025〕1号", "通人社〔2025〕2号")
    assert reply.imprint_height(content(issuing_organ="中共南通市委人才工作领导小组办公室南通市人力资源和社会保障局联合办")) \
        > reply.imprint_height(content())


@needs_pdf
def test_a_body_ending_in_a_table_keeps_rows_with_the_signature():
    """The table's last rows go along with the 署名 where it has no room under the table (a table of their own,
    the header repeated, on the next page); a body of 1 to 34 rows."""
    for rows in range(1, 35, 3):
        table = "\n".join(["年份\t引进人数\t其中博士"] + [f"{2000 + i}\t{1000 + i}\t{100 + i}" for i in range(rows)])
        c = content(body=f"你们提出的建议收悉，现将有关数据报告如下：\n{table}")
        rendered = render_document(c, convert=docx_to_pdf)
        assert not failed(rendered.inspection), (rows, failed(rendered.inspection))


def test_a_signature_too_long_for_its_line_is_refused_by_name(app, tmp_path):
    spec = json.loads((ROOT / "docs" / "examples" / "reply.json").read_text(encoding="utf-8"))
    spec["issuer"] = "中共常州市委人才工作领导小组办公室常州市人力资源和社会保障局联合办公室"
    path = tmp_path / "long.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["render-reply", str(path), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 1 and "一行放不下" in result.output and "issuer" in result.output


def test_a_half_width_mark_after_an_address_is_the_sentences():
    text = normalise("请登录www.cz.gov.cn,或发邮件至rc@cz.gov.cn;我们(见附件)答复")[0]
    assert text == "请登录www.cz.gov.cn，或发邮件至rc@cz.gov.cn；我们（见附件）答复"
    soft = layout.breakable(text)
    assert soft.replace("\u200b", "") == text and "\u200b，" not in soft and "\u200b；" not in soft


@needs_pdf
def test_a_libreoffice_that_fails_fails_the_check_saying_so(app, world, browser, tmp_path):
    from replyflow.extensions import db as database

    from .factories import make_case

    s = make_case(world, "awaiting_signoff")
    database.session.commit()
    cache = app.config["PDF_CACHE_PATH"]
    app.config.update(SOFFICE="/bin/false", PDF_KEEP_RUNNING=False, PDF_CACHE_PATH=str(tmp_path))
    try:
        signer = browser("wuyin")
        page = signer.follow(signer.post(f"/assignments/{s.assignments[0].id}/reply/sign", {"comment": ""},
                                         expect=302))
        check = browser("luoyang").page(f"/replies/{s.assignments[0].current_reply.id}/check")
    finally:
        app.config.update(SOFFICE=None, PDF_KEEP_RUNNING=True, PDF_CACHE_PATH=cache)
    assert "暂不能签发" in page and "系统管理员" in page
    assert "未能按排出的页面检查" in check and "在 LibreOffice 中排出页面" in check
    database.session.expire_all()
    assert s.assignments[0].state == "awaiting_signoff"
