"""What a walk through the whole life of a case found: 会办 before 送签, 答复审核, 签发意见, document numbers,
unchanged saves, paper feedback, and the proposer's e-mails."""
import io
import threading
from collections import Counter
from datetime import date

from docx import Document
from sqlalchemy import select

from replyflow import clock
from replyflow.clock import cn_date
from replyflow.extensions import db
from replyflow.models import Assignment, Event, Feedback, Reply, Submission
from replyflow.notifications.outbox import drain
from replyflow.services import assignments as assignment_service
from replyflow.services import feedback as feedback_service
from replyflow.services import replies as reply_service
from replyflow.workflow.engine import WorkflowError

from .conftest import flashes
from .factories import make_case


def fresh(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def lead_and_co(s):
    return (next(a for a in s.assignments if a.role == "lead"), next(a for a in s.assignments if a.role == "co"))


def drafted_with_co(w):
    """主办 drafted, 会办 acknowledged but without an opinion."""
    s = make_case(w, "acknowledged", mode="co")
    main, co = lead_and_co(s)
    assignment_service.acknowledge(w.co_handler, co)
    data = reply_service.draft_defaults(w.handler, main)
    data.update(answer_class="A", body=data["body"] + "一、基本情况", signer_name="吴寅", handler_name="罗杨", phone="1")
    reply_service.save_draft(w.handler, main, data)
    db.session.commit()
    return s


def revise(w, assignment):
    """The handler revises the new round's draft, as a 退回 or 重新办理 asks."""
    data = assignment.current_reply.snapshot()
    data["issue_date"] = None
    data["body"] += "\n三、补充措施：建立季度通报制度。"
    reply_service.save_draft(w.handler, assignment, data)


# -- 会办 before 送签 ------------------------------------------------------------------------------

def test_signoff_waits_for_the_co_opinion(world, browser):
    s = drafted_with_co(world)
    main, co = lead_and_co(s)
    handler, url = browser("luoyang"), f"/submissions/{s.id}"
    page = handler.page(url)
    assert "尚未收到会办意见：常州市科学技术局" in page  # the page says who is missing
    assert "尚未收到会办意见：常州市科学技术局" in handler.page(f"/assignments/{main.id}/reply")
    page = handler.follow(handler.post(f"/assignments/{main.id}/reply/submit", expect=302))
    assert "尚未收到会办意见：常州市科学技术局" in " ".join(flashes(page))
    assert fresh(Assignment, main.id).state == "drafting"
    # 保存并送签 meanwhile keeps what was typed, and says why it did not go
    editor = f"/assignments/{main.id}/reply"
    reply = fresh(Assignment, main.id).current_reply
    form = {k: v or "" for k, v in reply.snapshot().items()}
    page = handler.follow(handler.submit(editor, editor, {**form, "body": form["body"] + "\n二、新增一段", "send": "1"}))
    assert "答复件已保存，但未送签：尚未收到会办意见：常州市科学技术局" in " ".join(flashes(page))
    reply = fresh(Assignment, main.id).current_reply
    assert reply.body.endswith("二、新增一段") and len(reply.versions) == 2 and reply.submitted_at is None
    browser("zhanglei").submit(url, f"/assignments/{co.id}/opinion", {"opinion": "我局无补充意见。"})
    handler.submit(url, f"/assignments/{main.id}/reply/submit")
    assert fresh(Assignment, main.id).state == "awaiting_signoff"


def test_a_clerk_may_waive_the_co_opinion_with_a_note(world, browser):
    s = drafted_with_co(world)
    main, co = lead_and_co(s)
    clerk, url = browser("clerk_zx"), f"/submissions/{s.id}"
    page = clerk.follow(clerk.submit(url, f"/assignments/{co.id}/opinion/waive", {"comment": ""}))
    assert "请填写免交理由" in " ".join(flashes(page)) and fresh(Assignment, co.id).state == "drafting"
    clerk.submit(url, f"/assignments/{co.id}/opinion/waive", {"comment": "科技局书面说明无补充意见"})
    co = fresh(Assignment, co.id)
    assert co.state == "closed" and co.closing_note == "免交会办意见：科技局书面说明无补充意见"
    event = db.session.scalar(select(Event).where(Event.action == "waive_opinion"))
    assert (event.actor_id, event.comment) == (world.clerk.id, "科技局书面说明无补充意见")
    browser("luoyang").submit(url, f"/assignments/{main.id}/reply/submit")
    assert fresh(Assignment, main.id).state == "awaiting_signoff"
    # the reason is between the offices: the departments read it, the proposer does not
    assert "科技局书面说明无补充意见" in browser("luoyang").page(url)
    assert "科技局书面说明无补充意见" not in browser("caoliujun").page(url)


# -- 签发意见, document numbers, versions -------------------------------------------------------------

def test_the_signers_comment_is_kept(world, browser):
    s = make_case(world, "awaiting_signoff")
    db.session.commit()
    a = s.assignments[0]
    browser("wuyin").submit(f"/submissions/{s.id}", f"/assignments/{a.id}/reply/sign", {"comment": "同意，请抓紧答复。"})
    reply = fresh(Assignment, a.id).current_reply
    assert reply.signoff_comment == "同意，请抓紧答复。"
    event = db.session.scalar(select(Event).where(Event.action == "sign_reply"))
    assert event.comment == f"{reply.doc_number}；同意，请抓紧答复。"
    page = browser("clerk_zx").page(f"/submissions/{s.id}")
    assert "签发意见：同意，请抓紧答复。" in page


def test_the_document_number_is_taken_at_signing_and_not_on_re_handling(world, browser):
    with clock.frozen(date(2025, 3, 18)):
        first = make_case(world, "drafted", number=1)
        second = make_case(world, "drafted", number=2)
        db.session.commit()
    a1, a2 = first.assignments[0], second.assignments[0]
    assert a1.current_reply.doc_number is None and a2.current_reply.doc_number is None  # drafts burn no number
    with clock.frozen(date(2025, 4, 1)):
        draft = Document(io.BytesIO(browser("luoyang").get(f"/replies/{a1.current_reply.id}/download").data))
    assert "常人才办〔2025〕\u3000号" in [p.text for p in draft.paragraphs]  # where the number will go
    with clock.frozen(date(2025, 5, 20)):
        for a in (a2, a1):  # signed in the other order: numbers follow signing, not registration
            reply_service.submit_for_signoff(world.handler, a)
            reply_service.sign_reply(world.signer, a)
        db.session.commit()
    assert (a2.current_reply.doc_number, a1.current_reply.doc_number) == ("常人才办〔2025〕1号", "常人才办〔2025〕2号")
    with clock.frozen(date(2025, 5, 21)):
        reply_service.deliver_reply(world.handler, a1)
        feedback_service.give_feedback(world.member_user, a1, "satisfied", "dissatisfied", "措施不具体")
        feedback_service.order_rehandling(world.clerk, a1)
        db.session.commit()
    assert a1.round == 2 and a1.current_reply.doc_number is None
    with clock.frozen(date(2025, 6, 2)):
        revise(world, a1)
        reply_service.submit_for_signoff(world.handler, a1)
        reply_service.sign_reply(world.signer, a1)
        db.session.commit()
    assert [r.doc_number for r in a1.replies] == ["常人才办〔2025〕2号", "常人才办〔2025〕3号"]
    signed = Document(io.BytesIO(a1.current_reply.signed_docx))
    assert "常人才办〔2025〕3号" in [p.text for p in signed.paragraphs]


def test_a_typed_number_is_kept_and_a_used_one_refused(world, browser):
    with clock.frozen(date(2025, 3, 18)):
        first = make_case(world, "drafted", number=1)
        second = make_case(world, "drafted", number=2)
        db.session.commit()
    handler = browser("luoyang")
    a1, a2 = first.assignments[0], second.assignments[0]
    editor = f"/assignments/{a1.id}/reply"
    form = {**reply_service.draft_defaults(world.handler, a1), "answer_class": "A", "disclosure": "public",
            "signer_name": "吴寅", "handler_name": "罗杨", "phone": "1", "body": "正文", "issue_date": "", "send": "0"}
    form = {k: v or "" for k, v in form.items()}
    handler.submit(editor, editor, {**form, "doc_number": "常人才办〔2025〕24号"})
    assert fresh(Assignment, a1.id).current_reply.doc_number == "常人才办〔2025〕24号"
    response = handler.submit(f"/assignments/{a2.id}/reply", f"/assignments/{a2.id}/reply",
                              {**form, "doc_number": "常人才办〔2025〕24号"}, expect=200)
    assert "发文字号 常人才办〔2025〕24号 已被本单位其他答复件使用" in " ".join(flashes(response.text))
    with clock.frozen(date(2025, 5, 20)):
        for a in (a1, a2):
            reply_service.submit_for_signoff(world.handler, a)
            reply_service.sign_reply(world.signer, a)
        db.session.commit()
    # the counter starts after the numbers typed by hand in that year
    assert (a1.current_reply.doc_number, a2.current_reply.doc_number) == ("常人才办〔2025〕24号", "常人才办〔2025〕25号")


def _sign_in_thread(app, assignment_id, signer_id, results, barrier):
    from replyflow.models import User
    with app.app_context():
        try:
            signer = db.session.get(User, signer_id)
            assignment = db.session.get(Assignment, assignment_id)
            assignment.current_reply  # loaded before the race, as a page would have
            barrier.wait()
            reply_service.sign_reply(signer, assignment)  # the test's frozen clock is the process's
            db.session.commit()
            results.append(assignment.current_reply.doc_number)
        finally:
            db.session.remove()


def test_two_signers_at_once_get_two_numbers(app, world):
    with clock.frozen(date(2025, 3, 18)):
        cases = [make_case(world, "awaiting_signoff", number=n) for n in (1, 2, 3)]
        db.session.commit()
    ids = [c.assignments[0].id for c in cases]
    results, barrier = [], threading.Barrier(3)
    signers = [world.signer.id, world.handler_signer.id, world.signer.id]
    threads = [threading.Thread(target=_sign_in_thread, args=(app, i, s, results, barrier))
               for i, s in zip(ids, signers)]
    with clock.frozen(date(2025, 5, 20)):  # frozen here only: the clock is one for all threads
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert sorted(results) == ["常人才办〔2025〕1号", "常人才办〔2025〕2号", "常人才办〔2025〕3号"]


def test_saving_an_unchanged_draft_keeps_no_new_version(world, browser):
    s = make_case(world, "drafted")
    db.session.commit()
    a = s.assignments[0]
    handler, editor = browser("luoyang"), f"/assignments/{a.id}/reply"
    reply = a.current_reply
    form = {f: (getattr(reply, f) or "") for f in ("answer_class", "disclosure", "doc_number", "title", "salutation",
                                                    "body", "signer_name", "handler_name", "phone", "cc",
                                                    "issuing_organ")}
    page = handler.follow(handler.submit(editor, editor, {**form, "issue_date": "", "send": "0"}))
    assert "内容没有改动，未生成新版本" in page
    assert len(fresh(Assignment, a.id).current_reply.versions) == 1
    handler.submit(editor, editor, {**form, "body": form["body"] + "\n二、下一步", "issue_date": "", "send": "0"})
    assert len(fresh(Assignment, a.id).current_reply.versions) == 2
    assert [e.action for e in fresh(Submission, s.id).events].count("save_draft") == 2


# -- 答复审核 ---------------------------------------------------------------------------------------

def test_a_signed_reply_is_reviewed_before_it_goes_out(world, browser):
    world.cppcc.review_replies = True
    s = make_case(world, "signed")
    db.session.commit()
    a = s.assignments[0]
    url = f"/submissions/{s.id}"
    handler, clerk = browser("luoyang"), browser("clerk_zx")
    page = handler.page(url)
    assert "等待提案委答复审核" in page and f"/assignments/{a.id}/reply/deliver" not in page
    handler.post(f"/assignments/{a.id}/reply/deliver", expect=302)
    assert fresh(Assignment, a.id).state == "signed"  # refused: not reviewed yet
    assert "待审核答复" in clerk.page("/")
    page = clerk.page(url)
    assert "✓ 格式" in page and "没有与提出人沟通的记录" in page  # what the clerk checks
    clerk.submit(url, f"/assignments/{a.id}/review/return", {"comment": "请先与委员沟通，并补充具体措施。"})
    a = fresh(Assignment, a.id)
    assert (a.state, a.round) == ("drafting", 2) and a.replies[0].signed_docx is not None
    assert a.current_reply.doc_number is None
    assert "请先与委员沟通，并补充具体措施。" in handler.page(f"/assignments/{a.id}/reply")  # the department sees why
    assert "请先与委员沟通，并补充具体措施。" in handler.page(url)
    with clock.frozen(date.today()):
        assignment_service.record_contact(world.handler, a, date.today(), "phone", "电话沟通，委员同意。")
        try:  # the same text again is not an answer to the return
            reply_service.submit_for_signoff(world.handler, a)
            raise AssertionError("an unchanged reply went to sign-off again")
        except WorkflowError as refusal:
            assert "答复件与上一轮相同" in refusal.message
        revise(world, a)
        reply_service.submit_for_signoff(world.handler, a)
        reply_service.sign_reply(world.signer, a)
        db.session.commit()
    assert "✓ 已与提出人沟通 1 次" in clerk.page(url)
    clerk.submit(url, f"/assignments/{a.id}/review/pass", {"comment": "同意答复"})
    a = fresh(Assignment, a.id)
    assert a.state == "approved" and a.current_reply.reviewed_by_id == world.clerk.id
    handler.submit(url, f"/assignments/{a.id}/reply/deliver")
    assert fresh(Assignment, a.id).state == "delivered"


def test_without_review_the_department_delivers_at_once(world, browser):
    s = make_case(world, "signed")
    db.session.commit()
    a = s.assignments[0]
    assert f"/assignments/{a.id}/review/pass" not in browser("clerk_zx").page(f"/submissions/{s.id}")
    browser("luoyang").submit(f"/submissions/{s.id}", f"/assignments/{a.id}/reply/deliver")
    assert fresh(Assignment, a.id).state == "delivered"


# -- a paper 征询意见表 --------------------------------------------------------------------------

def test_a_clerk_enters_a_paper_feedback_form(world, browser):
    s = make_case(world, "delivered")
    db.session.commit()
    a = s.assignments[0]
    clerk, url = browser("clerk_zx"), f"/submissions/{s.id}"
    assert "录入纸质征询意见表" in clerk.page(url)
    assert "征询意见表填写日期" in clerk.page(url) and "征询意见表填写日期" not in browser("caoliujun").page(url)
    page = clerk.follow(clerk.submit(url, f"/assignments/{a.id}/feedback", {
        "handling_rating": "satisfied", "result_rating": "satisfied", "answered_on": "2020-01-01", "contacted": "no"}))
    assert "征询意见表的填写日期须在答复之后、今天之前" in " ".join(flashes(page))
    answered = clock.today().isoformat()
    page = clerk.follow(clerk.submit(url, f"/assignments/{a.id}/feedback", {
        "handling_rating": "satisfied", "answered_on": answered, "result_rating": "basically_satisfied", "contacted": "no",
        "comment": "书面反馈"}))
    assert "评价已记录" in page, flashes(page)
    feedback = db.session.scalar(select(Feedback))
    assert (feedback.member_id, feedback.entered_by_id, feedback.answered_on) == (
        world.member.id, world.clerk.id, clock.today())
    assert fresh(Assignment, a.id).state == "closed"
    assert "纸质征询意见表，孙丽录入" in browser("caoliujun").page(url)
    event = db.session.scalar(select(Event).where(Event.action == "feedback_satisfied"))
    assert f"纸质征询意见表，{cn_date(clock.today())}填写，孙丽代曹留俊委员录入" in event.comment


def test_the_case_page_shows_answer_class_and_disclosure_to_staff(world, browser):
    s = make_case(world, "delivered")
    db.session.commit()
    staff = browser("clerk_zx").page(f"/submissions/{s.id}")
    assert "A类" in staff and "所提问题已经解决或基本解决" in staff and "公开属性" in staff
    member = browser("caoliujun").page(f"/submissions/{s.id}")
    assert "A类" in member and "公开属性" not in member


# -- the proposer's e-mails over a whole case life ------------------------------------------------

def test_the_proposers_emails_over_a_whole_case_life_each_once(world, browser, smtp):
    w = world
    clerk, handler, co_handler, signer = browser("clerk_zx"), browser("luoyang"), browser("zhanglei"), browser("wuyin")
    member = browser("caoliujun")
    with clock.frozen(date(2025, 1, 15)):
        s = make_case(w, "registered")
        db.session.commit()
    url = f"/submissions/{s.id}"

    def step(day, *actions):
        with clock.frozen(day):
            for user, path, data in actions:
                user.submit(url, path, data)
            drain()
            drain()  # a second drain sends nothing twice

    step(date(2025, 1, 20), (clerk, f"{url}/accept", {"comment": ""}))
    with clock.frozen(date(2025, 3, 18)):
        clerk.submit(f"{url}/assign", f"{url}/assign", {"mode": "lead", "lead_id": w.talent.id,
                                                        "co_ids": [w.scitech.id], "due_on": "", "comment": ""})
        drain()
    main, co = lead_and_co(fresh(Submission, s.id))
    step(date(2025, 3, 20), (handler, f"/assignments/{main.id}/acknowledge", {}),
         (co_handler, f"/assignments/{co.id}/acknowledge", {}),
         (co_handler, f"/assignments/{co.id}/opinion", {"opinion": "同意。"}))
    editor = f"/assignments/{main.id}/reply"
    data = {**{k: v or "" for k, v in reply_service.draft_defaults(w.handler, fresh(Assignment, main.id)).items()},
            "answer_class": "A", "disclosure": "public", "body": "你们提出的……收悉。\n一、基本情况",
            "signer_name": "吴寅", "handler_name": "罗杨", "phone": "15951228660", "issue_date": "", "send": "1"}
    for day, body in ((date(2025, 5, 20), data["body"]), (date(2025, 7, 10), data["body"] + "\n二、具体措施")):
        with clock.frozen(day):
            handler.submit(editor, editor, {**data, "body": body})
        step(day, (signer, f"/assignments/{main.id}/reply/sign", {"comment": ""}),
             (handler, f"/assignments/{main.id}/reply/deliver", {}))
        if day.month == 5:
            step(date(2025, 6, 1), (member, f"/assignments/{main.id}/feedback",
                                    {"handling_rating": "satisfied", "result_rating": "dissatisfied", "comment": "措施不具体",
                                     "contacted": "yes", "contact_method": "phone"}),
                 (clerk, f"/assignments/{main.id}/rehandle", {"due_on": "", "comment": "请补充措施。"}))
    step(date(2025, 7, 20), (member, f"/assignments/{main.id}/feedback",
                             {"handling_rating": "satisfied", "result_rating": "satisfied", "comment": "", "contacted": "no"}))

    received = Counter()
    for recipients, message in smtp["inbox"].messages:
        for to in recipients:
            received[(to, message["Subject"])] += 1
    subject = "市政协十五届四次会议提案第0294号"
    lead_mail, cosigner_mail = "caoliujun@example.com", "fengjianguo@example.com"
    assert received[(lead_mail, f"【提案办理】{subject}：已立案")] == 1
    assert received[(lead_mail, f"【提案办理】{subject}：已交办")] == 1
    assert received[(lead_mail, f"【提案答复】{subject}：中共常州市委人才工作领导小组办公室（请评价）")] == 2  # two answers
    assert received[(lead_mail, f"【提案办理】{subject}：重新办理")] == 1
    assert received[(cosigner_mail, f"【提案办理】{subject}：已立案")] == 1
    assert received[(cosigner_mail, f"【提案办理】{subject}：已交办")] == 1
    assert received[(cosigner_mail, f"【提案答复】{subject}：中共常州市委人才工作领导小组办公室")] == 2
    assert received[(cosigner_mail, f"【提案办理】{subject}：重新办理")] == 1
    proposer_mails = {k: n for k, n in received.items() if k[0] in (lead_mail, cosigner_mail)}
    assert len(proposer_mails) == 8 and sum(proposer_mails.values()) == 10  # nothing else, nothing twice
    # the content: 交办 names the departments; the answer links the signed reply and asks the lead for feedback
    by_subject = {m["Subject"]: m.get_content() for r, m in smtp["inbox"].messages if lead_mail in r}
    assert "主办：中共常州市委人才工作领导小组办公室；会办：常州市科学技术局" in by_subject[f"【提案办理】{subject}：已交办"]
    answer = by_subject[f"【提案答复】{subject}：中共常州市委人才工作领导小组办公室（请评价）"]
    reply_ids = [r.id for r in db.session.scalars(select(Reply).order_by(Reply.id))]
    assert f"https://tajy.example.gov.cn/replies/{reply_ids[-1]}/download" in answer and "征询意见表" in answer


def test_a_rejection_is_mailed_with_its_ground(world, browser, smtp):
    s = make_case(world)
    db.session.commit()
    browser("clerk_zx").submit(f"/submissions/{s.id}", f"/submissions/{s.id}/reject",
                               {"ground_id": world.grounds[0].id, "note": "请向县级部门反映。"})
    drain()
    mails = [m for r, m in smtp["inbox"].messages if "caoliujun@example.com" in r]
    assert len(mails) == 1 and mails[0]["Subject"].endswith("：不予立案")
    assert "理由：不属于本级职权范围：请向县级部门反映。" in mails[0].get_content()
