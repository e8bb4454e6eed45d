"""建议 0078 assigned to two 分办 departments that each answer separately."""
from datetime import date

from sqlalchemy import select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import Submission

REPLY = {
    "answer_class": "B", "disclosure": "public", "title": "对市十六届人大五次会议第0078号建议的答复",
    "salutation": "陈姝伃代表：", "body": "您提出的关于加强海外留学人才引进权益工作的建议收悉，现答复如下：\n一、工作基础",
    "phone": "0513-85098231", "cc": "市人大常委会代表工委", "issue_date": "", "send": "1",
}


def case():
    db.session.expire_all()
    return db.session.scalar(select(Submission).where(Submission.number == "0078"))


def test_suggestion_0078_split_between_two_departments(world, browser):
    w = world
    clerk = browser("clerk_rd")
    with clock.frozen(date(2025, 1, 15)):
        new = clerk.page("/submissions/new")
        clerk.follow(clerk.post("/submissions/new", {
            "sitting_id": w.npc.id, "kind": "suggestion", "number": "78", "title": "关于加强海外留学人才引进权益工作的建议",
            "content": "建议保障归国留学人才引进权益。", "category_id": w.categories["经济"].id, "lead_name": "陈姝伃",
            "cosigner_names": "", "submitted_on": "2025-01-15", "disclosure_wish": "public"},
            expect=302, token=clerk.token(new)))
    s = case()
    url = f"/submissions/{s.id}"
    assert s.kind == "suggestion" and s.number_label == "第0078号"
    # the 政协 clerk does not handle 人大 suggestions
    assert browser("clerk_zx").client.get(url).status_code == 403

    with clock.frozen(date(2025, 6, 3)):
        clerk.submit(url, f"{url}/accept")
        clerk.submit(f"{url}/assign", f"{url}/assign", {
            "mode": "split", "split_ids": [w.hrss.id, w.education.id], "due_on": "2025-09-03", "comment": "请分别答复"})
    s = case()
    hrss, edu = s.assignments
    assert [(a.role, a.state, a.due_on) for a in s.assignments] == [
        ("split", "pending_ack", date(2025, 9, 3)), ("split", "pending_ack", date(2025, 9, 3))]

    teams = [(hrss, browser("guxiaoyan"), browser("qianjianhua"), "通人社〔2025〕112号", "顾晓燕", "钱建华"),
             (edu, browser("wangfang"), browser("chenjun"), "常教〔2025〕7号", "王芳", "陈军")]
    # each department acknowledges and drafts its own reply; neither sees the other's drafts to edit
    for a, handler, signer, number, handler_name, signer_name in teams:
        with clock.frozen(date(2025, 6, 5)):
            handler.submit(url, f"/assignments/{a.id}/acknowledge")
        editor = f"/assignments/{a.id}/reply"
        with clock.frozen(date(2025, 8, 20)):
            handler.submit(editor, editor, {**REPLY, "doc_number": number, "handler_name": handler_name,
                                            "signer_name": signer_name, "issuing_organ": a.department.name})
    assert browser("guxiaoyan").client.get(f"/assignments/{edu.id}/reply").status_code == 403
    assert browser("qianjianhua").post(f"/assignments/{edu.id}/reply/sign").status_code == 403

    # the first answer arrives: the case is still being handled by the other department
    a, handler, signer = teams[0][:3]
    with clock.frozen(date(2025, 8, 25)):
        signer.submit(url, f"/assignments/{a.id}/reply/sign")
        handler.submit(url, f"/assignments/{a.id}/reply/deliver")
    s = case()
    assert [x.state for x in s.assignments] == ["delivered", "awaiting_signoff"] and s.state == "assigned"
    deputy = browser("chenshuyu")
    page = deputy.page(url)
    assert "通人社〔2025〕112号" in page and "常教〔2025〕7号" not in page  # the draft of the other is not theirs yet

    a, handler, signer = teams[1][:3]
    with clock.frozen(date(2025, 8, 26)):
        signer.submit(url, f"/assignments/{a.id}/reply/sign")
        handler.submit(url, f"/assignments/{a.id}/reply/deliver")
    assert case().state == "answered"

    # the deputy rates each answer on its own
    with clock.frozen(date(2025, 9, 1)):
        deputy.submit(url, f"/assignments/{hrss.id}/feedback", {"handling_rating": "satisfied", "result_rating": "satisfied",
                                                                "contacted": "yes", "contact_method": "face"})
        assert case().state == "answered"
        deputy.submit(url, f"/assignments/{edu.id}/feedback", {"handling_rating": "satisfied",
                                                                "result_rating": "basically_satisfied", "contacted": "no"})
    s = case()
    assert [x.state for x in s.assignments] == ["closed", "closed"] and s.state == "closed"
    assert [x.current_reply.feedback.result_rating for x in s.assignments] == ["satisfied", "basically_satisfied"]
