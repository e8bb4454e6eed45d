"""0294 through its whole life in the browser, each step by the person who does it in real life."""
import io
from datetime import date

from docx import Document
from sqlalchemy import select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import Event, Notification, Submission

from .conftest import flashes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def case(number=294):
    db.session.expire_all()
    return db.session.scalar(select(Submission).where(Submission.number == f"{number:04d}"))


def actions(submission):
    return [e.action for e in db.session.scalars(select(Event).where(Event.submission_id == submission.id)
                                                 .order_by(Event.id))]


def notes_for(user):
    return [n.message for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))]


def test_proposal_0294_from_registration_to_closing(world, browser):
    w = world
    clerk, handler, signer = browser("clerk_zx"), browser("luoyang"), browser("wuyin")
    co_handler, member = browser("zhanglei"), browser("caoliujun")

    with clock.frozen(date(2025, 1, 10)):
        # 1. the clerk registers it, with an attachment
        new = clerk.page("/submissions/new")
        assert "登记提案/建议" in new
        response = clerk.post("/submissions/new", {
            "sitting_id": w.cppcc.id, "kind": "proposal", "number": "294",
            "title": "关于广纳海外高层次人才，赋能区域经济高质量发展的建议",
            "content": "建议拓宽海外引才渠道。\n建议建强平台载体。",
            "category_id": w.categories["经济"].id, "lead_name": "曹留俊", "cosigner_names": "冯建国、许振宇",
            "submitted_on": "2025-01-10", "is_key": "y", "disclosure_wish": "not_public",
        }, files={"attachments": [(io.BytesIO(PDF), "附件一.pdf")]}, expect=302, token=clerk.token(new))
        page = clerk.follow(response)
    s = case()
    assert s.state == "registered" and s.is_key and s.disclosure_wish == "not_public"
    assert [m.name for m in s.members] == ["曹留俊", "冯建国", "许振宇"]
    assert s.attachments[0].filename == "附件一.pdf" and s.attachments[0].content_type == "application/pdf"
    assert "第0294号" in page and "待立案" in page and "冯建国、许振宇" in page
    url = f"/submissions/{s.id}"
    assert clerk.get(f"/attachments/{s.attachments[0].id}").data == PDF

    # 2. 立案; the proposer hears of it
    with clock.frozen(date(2025, 1, 20)):
        clerk.submit(url, f"{url}/accept", {"comment": "符合立案条件"})
    assert case().state == "accepted"
    assert any("已立案" in n for n in notes_for(w.member_user))
    assert "待交办" in clerk.page(url)

    # 3. 交办: 主办 人才办, 会办 科技局, default deadline three months on
    with clock.frozen(date(2025, 3, 18)):
        assign_page = clerk.page(f"{url}/assign")
        assert "2025年6月18日" in assign_page  # the default due date is shown
        clerk.submit(f"{url}/assign", f"{url}/assign", {
            "mode": "lead", "lead_id": w.talent.id, "co_ids": [w.scitech.id], "due_on": "", "comment": ""})
    s = case()
    assert s.state == "assigned"
    lead, co = s.assignments
    assert (lead.role, lead.department_id, lead.state, lead.due_on) == ("lead", w.talent.id, "pending_ack", date(2025, 6, 18))
    assert (co.role, co.department_id, co.state) == ("co", w.scitech.id, "pending_ack")

    # 4. 签收, by each department's handler, from their to-do list
    with clock.frozen(date(2025, 3, 20)):
        dashboard = handler.page("/")
        assert "待签收" in dashboard and "第0294号" in dashboard
        handler.submit(url, f"/assignments/{lead.id}/acknowledge")
        co_handler.submit(url, f"/assignments/{co.id}/acknowledge")
    s = case()
    assert [a.state for a in s.assignments] == ["drafting", "drafting"]
    assert s.assignments[0].handler_id == w.handler.id

    # 5. 沟通记录 and 会办意见
    with clock.frozen(date(2025, 4, 15)):
        handler.submit(url, f"/assignments/{lead.id}/contacts", {
            "contact_on": "2025-04-15", "method": "phone", "summary": "电话联系曹留俊委员，听取意见。"})
        co_handler.submit(url, f"/assignments/{co.id}/opinion", {"opinion": "我局将深化国际科技合作。"})
    s = case()
    assert s.assignments[0].contacts[0].summary == "电话联系曹留俊委员，听取意见。"
    assert s.assignments[1].state == "opinion_submitted"
    with clock.frozen(date(2025, 4, 16)):
        editor = handler.page(f"/assignments/{lead.id}/reply")
    assert "我局将深化国际科技合作。" in editor  # the lead sees the co-handler's opinion while drafting
    assert "关于对市政协十五届四次会议委员提案第0294号的答复" in editor
    assert "曹留俊委员：" in editor and "市政协提案委" in editor
    assert "常人才办〔2025〕1号" not in editor and "签发时按本单位当年序号自动编号" in editor  # no number burned yet

    # 6–7. draft, send for sign-off, get it back once, revise, send again
    reply_form = {
        "answer_class": "A", "disclosure": "not_public", "doc_number": "",
        "title": "关于对市政协十五届四次会议委员提案第0294号的答复", "salutation": "曹留俊委员：",
        "body": "你们提出的《关于广纳海外高层次人才，赋能区域经济高质量发展的建议》的提案收悉，现答复如下：\n一、基本情况",
        "signer_name": "吴寅", "handler_name": "罗杨", "phone": "15951228660", "cc": "市委办公室、市政协提案委",
        "issuing_organ": "中共常州市委人才工作领导小组办公室", "issue_date": "",
    }
    with clock.frozen(date(2025, 5, 20)):
        handler.submit(f"/assignments/{lead.id}/reply", f"/assignments/{lead.id}/reply", {**reply_form, "send": "0"})
        assert case().assignments[0].state == "drafting"
        handler.submit(f"/assignments/{lead.id}/reply", f"/assignments/{lead.id}/reply", {**reply_form, "send": "1"})
    s = case()
    reply = s.assignments[0].current_reply
    # the second save changed nothing: no second version, and one timeline entry for 保存并送签
    assert s.assignments[0].state == "awaiting_signoff" and len(reply.versions) == 1 and reply.doc_number is None
    assert "待签发" in signer.page("/")
    with clock.frozen(date(2025, 6, 10)):
        signer.submit(url, f"/assignments/{lead.id}/reply/return", {"comment": "请补充下一步工作。"})
    assert case().assignments[0].state == "drafting"
    assert "请补充下一步工作。" in handler.page(f"/assignments/{lead.id}/reply")
    revised = {**reply_form, "body": reply_form["body"] + "\n二、下一步工作\n持续加大海外引才力度。", "send": "1"}
    with clock.frozen(date(2025, 6, 12)):
        handler.submit(f"/assignments/{lead.id}/reply", f"/assignments/{lead.id}/reply", revised)
    assert case().assignments[0].state == "awaiting_signoff"
    assert len(case().assignments[0].current_reply.versions) == 2

    # 7. 签发, then 8. 答复: read-only from now on
    with clock.frozen(date(2025, 6, 16)):
        signer.submit(url, f"/assignments/{lead.id}/reply/sign", {"comment": "同意，请按时答复。"})
    reply = case().assignments[0].current_reply
    assert case().assignments[0].state == "signed" and reply.signed_by_id == w.signer.id
    # the number is taken at signing, and the signer's 签发意见 is kept
    assert reply.doc_number == "常人才办〔2025〕1号" and reply.signoff_comment == "同意，请按时答复。"
    assert "同意，请按时答复。" in clerk.page(url)
    assert reply.issue_date == date(2025, 6, 16)  # left empty: the signing date
    with clock.frozen(date(2025, 6, 17)):
        handler.submit(url, f"/assignments/{lead.id}/reply/deliver")
    s = case()
    assert s.assignments[0].state == "delivered" and s.state == "answered"
    assert handler.client.get(f"/assignments/{lead.id}/reply").status_code == 302  # no editing once signed
    assert any("已答复" in n for n in notes_for(w.member_user))
    assert any("已答复" in n for n in notes_for(w.cosigner_user))

    # 9. the member sees only their case, reads and downloads the reply, is not satisfied
    assert "待评价" in member.page("/")
    member_page = member.page(url)
    assert "常人才办〔2025〕1号" in member_page
    # the contact was with them: they read it; the 会办 opinion is internal
    assert "电话联系曹留俊委员" in member_page and "我局将深化国际科技合作" not in member_page
    download = member.get(f"/replies/{reply.id}/download")
    texts = [p.text.replace("\n", "") for p in Document(io.BytesIO(download.data)).paragraphs]
    assert "关于对市政协十五届四次会议委员提案第0294号的答复" in texts and "持续加大海外引才力度。" in texts
    with clock.frozen(date(2025, 6, 30)):
        member.submit(url, f"/assignments/{lead.id}/feedback", {
            "handling_rating": "satisfied", "result_rating": "dissatisfied", "comment": "措施不够具体。",
            "contacted": "yes", "contact_method": "phone"})
    s = case()
    assert s.assignments[0].state == "dissatisfied" and s.state == "answered"
    assert s.assignments[0].current_reply.feedback.result_rating == "dissatisfied"

    # 10. the clerk orders re-handling with a new due date; a second reply replaces the first
    with clock.frozen(date(2025, 7, 1)):
        clerk.submit(url, f"/assignments/{lead.id}/rehandle", {"due_on": "2025-08-01", "comment": "请进一步研究。"})
    s = case()
    a = s.assignments[0]
    assert (a.state, a.round, a.due_on, s.state) == ("drafting", 2, date(2025, 8, 1), "assigned")
    assert a.current_reply.doc_number is None  # the new round's draft has no number yet
    second = {**revised, "body": revised["body"] + "\n三、具体措施\n设立专项资金。"}
    with clock.frozen(date(2025, 7, 20)):
        handler.submit(f"/assignments/{lead.id}/reply", f"/assignments/{lead.id}/reply", second)
        signer.submit(url, f"/assignments/{lead.id}/reply/sign")
        handler.submit(url, f"/assignments/{lead.id}/reply/deliver")
    a = case().assignments[0]
    assert [r.round for r in a.replies] == [1, 2] and all(r.delivered_at for r in a.replies)
    assert [r.doc_number for r in a.replies] == ["常人才办〔2025〕1号", "常人才办〔2025〕2号"]
    member_page = member.page(url)
    assert "常人才办〔2025〕2号" in member_page and "已被替代" in member_page

    # 10. satisfied this time: 办结
    with clock.frozen(date(2025, 7, 25)):
        member.submit(url, f"/assignments/{lead.id}/feedback", {
            "handling_rating": "satisfied", "result_rating": "satisfied", "comment": "", "contacted": "no"})
    s = case()
    assert s.assignments[0].state == "closed" and s.state == "closed"
    assert "已办结" in clerk.page(url)

    # 11. every step is on the timeline, in order
    # one action, one entry: the case's own moves are written on the step that caused them
    assert actions(s) == [
        "register", "accept", "assign", "acknowledge", "acknowledge", "record_contact", "submit_opinion",
        "save_draft", "submit_for_signoff", "return_reply", "submit_for_signoff", "sign_reply", "deliver_reply",
        "feedback_dissatisfied", "order_rehandling", "submit_for_signoff", "sign_reply", "deliver_reply",
        "feedback_satisfied",
    ]
    moves = [(e.action, e.case_from_state, e.case_to_state) for e in s.events if e.case_to_state]
    assert moves == [("deliver_reply", "assigned", "answered"), ("order_rehandling", "answered", "assigned"),
                     ("deliver_reply", "assigned", "answered"), ("feedback_satisfied", "answered", "closed")]
    assert s.events[0].comment == "附件：附件一.pdf"
    sign = db.session.scalar(select(Event).where(Event.action == "return_reply"))
    assert (sign.actor_id, sign.from_state, sign.to_state, sign.comment) == (
        w.signer.id, "awaiting_signoff", "drafting", "请补充下一步工作。")
    timeline = clerk.page(url)
    assert timeline.count('data-action="sign_reply"') == 2 and "吴寅" in timeline


def test_signer_cannot_sign_own_draft(world, browser, ctx):
    from tests.factories import make_case
    w = world
    s = make_case(w, "acknowledged")
    db.session.commit()
    a = s.assignments[0]
    both = browser("both")
    editor = f"/assignments/{a.id}/reply"
    form = {"answer_class": "A", "disclosure": "public", "doc_number": "常人才办〔2025〕9号", "title": "标题",
            "salutation": "曹留俊委员：", "body": "正文", "signer_name": "兼职", "handler_name": "兼职",
            "phone": "1", "cc": "", "issuing_organ": "人才办", "issue_date": "", "send": "1"}
    both.submit(editor, editor, form)
    assert case().assignments[0].state == "awaiting_signoff"
    page = both.follow(both.post(f"/assignments/{a.id}/reply/sign", expect=302))
    assert "不能签发本人起草或送签的答复件" in page
    assert case().assignments[0].state == "awaiting_signoff"
    browser("wuyin").submit(f"/submissions/{s.id}", f"/assignments/{a.id}/reply/sign")
    assert case().assignments[0].state == "signed"


def test_reply_cannot_go_to_signoff_without_body(world, browser, ctx):
    from tests.factories import make_case
    s = make_case(world, "acknowledged")
    db.session.commit()
    a = s.assignments[0]
    handler = browser("luoyang")
    editor = f"/assignments/{a.id}/reply"
    form = {"answer_class": "A", "disclosure": "public", "doc_number": "常人才办〔2025〕9号", "title": "标题",
            "salutation": "曹留俊委员：", "body": "", "signer_name": "吴寅", "handler_name": "罗杨",
            "phone": "1", "cc": "", "issuing_organ": "人才办", "issue_date": "", "send": "1"}
    page = handler.follow(handler.submit(editor, editor, form))
    # what was typed is kept; it is not sent, and the handler is told why
    assert "答复件已保存，但未送签：答复件缺少：正文，不能送签" in " ".join(flashes(page))
    s = case()
    a = s.assignments[0]
    assert a.state == "drafting" and len(a.current_reply.versions) == 1 and a.current_reply.submitted_at is None
    assert actions(s)[-1] == "save_draft"


def test_a_transition_is_all_or_nothing(world, browser, ctx, monkeypatch):
    """If anything fails after the state changed (here: notifying the proposer), nothing is kept."""
    from tests.factories import make_case
    s = make_case(world, "signed")
    db.session.commit()
    a = s.assignments[0]

    def broken(*args, **kwargs):
        raise RuntimeError("notification store down")

    monkeypatch.setattr("replyflow.services.replies.notify", broken)
    handler = browser("luoyang")
    page = handler.page(f"/submissions/{s.id}")
    try:
        handler.post(f"/assignments/{a.id}/reply/deliver", token=handler.token(page))
    except RuntimeError:
        pass  # the test client re-raises what the app would turn into a 500
    s = case()
    assert s.assignments[0].state == "signed" and s.assignments[0].current_reply.delivered_at is None
    assert "deliver_reply" not in actions(s)


def test_reply_versions_are_listed_and_readable(world, browser, ctx):
    from tests.factories import make_case
    s = make_case(world, "drafted")
    db.session.commit()
    reply = s.assignments[0].current_reply
    page = browser("wuyin").page(f"/submissions/{s.id}")
    assert f"/replies/{reply.id}?version=1" in page
    version = browser("luoyang").page(f"/replies/{reply.id}?version=1")
    assert "第1版" in version and "一、基本情况" in version
    assert browser("caoliujun").client.get(f"/replies/{reply.id}?version=1").status_code == 404
