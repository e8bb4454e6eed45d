"""Input from outside: control characters cleaned at the door, ids and pages out of range 404, uploads
checked by what they are. On PostgreSQL a NUL in a text column is an error, so these run on both."""
import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from replyflow.clock import parse_date
from replyflow.extensions import db
from replyflow.models import Attachment, Submission

from .conftest import Browser
from .factories import make_case
from .test_bad_input import count, register


def test_nul_and_control_characters_never_reach_the_database(world, browser, app):
    anonymous = Browser(app)
    page = anonymous.client.get("/login")
    response = anonymous.client.post("/login", data={"username": "luo\x00yang", "password": "x\x00",
                                                     "csrf_token": anonymous.token(page.text)})
    assert response.status_code == 200 and "用户名或密码不正确" in response.text
    clerk = browser("clerk_zx")
    response = register(clerk, world, title="关于\x00加快\x07推进\x1b城市更新的建议", content="正文\x00第一段\r\n第二段\t完")
    assert response.status_code == 302
    s = db.session.scalar(select(Submission))
    assert s.title == "关于加快推进城市更新的建议" and s.content == "正文第一段\r\n第二段\t完"
    assert clerk.get("/submissions?q=%00%01城市").status_code == 200


@pytest.mark.parametrize("url", [
    "/submissions/99999999999999999999999", "/submissions/9223372036854775808", "/assignments/9223372036854775808/reply",
    "/replies/99999999999999999999/download", "/submissions?page=99999999999999999999", "/submissions?page=0",
    "/submissions?page=-1", "/notifications?page=2000000000",
])
def test_ids_and_pages_out_of_range_are_404(world, browser, url):
    assert browser("clerk_zx").client.get(url).status_code == 404


def test_huge_filter_ids_are_ignored_like_any_bad_value(world, browser):
    make_case(world)
    db.session.commit()
    page = browser("clerk_zx").page("/submissions?sitting=99999999999999999999&category=-5&department=1e99")
    assert "第0294号" in page


def test_a_huge_id_posted_to_an_action_is_404(world, browser):
    assert browser("clerk_zx").post("/submissions/92233720368547758070/accept", {}).status_code == 404


def _repacked(data: bytes, add: dict[str, bytes | str] | None = None, replace: tuple[bytes, bytes] | None = None):
    """An Office file with parts added, and `replace` applied to its [Content_Types].xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w") as z:
        for name in source.namelist():
            part = source.read(name)
            if name == "[Content_Types].xml" and replace:
                part = part.replace(*replace)
            z.writestr(name, part)
        for name, part in (add or {}).items():
            z.writestr(name, part)
    return result.getvalue()


def _docx_bytes(macro=False):
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    if not macro:
        return out.getvalue()
    return _repacked(out.getvalue(), {"word/vbaProject.bin": b"\xd0\xcfmacro"},
                     (b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"))


def _xlsx_bytes(external=False):
    wb = Workbook()
    wb.active["A1"] = "数据"
    out = io.BytesIO()
    wb.save(out)
    if not external:
        return out.getvalue()
    return _repacked(out.getvalue(), {"xl/externalLinks/_rels/externalLink1.xml.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/externalLinkPath" Target="file:///C:/secret.xlsx" TargetMode="External"/>'
        '</Relationships>')})


@pytest.mark.parametrize("name, data, message", [
    ("提案附件.docx", _docx_bytes(macro=True), "宏"),
    ("数据.xlsx", _xlsx_bytes(external=True), "外部"),
    ("空壳.docx", b"PK\x03\x04" + b"\x00" * 40, "不是 Word 文档"),
    ("压缩包.docx", (lambda b: (zipfile.ZipFile(b, "w").writestr("a.txt", "x"), b.getvalue())[1])(io.BytesIO()),
     "不是 Word 文档"),
    ("报告.pdf", b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>", "脚本"),
])
def test_unsafe_attachments_are_refused_by_content(world, browser, name, data, message):
    response = register(browser("clerk_zx"), world, files={"attachments": [(io.BytesIO(data), name)]})
    text = response.text
    assert message in text, text[:500]
    assert count(Submission) == 0 and count(Attachment) == 0


def test_good_attachments_are_served_as_downloads_with_their_chinese_names(world, browser):
    clerk = browser("clerk_zx")
    files = {"attachments": [(io.BytesIO(_xlsx_bytes()), "../../调研数据.xlsx"),
                             (io.BytesIO(_docx_bytes()), "附件一 说明.docx")]}
    assert register(clerk, world, files=files).status_code == 302
    items = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert [a.filename for a in items] == ["调研数据.xlsx", "附件一 说明.docx"]
    response = clerk.get(f"/attachments/{items[0].id}")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%E8%B0%83%E7%A0%94" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data == items[0].data and response.data.startswith(b"PK")


@pytest.mark.parametrize("typed,day", [
    ("2025-06-16", date(2025, 6, 16)), ("2025/6/16", date(2025, 6, 16)), ("2025.6.16", date(2025, 6, 16)),
    ("2025年6月16日", date(2025, 6, 16)), (" 2025 年 6 月 16 日 ", date(2025, 6, 16)), ("20250616", date(2025, 6, 16)),
    ("06/16/2025", None), ("2025-02-30", None), ("2025年6月", None), ("0001-01-01", None), ("", None), ("明天", None),
])
def test_dates_are_read_as_people_type_them(typed, day):
    assert parse_date(typed) == day
