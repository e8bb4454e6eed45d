"""The layout check as the handler and the signer meet it in Chromium: a reply whose page fails is not sent for
sign-off, the rule named and the 版面检查 page showing it; mended, it goes; the signer signs on a phone."""
import shutil

import pytest

from replyflow.extensions import db

from ..factories import make_case

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
#: a reference code with nothing to break at: the line before it is spread out across the page
CODE = "请以受理编号A7F3K9Q2M8X4B6N1P5R0T2V7W9Y3Z8C4D6E1G5H0J2L7查询办理进度。"


def test_a_reply_failing_on_the_page_is_named_mended_sent_and_signed(world, person):
    s = make_case(world, "drafted")
    db.session.commit()
    a = s.assignments[0]
    handler = person("luoyang")
    handler.go(f"/assignments/{a.id}/reply")
    page = handler.page
    body = page.get_by_label("正文", exact=True)
    body.fill(body.input_value() + "\n" + CODE)
    handler.click("保存并送签")
    said = handler.flash()
    assert "已保存，但未送签" in said and "行内字距不被拉开" in said, said
    handler.check("版面检查未通过")
    handler.click("版面检查", role="link")
    assert "未通过" in page.inner_text("main") and "LibreOffice 排出的 PDF 逐页量取" in page.inner_text("main")
    handler.check("版面检查页")
    handler.click("修改答复件", role="link")
    body = page.get_by_label("正文", exact=True)
    body.fill(body.input_value().replace(CODE, "请以受理编号A7F3-K9Q2-M8X4查询办理进度。"))
    handler.click("保存并送签")
    assert "已保存并送签" in handler.flash()
    db.session.expire_all()
    assert a.state == "awaiting_signoff"

    signer = person("wuyin", phone=True)
    signer.go(f"/submissions/{s.id}")
    signer.choose("签发")
    signer.click("签发", navigates=False)
    assert "不能再修改" in signer.confirm("确定签发")
    assert "已签发" in signer.flash()
    signer.check("签发后")
    db.session.expire_all()
    assert a.state == "signed" and a.current_reply.signed_docx
