"""No reply is signed that fails: 送签 and 签发 check the reply as it would be signed (on the page where LibreOffice is
installed, the XML otherwise), refuse with the failed rules named and change nothing; after the fix it goes. A
character the fonts lack is refused when the draft is saved; the handler sees the check on its own page; a draft's
PDF is converted once for the same text."""
import re
import shutil

import pytest
from sqlalchemy import select

from replyflow.documents import pdf as pdf_module
from replyflow.extensions import db
from replyflow.models import Event, Reply

from .conftest import flashes
from .docx_tools import elements
from .factories import make_case

needs_pdf = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                               reason="LibreOffice (soffice) and poppler-utils are not installed")
#: a reference code with nothing to break at: the line before it is spread out
UNBREAKABLE = "请以受理编号A7F3K9Q2M8X4B6N1P5R0T2V7W9Y3Z8C4D6E1G5H0J2L7查询办理进度。"


def _reply(a):
    db.session.expire_all()
    return db.session.scalar(select(Reply).where(Reply.assignment_id == a.id).order_by(Reply.id.desc()))


def _form(reply, **changes):
    data = {k: ("" if v is None else v) for k, v in reply.snapshot().items()}
    data.update({"issue_date": "", "send": "0", **changes})
    return data


def _events(a):
    return [e.action for e in db.session.scalars(select(Event).where(Event.assignment_id == a.id).order_by(Event.id))]


def test_signing_is_refused_with_the_failed_rule_named_and_goes_after_the_fix(world, browser):
    s = make_case(world, "awaiting_signoff")
    db.session.commit()
    a = s.assignments[0]
    # a reply that went for sign-off before it was checked: its salutation lost its colon
    a.current_reply.salutation = "曹留俊委员"
    db.session.commit()
    signer, handler = browser("wuyin"), browser("luoyang")
    case_url, sign = f"/submissions/{s.id}", f"/assignments/{a.id}/reply/sign"
    page = signer.follow(signer.submit(case_url, sign, {"comment": "同意"}))
    assert any("未通过版面检查，不能签发" in f and "主送机关" in f for f in flashes(page)), flashes(page)
    reply = _reply(a)
    assert (a.state, reply.signed_at, reply.doc_number, reply.signed_docx) == ("awaiting_signoff", None, None, None)
    assert "sign_reply" not in _events(a)
    # the signer returns it, the handler mends it, the check passes: signed
    signer.submit(case_url, f"/assignments/{a.id}/reply/return", {"comment": "称谓后缺冒号"})
    editor = f"/assignments/{a.id}/reply"
    handler.follow(handler.submit(editor, editor, _form(_reply(a), salutation="曹留俊委员：", send="1")))
    assert _reply(a).assignment.state == "awaiting_signoff"
    signer.submit(case_url, sign, {"comment": "同意"})
    reply = _reply(a)
    assert reply.assignment.state == "signed" and re.fullmatch(r"常人才办〔\d{4}〕1号", reply.doc_number)
    # the number taken under the lock is the one in the frozen document, where the check's stand-in stood
    assert reply.doc_number in elements(reply.signed_docx) and "9999号" not in "".join(elements(reply.signed_docx))


def test_sending_for_signoff_is_refused_with_the_rule_named_and_keeps_what_was_typed(world, browser):
    s = make_case(world, "drafted")
    db.session.commit()
    a = s.assignments[0]
    handler = browser("luoyang")
    editor = f"/assignments/{a.id}/reply"
    page = handler.follow(handler.submit(editor, editor, _form(_reply(a), salutation="曹留俊委员", send="1")))
    assert any("已保存，但未送签：答复件未通过版面检查" in f and "主送机关" in f for f in flashes(page)), flashes(page)
    assert _reply(a).salutation == "曹留俊委员" and _reply(a).assignment.state == "drafting"
    # the case page's 送签 button checks the same
    page = handler.follow(handler.submit(f"/submissions/{s.id}", f"/assignments/{a.id}/reply/submit"))
    assert any("未通过版面检查，不能送签" in f for f in flashes(page)), flashes(page)
    assert _reply(a).assignment.state == "drafting"
    # the check's own page names it too, and says how it was checked
    check = handler.page(f"/replies/{_reply(a).id}/check")
    assert "未通过" in check and "主送机关" in check and ("版面检查" in check or "仅检查 XML" in check)
    handler.submit(editor, editor, _form(_reply(a), salutation="曹留俊委员：", send="1"))
    assert _reply(a).assignment.state == "awaiting_signoff"
    assert "全部" in handler.page(f"/replies/{_reply(a).id}/check")


@needs_pdf
def test_a_reply_that_fails_only_on_the_page_is_not_sent_and_goes_once_mended(world, browser):
    s = make_case(world, "drafted")
    db.session.commit()
    a = s.assignments[0]
    handler = browser("luoyang")
    editor = f"/assignments/{a.id}/reply"
    body = _reply(a).body + "\n" + UNBREAKABLE
    page = handler.follow(handler.submit(editor, editor, _form(_reply(a), body=body, send="1")))
    assert any("行内字距不被拉开" in f for f in flashes(page)), flashes(page)
    assert _reply(a).assignment.state == "drafting" and UNBREAKABLE in _reply(a).body
    check = handler.page(f"/replies/{_reply(a).id}/check")
    assert "版面检查：LibreOffice 排出的 PDF 逐页量取" in check and "行内字距不被拉开" in check
    mended = body.replace(UNBREAKABLE, "请以受理编号A7F3K9Q2-M8X4B6N1-P5R0T2V7查询办理进度。")
    handler.submit(editor, editor, _form(_reply(a), body=mended, send="1"))
    assert _reply(a).assignment.state == "awaiting_signoff"
    browser("wuyin").submit(f"/submissions/{s.id}", f"/assignments/{a.id}/reply/sign", {"comment": ""})
    assert _reply(a).assignment.state == "signed"


def test_a_character_the_fonts_lack_is_refused_on_saving_named(world, browser):
    s = make_case(world, "drafted")
    db.session.commit()
    a = s.assignments[0]
    handler = browser("luoyang")
    editor = f"/assignments/{a.id}/reply"
    before = (_reply(a).body, len(_reply(a).versions))
    response = handler.submit(editor, editor, _form(_reply(a), body=before[0] + "感谢您的支持👍"), expect=200)
    assert any("正文中有公文字体无法显示的字符" in f and "U+1F44D" in f for f in flashes(response.text)), \
        flashes(response.text)
    assert (_reply(a).body, len(_reply(a).versions)) == before


def test_the_check_page_is_the_offices_only(world, browser):
    s = make_case(world, "drafted")
    db.session.commit()
    reply = _reply(s.assignments[0])
    for username in ("luoyang", "wuyin", "clerk_zx"):
        assert "检查" in browser(username).page(f"/replies/{reply.id}/check")
    assert browser("guxiaoyan").get(f"/replies/{reply.id}/check", expect=403)
    assert browser("caoliujun").get(f"/replies/{reply.id}/check", expect=404)


@needs_pdf
def test_a_drafts_pdf_is_converted_once_for_the_same_text(world, browser, app, monkeypatch, tmp_path):
    app.config["PDF_CACHE_PATH"] = str(tmp_path)
    s = make_case(world, "drafted")
    db.session.commit()
    reply = _reply(s.assignments[0])
    calls = []
    real = pdf_module.Listener.convert

    def counted(self, data, timeout=120):
        calls.append(len(data))
        return real(self, data, timeout)

    monkeypatch.setattr(pdf_module.Listener, "convert", counted)
    handler = browser("luoyang")
    first = handler.get(f"/replies/{reply.id}/pdf").data
    again = handler.get(f"/replies/{reply.id}/pdf").data
    assert first.startswith(b"%PDF") and again == first and len(calls) == 1
    # a changed text is converted anew
    editor = f"/assignments/{reply.assignment_id}/reply"
    handler.submit(editor, editor, _form(reply, body=reply.body + "\n感谢您的关心。"))
    assert handler.get(f"/replies/{reply.id}/pdf").data != first and len(calls) == 2


def test_a_refused_signing_is_logged_refused_with_its_reason(world, browser):
    from replyflow.models import AuditEntry

    s = make_case(world, "awaiting_signoff")
    db.session.commit()
    a = s.assignments[0]
    a.current_reply.salutation = "曹留俊委员"
    db.session.commit()
    browser("wuyin").post(f"/assignments/{a.id}/reply/sign", {"comment": ""}, expect=302)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "actions.sign_reply")).one()
    assert entry.result == "refused" and "未通过版面检查" in entry.detail and entry.object == f"assignment:{a.id}"
