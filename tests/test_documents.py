"""Reply documents: GB/T 9704-2012 rules on every generated reply, the seeds' content, frozen copies."""
import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from replyflow import clock
from replyflow.documents import spec
from replyflow.documents.base import build_base
from replyflow.documents.checker import check_docx, check_template
from replyflow.documents.punctuation import normalise as full_width
from replyflow.documents.reply import ReplyContent, render
from replyflow.documents.spec import BASE_TEMPLATE
from replyflow.documents.titles import balance_title
from replyflow.extensions import db
from replyflow.models import Department, Submission

from .docx_tools import elements, mutate, normalise, paragraphs, style, w
from .factories import make_case

SEEDS = Path(__file__).resolve().parents[1] / "replyflow" / "demo" / "seeds"
POLICY = (SEEDS / "policy_changqing.txt").read_text(encoding="utf-8")


def assert_all_rules_pass(data, settings=None):
    results = check_docx(data, settings)
    failed = [f"{r.rule}: {r.measured}" for r in results if not r.passed]
    assert not failed, failed
    assert len(results) >= 20
    return results


def content(**changes):
    base = dict(
        mark="中共常州市委人才工作领导小组办公室文件", doc_number="常人才办〔2025〕24号",
        title="关于对市政协十五届四次会议委员提案第0294号的答复", salutation="曹留俊委员：",
        body="你们提出的提案收悉，现答复如下：\n近年来，我们做了大量工作。", issuing_organ="中共常州市委人才工作领导小组办公室",
        issue_date=date(2025, 6, 16), answer_class="A", disclosure="不公开", signer_name="吴寅", handler_name="罗杨",
        phone="15951228660", cc="市委办公室、市政协提案委")
    base.update(changes)
    return ReplyContent(**base)


def seed_elements(text: str) -> list[str]:
    """The seed's paragraphs in order: markdown dropped, paragraphs cut by a page end joined again."""
    joined, in_body = [], False
    for block in re.split(r"\n\s*\n", text):
        for line in block.splitlines():
            line = line.strip().lstrip("#").strip()
            if not line or line == "---":
                continue
            if line.startswith("签发人"):
                in_body = False
            if in_body and not re.search(r"[。：；！？”]$", joined[-1]):
                joined[-1] += line
            else:
                joined.append(line)
            in_body = in_body or line.endswith(("委员：", "代表："))
    return [normalise(x) for x in joined]


@pytest.fixture
def demo(app, ctx):
    with clock.frozen(date(2026, 11, 23)):
        result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()

    def reply(number):
        s = db.session.scalar(select(Submission).where(Submission.number == f"{number:04d}"))
        return s.assignments[0].current_reply
    return reply


# -- the seed replies ------------------------------------------------------------------------------

def test_0294_reply_passes_every_rule_and_reads_like_the_seed(demo):
    reply = demo(294)
    data = reply.signed_docx
    assert data and hashlib.sha256(data).hexdigest() == reply.signed_sha256
    assert_all_rules_pass(data)
    seed = seed_elements((SEEDS / "reply_0294.txt").read_text(encoding="utf-8"))
    # the published copy prints no 署名 and date under the body; every reply signed here carries them (GB/T 9704
    # 7.3.5), right above the 签发人 line
    at = seed.index("签发人：吴寅")
    seed[at:at] = ["中共常州市委人才工作领导小组办公室", "2025年6月16日"]
    assert [normalise(e) for e in elements(data)] == seed


def test_0078_reply_passes_every_rule_and_carries_the_published_text(demo):
    reply = demo(78)
    assert_all_rules_pass(reply.signed_docx)
    got = [normalise(e) for e in elements(reply.signed_docx)]
    published = (SEEDS / "reply_0078.txt").read_text(encoding="utf-8")
    body = published.split("陈姝伃代表:", 1)[1].split("南通市人力资源和社会保障局\n\n2025年8月25日")[0]
    expected = ["对市十六届人大五次会议第0078号建议的答复", "陈姝伃代表：",
                *[p for p in (normalise(x) for x in body.split("\n")) if p],
                "南通市人力资源和社会保障局", "2025年8月25日"]
    title_at = got.index(expected[0])
    assert got[title_at:title_at + len(expected)] == expected
    assert "（公开）" in got and "南通市人力资源和社会保障局文件" in got


# -- variants that must pass as well ----------------------------------------------------------------

def test_long_title_breaks_into_balanced_lines():
    title = "关于对市政协十五届四次会议委员提案第0294号《关于进一步加强海外高层次人才引进和服务保障工作的建议》的答复"
    lines = balance_title(title)
    assert len(lines) == 3 and "".join(lines) == title
    data = render(content(title=title))
    assert_all_rules_pass(data)
    assert balance_title("对市十六届人大五次会议第0078号建议的答复") == ["对市十六届人大五次会议", "第0078号建议的答复"]


def test_four_heading_levels_and_a_six_page_body():
    body = POLICY.split("各辖市、区人民政府,常州经开区管委会,市各有关部门和单位:", 1)[1].split("常州市人民政府办公室")[0]
    assert len(body) > 3500  # six pages and more of 22 lines × 28 characters
    data = render(content(body=full_width(body)[0] + "\n（1）第四层次示例。\n（2）再一个。"))
    assert_all_rules_pass(data)
    styles = {p.style.name for p in Document(io.BytesIO(data)).paragraphs}
    assert {"公文-一级标题", "公文-二级标题", "公文-三级标题", "公文-四级标题"} <= styles
    doc = Document(io.BytesIO(data))
    heading2 = next(p for p in doc.paragraphs if p.style.name == "公文-二级标题")
    assert heading2.text.startswith("(一)") or heading2.text.startswith("（一）")


def test_empty_cc_letter_format_and_signature():
    assert_all_rules_pass(render(content(cc="")))
    assert_all_rules_pass(render(content(cc=None, signs=True)))
    letter = render(content(letter=True))
    results = assert_all_rules_pass(letter)
    assert any("信函格式" in r.rule for r in results)
    doc = Document(io.BytesIO(letter))
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert "中共常州市委人才工作领导小组办公室文件" in section.first_page_header.paragraphs[0].text
    assert "印发" not in " ".join(elements(letter))  # the letter format's 版记 carries no 印发 line


def test_control_characters_are_cleaned():
    data = render(content(title="标题\x01", salutation="曹留俊\x0b委员：", body="正文\x00第一段\x1f。\n\x07第二段。"))
    assert_all_rules_pass(data)
    text = " ".join(elements(data))
    assert "正文第一段。" in text and "\x00" not in text and "\x07" not in text


def test_class_marks_may_go_top_right():
    settings = spec.DocumentSettings(class_marks="right")
    data = render(content(), settings=settings)
    assert_all_rules_pass(data, settings)
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[0].text == "（A）" and doc.paragraphs[0].style.paragraph_format.alignment == 2  # RIGHT


def test_drafts_are_marked():
    data = render(content(draft=True))
    doc = Document(io.BytesIO(data))
    assert "草稿" in doc.sections[0].header.paragraphs[0].text
    assert_all_rules_pass(data)


def test_base_template_is_the_built_one_and_passes():
    assert BASE_TEMPLATE.exists()
    rebuilt = Document(io.BytesIO(build_base()))
    committed = Document(str(BASE_TEMPLATE))
    assert [s.name for s in rebuilt.styles] == [s.name for s in committed.styles]
    assert check_template(BASE_TEMPLATE.read_bytes()) == []


# -- the checker catches each rule broken ------------------------------------------------------------

def _set(el, path, attr, value):
    node = el.find(path, {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"})
    node.set(w(attr), value)


def _body(root):
    return root.find(w("body"))


def _sect(root):
    """The body's section (a 版记 page may follow in a section of its own)."""
    return next(root.iter(w("sectPr")))


def _blank_before(style_id):
    def change(root):
        target = paragraphs(root, style_id)[0]
        target.getprevious().getparent().remove(target.getprevious())
    return change


def _first_run_color(style_id, color):
    def change(root):
        run = paragraphs(root, style_id)[0].find(w("r"))
        rpr = run.find(w("rPr"))
        if rpr is None:
            rpr = run.makeelement(w("rPr"), {})
            run.insert(0, rpr)
        c = rpr.makeelement(w("color"), {w("val"): color})
        rpr.append(c)
    return change


def _text(style_id, new):
    def change(root):
        p = paragraphs(root, style_id)[0]
        ts = list(p.iter(w("t")))
        ts[0].text = new
        for t in ts[1:]:
            t.text = ""
    return change


BROKEN = [
    ("纸张 A4", "word/document.xml", lambda r: _set(_sect(r), "w:pgSz", "w", "12240")),
    ("页边距", "word/document.xml", lambda r: _set(_sect(r), "w:pgMar", "top", "1440")),
    ("themeFontLang", "word/settings.xml", lambda r: _set(r, "w:themeFontLang", "eastAsia", "ja-JP")),
    ("文档网格", "word/document.xml", lambda r: _set(_sect(r), "w:docGrid", "type", "linesAndChars")),
    ("发文机关标志字体", "word/styles.xml", lambda r: _set(style(r, "RFMark"), "w:rPr/w:rFonts", "eastAsia", "宋体")),
    ("标题字体", "word/styles.xml", lambda r: _set(style(r, "RFTitle"), "w:rPr/w:rFonts", "eastAsia", "黑体")),
    ("正文字体", "word/styles.xml", lambda r: _set(style(r, "RFBody"), "w:rPr/w:rFonts", "eastAsia", "SimSun")),
    ("一级标题字体", "word/styles.xml", lambda r: _set(style(r, "RFHeading1"), "w:rPr/w:rFonts", "eastAsia", "宋体")),
    ("二级标题字体", "word/styles.xml", lambda r: _set(style(r, "RFHeading2"), "w:rPr/w:rFonts", "eastAsia", "宋体")),
    ("页码字体", "word/styles.xml", lambda r: _set(style(r, "RFPageNumber"), "w:rPr/w:rFonts", "eastAsia", "黑体")),
    ("正文固定行距", "word/styles.xml", lambda r: _set(style(r, "RFBody"), "w:pPr/w:spacing", "after", "200")),
    ("每面22行、每行28字", "word/styles.xml", lambda r: _set(style(r, "RFBody"), "w:rPr/w:sz", "val", "30")),
    ("发文机关标志 红色", "word/styles.xml", lambda r: _set(style(r, "RFMark"), "w:rPr/w:color", "val", "000000")),
    ("发文机关标志上边缘", "word/document.xml",
     lambda r: _set(paragraphs(r, "RFMark")[0], "w:pPr/w:spacing", "before", "0")),
    ("发文字号", "word/document.xml", _text("RFDocNumber", "常人才办〔2025〕第24号")),
    ("发文字号", "word/document.xml", _blank_before("RFDocNumber")),
    ("红色分隔线", "word/document.xml",
     lambda r: _set(paragraphs(r, "RFDocNumber")[0], "w:pPr/w:pBdr/w:bottom", "space", "30")),
    ("标题", "word/styles.xml", lambda r: _set(style(r, "RFTitle"), "w:rPr/w:b", "val", "1")),
    ("标题", "word/document.xml", _blank_before("RFTitle")),
    ("主送机关", "word/document.xml", _text("RFSalutation", "曹留俊委员")),
    ("正文 两端对齐", "word/styles.xml", lambda r: _set(style(r, "RFBody"), "w:pPr/w:ind", "firstLine", "0")),
    ("层次序号", "word/document.xml", _text("RFHeading3", "一、被写成三级标题的一级标题")),
    ("成文日期", "word/document.xml", _text("RFDate", "2025年06月16日")),
    ("版记位于最后一面", "word/document.xml",
     lambda r: next(r.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}align"))
     .__setattr__("text", "top")),
    ("版记分隔线", "word/document.xml", lambda r: _set(next(r.iter(w("tblBorders"))), "w:insideH", "sz", "12")),
    ("版记位于最后一面版心最下方，分隔线与版心等宽", "word/document.xml",
     lambda r: _set(next(r.iter(w("tblPr"))), "w:tblW", "w", "8280")),
    ("版记框高", "word/document.xml", lambda r: next(r.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")).set("cy", "300000")),
    ("中文中无半角标点", "word/document.xml", _text("RFBody", "你们提出的提案收悉,现答复如下:")),
    ("标题回行词意完整", "word/document.xml", lambda r: [
        t.__setattr__("text", text) for t, text in zip(paragraphs(r, "RFTitle")[0].iter(w("t")),
                                                       ("关于对市政协十五届四次会议委员提", "案第0294号的答复"))]),
    ("发文机关署名以成文日期为准居中", "word/document.xml",
     lambda r: _set(paragraphs(r, "RFDate")[0], "w:pPr/w:ind", "right", "3000")),
    ("抄送", "word/document.xml", _text("RFImprint", "抄送：市委办公室")),
    ("印发机关居左", "word/document.xml", lambda r: [t.__setattr__("text", "2025年6月印发") for p in
                                                  paragraphs(r, "RFImprint") for t in p.iter(w("t")) if "印发" in t.text]),
    ("页码", "word/settings.xml", lambda r: r.remove(r.find(w("evenAndOddHeaders")))),
    ("只有发文机关标志和分隔线为红色", "word/document.xml", _first_run_color("RFTitle", "FF0000")),
]


@pytest.mark.parametrize("rule,part,change", BROKEN, ids=[f"{i:02d}-{b[0]}" for i, b in enumerate(BROKEN)])
def test_checker_catches_each_broken_rule(rule, part, change):
    body = "你们提出的提案收悉，现答复如下：\n一、基本情况。正文。\n（一）工作开展。正文。\n1. 措施。\n（1）细则。"
    good = render(content(body=body, signs=True))
    assert_all_rules_pass(good)
    broken = mutate(good, part, change)
    failed = [r.rule for r in check_docx(broken) if not r.passed]
    assert any(name.startswith(rule) for name in failed), (rule, failed)


def test_checker_reports_a_file_that_is_not_a_docx(tmp_path, app):
    with pytest.raises(ValueError, match="不是有效的 .docx"):
        check_docx(b"plain text")
    good, bad = tmp_path / "good.docx", tmp_path / "bad.docx"
    good.write_bytes(render(content()))
    bad.write_bytes(mutate(good.read_bytes(), "word/document.xml", lambda r: _set(_sect(r), "w:pgSz", "w", "12240")))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["check-docx", str(good)])
    assert result.exit_code == 0 and "PASS" in result.output and "FAIL" not in result.output
    result = runner.invoke(args=["check-docx", str(good), str(bad)])
    assert result.exit_code == 1 and "FAIL  纸张 A4" in result.output and "12240×16838" in result.output


# -- frozen signed copies, downloads, export, templates -------------------------------------------------

def test_signed_bytes_never_change(world, browser, tmp_path):
    s = make_case(world, "signed")
    db.session.commit()
    reply = s.assignments[0].current_reply
    frozen = reply.signed_docx
    handler = browser("luoyang")
    first = handler.get(f"/replies/{reply.id}/download").data
    second = handler.get(f"/replies/{reply.id}/download").data
    assert first == second == frozen and hashlib.sha256(first).hexdigest() == reply.signed_sha256
    assert reply.signed_sha256 in handler.page(f"/submissions/{s.id}")
    # the department changes its template and its mark; the signed copy stays as signed
    admin = browser("admin")
    template = Document(io.BytesIO(build_base()))
    template.core_properties.title = "人才办模板"
    buffer = io.BytesIO()
    template.save(buffer)
    admin.submit(f"/admin/departments/{world.talent.id}", f"/admin/departments/{world.talent.id}", {
        "name": world.talent.name, "doc_prefix": "常人才办", "header_title": "新的红头文件", "doc_format": "file",
        "active": "y"}, files={"template": (io.BytesIO(buffer.getvalue()), "人才办模板.docx")})
    db.session.expire_all()
    assert db.session.get(Department, world.talent.id).template_name == "人才办模板.docx"
    assert handler.get(f"/replies/{reply.id}/download").data == frozen
    # the CLI writes the same bytes
    out = tmp_path / "0294.docx"
    result = handler.client.application.test_cli_runner().invoke(
        args=["reply-docx", "--sitting", "市政协十五届四次会议", "--number", "294", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == frozen


def test_department_template_is_used_and_validated(world, browser):
    admin = browser("admin")
    url = f"/admin/departments/{world.education.id}"
    form = {"name": world.education.name, "doc_prefix": "常教", "header_title": "常州市教育局文件", "doc_format": "file",
            "active": "y"}
    plain = io.BytesIO()
    Document().save(plain)  # python-docx's own template: no reply styles, US Letter
    response = admin.submit(url, url, form, files={"template": (io.BytesIO(plain.getvalue()), "word默认.docx")},
                            expect=200)
    assert "缺少样式" in response.text
    response = admin.submit(url, url, form, files={"template": (io.BytesIO(b"not a docx"), "坏文件.docx")}, expect=200)
    assert "无法使用" in response.text
    db.session.expire_all()
    assert db.session.get(Department, world.education.id).template_docx is None
    # a valid template with the office's own touch: wider first-line indent is refused, own fonts kept
    custom = Document(io.BytesIO(build_base()))
    custom.core_properties.author = "常州市教育局办公室"
    buffer = io.BytesIO()
    custom.save(buffer)
    admin.submit(url, url, form, files={"template": (io.BytesIO(buffer.getvalue()), "教育局.docx")})
    db.session.expire_all()  # the upload was another request's transaction
    s = make_case(world, "signed", mode="split")  # the signed copy is made on the department's template
    db.session.commit()
    edu = next(a for a in s.assignments if a.department_id == world.education.id)
    data = browser("wangfang").get(f"/replies/{edu.current_reply.id}/download").data
    assert Document(io.BytesIO(data)).core_properties.author == "常州市教育局办公室"
    assert_all_rules_pass(data)


def test_format_check_page(world, browser):
    admin = browser("admin")
    page = admin.submit("/admin/templates/check", "/admin/templates/check",
                        files={"document": (io.BytesIO(render(content())), "答复.docx")}, expect=200)
    assert "项通过，0 项不通过" in page.text
    broken = mutate(render(content()), "word/document.xml", lambda r: _set(_sect(r), "w:pgSz", "w", "12240"))
    page = admin.submit("/admin/templates/check", "/admin/templates/check",
                        files={"document": (io.BytesIO(broken), "答复.docx")}, expect=200)
    assert "1 项不通过" in page.text and "12240×16838" in page.text
    assert admin.get("/admin/templates/base.docx").data == BASE_TEMPLATE.read_bytes()


def test_zip_of_signed_replies(world, browser):
    make_case(world, "delivered", number=294)
    make_case(world, "drafted", number=295)
    split = make_case(world, "signed", number=296, mode="split", title="关于加强博士后创新平台建设的建议")
    db.session.commit()
    clerk = browser("clerk_zx")
    response = clerk.get("/submissions/replies.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    assert names == sorted([
        "第0294号_关于对市政协十五届四次会议委员提案第0294号的答复.docx",
        f"第0296号_关于对市政协十五届四次会议委员提案第0296号的答复_{world.talent.name}.docx",
        f"第0296号_关于对市政协十五届四次会议委员提案第0296号的答复_{world.education.name}.docx",
    ])
    assert archive.read(names[0]) == db.session.scalar(select(Submission).where(
        Submission.number == "0294")).assignments[0].current_reply.signed_docx
    # filtered: only what the list shows
    response = clerk.get("/submissions/replies.zip?q=博士后")
    assert len(zipfile.ZipFile(io.BytesIO(response.data)).namelist()) == 2
    page = clerk.follow(clerk.client.get("/submissions/replies.zip?q=不存在的关键词"))
    assert "没有已签发的答复件" in page
    assert split.state == "assigned"


# -- PDF through LibreOffice ----------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                   reason="LibreOffice (soffice) and poppler-utils are not installed")


def _red_pixels(raster, top_mm: float, bottom_mm: float) -> int:
    """Red pixels in a horizontal band of the page, given in mm from the top edge."""
    from replyflow.documents.pdfcheck import RED, _rows
    counts, _ = _rows(raster, RED, y_from_mm=top_mm, y_to_mm=bottom_mm)
    first, last = int(len(counts) * top_mm / 297), int(len(counts) * bottom_mm / 297)
    return sum(counts[first:last])


@needs_soffice
def test_pdf_of_the_0294_reply(demo, tmp_path):
    from replyflow.documents.pdf import docx_to_pdf
    pdf = docx_to_pdf(demo(294).signed_docx)
    path = tmp_path / "0294.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    # the body (with the 署名 and the date) ends on page 5: the 版记 on page 6, not numbered
    assert re.search(r"Pages:\s+6\b", info), info
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for expected in ("中共常州市委人才工作领导小组办公室文件", "常人才办〔2025〕24号", "曹留俊委员：",
                     "签发人：吴寅", "抄送：市委办公室、市政协提案委。", "2025年6月16日印发"):
        assert expected in flat, expected
    page2 = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(path), "-"], capture_output=True,
                           text=True, check=True).stdout
    body_lines = [line for line in page2.splitlines() if line.strip() and "—" not in line]
    assert len(body_lines) == 22  # a full page holds 22 lines
    from replyflow.documents.pdfcheck import PdfPages
    pages = PdfPages(pdf)
    rows = pages.raster(1, dpi=40)
    pages.close()
    assert _red_pixels(rows, 70, 95) > 200      # the red mark, 35 mm below the text area's top
    assert _red_pixels(rows, 20, 60) == 0       # nothing red above it
    assert _red_pixels(rows, 96, 125) > 50      # the red line under the document number


@needs_soffice
def test_pdf_download_in_the_app(world, browser):
    s = make_case(world, "delivered")
    db.session.commit()
    reply = s.assignments[0].current_reply
    member = browser("caoliujun")
    assert f"/replies/{reply.id}/pdf" in member.page(f"/submissions/{s.id}")
    response = member.get(f"/replies/{reply.id}/pdf")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")


def test_pdf_link_hidden_without_libreoffice(world, browser, app, monkeypatch):
    monkeypatch.setattr("replyflow.documents.pdf.soffice_path", lambda configured=None: None)
    s = make_case(world, "delivered")
    db.session.commit()
    reply = s.assignments[0].current_reply
    member = browser("caoliujun")
    assert "/pdf" not in member.page(f"/submissions/{s.id}")
    assert member.client.get(f"/replies/{reply.id}/pdf").status_code == 404


def test_spec_numbers():
    assert (spec.TEXT_WIDTH, spec.TEXT_HEIGHT) == (spec.mm(156), spec.mm(225)) or \
        abs(spec.TEXT_WIDTH - spec.mm(156)) <= 2
    assert spec.LINE_PITCH * 22 <= spec.TEXT_HEIGHT < spec.LINE_PITCH * 23




LETTER_BROKEN = [
    ("信函格式：发文机关标志上边缘距上页边 30 mm", "word/document.xml",
     lambda r: _set(_sect(r), "w:pgMar", "header", "851")),
    ("发文字号（信函格式）", "word/document.xml",
     lambda r: [tabs.getparent().remove(tabs) for tabs in r.iter(w("tabs"))]),
]


@pytest.mark.parametrize("rule,part,change", LETTER_BROKEN, ids=[b[0] for b in LETTER_BROKEN])
def test_checker_catches_broken_letter_format(rule, part, change):
    good = render(content(letter=True))
    assert_all_rules_pass(good)
    failed = [r.rule for r in check_docx(mutate(good, part, change)) if not r.passed]
    assert any(name.startswith(rule) for name in failed), (rule, failed)


def test_checker_catches_a_letter_without_the_double_line():
    good = render(content(letter=True))
    archive = zipfile.ZipFile(io.BytesIO(good))
    header = next(n for n in archive.namelist() if n.startswith("word/header") and
                  "公文" not in n and b"thickThinSmallGap" in archive.read(n))
    broken = mutate(good, header, lambda r: [b.set(w("val"), "single") for b in r.iter(w("bottom"))])
    failed = [r.rule for r in check_docx(broken) if not r.passed]
    assert any(name.startswith("信函格式：标志下红色双线") for name in failed), failed


def test_checker_catches_a_letter_whose_lower_line_rides_on_the_footer_distance():
    """The old letter format set the footer distance to 20 mm for page 1's double line, which moved the page
    numbers of pages 2+ 12 mm under the text area."""
    good = render(content(letter=True))
    assert not [r for r in check_docx(good) if not r.passed and r.rule.startswith("信函格式")]

    def old_footer(root):
        for mar in root.iter(w("pgMar")):
            mar.set(w("footer"), str(spec.LETTER_BOTTOM_RULE_FROM_PAGE_BOTTOM))
    failed = [r.rule for r in check_docx(mutate(good, "word/document.xml", old_footer)) if not r.passed]
    assert "信函格式：第二页起页码位置同文件格式" in failed, failed

    archive = zipfile.ZipFile(io.BytesIO(good))
    footer = next(n for n in archive.namelist() if n.startswith("word/footer") and b"thinThickSmallGap" in archive.read(n))
    moved = mutate(good, footer, lambda r: [o.__setattr__("text", str(int(o.text) - 635 * spec.mm(6)))
                                            for o in r.iter("{http://schemas.openxmlformats.org/drawingml/2006/"
                                                            "wordprocessingDrawing}posOffset")])
    failed = [r.rule for r in check_docx(moved) if not r.passed]
    assert "信函格式：距下页边 20 mm 红色双线（上细下粗）" in failed, failed
