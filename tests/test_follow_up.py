"""跟踪落实: a B-class answer stays under follow-up after the case closes; progress, the clerk's list, the
3-month reminder, and the 二次答复 signed, delivered and rated like the first."""
from datetime import date, datetime, time

from sqlalchemy import func, select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import Assignment, FollowUpProgress, Notification, Reminder, Submission
from replyflow.notifications import reminders
from replyflow.services import follow_up as follow_up_service
from replyflow.services import replies as reply_service

from .conftest import flashes
from .factories import make_case


def at(day, hour=10):
    return clock.frozen(datetime.combine(day, time(hour)))


def _case(sid):
    db.session.expire_all()
    return db.session.get(Submission, sid)


def _delivered_b(world, day=date(2025, 6, 10), **kw):
    with at(day):
        case = make_case(world, "delivered", answer_class="B", **kw)
    db.session.commit()
    return case


def test_b_answer_follow_up_progress_second_answer_rated(world, browser):
    case = _delivered_b(world)
    sid, a_id = case.id, case.assignments[0].id
    url = f"/submissions/{sid}"
    a = case.assignments[0]
    assert (a.follow_up, a.follow_up_since, a.follow_up_last_on) == ("open", date(2025, 6, 10), date(2025, 6, 10))
    handler, signer, member, clerk = (browser(u) for u in ("luoyang", "wuyin", "caoliujun", "clerk_zx"))

    # the member rates the B answer: the case closes, the matter stays under follow-up
    with at(date(2025, 6, 20)):
        member.submit(url, f"/assignments/{a_id}/feedback", {
            "handling_rating": "satisfied", "result_rating": "basically_satisfied", "contacted": "no"})
    s = _case(sid)
    assert s.state == "closed" and s.assignments[0].state == "closed" and s.assignments[0].follow_up == "open"
    assert "跟踪落实中" in member.page(url)

    # the department records progress; a date in the future or an empty text changes nothing
    with at(date(2025, 9, 1)):
        bad = handler.post(f"/assignments/{a_id}/follow-up/progress", {"text": "x", "progress_on": "2025-09-30"},
                           expect=302)
        assert "晚于今天" in " ".join(flashes(handler.client.get(bad.headers["Location"]).text))
        handler.post(f"/assignments/{a_id}/follow-up/progress", {"text": "  "}, expect=302)
        assert db.session.scalar(select(func.count()).select_from(FollowUpProgress)) == 0
        handler.submit(url, f"/assignments/{a_id}/follow-up/progress",
                       {"text": "专项资金已列入2026年预算，正在制定实施细则。", "progress_on": ""})
    s = _case(sid)
    assert s.assignments[0].follow_up_last_on == date(2025, 9, 1)
    assert [p.text for p in s.assignments[0].progress] == ["专项资金已列入2026年预算，正在制定实施细则。"]
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == world.member_user.id, Notification.message.contains("落实进展"))) == 1
    page = member.page(url)
    assert "专项资金已列入2026年预算" in page
    mine = member.page("/mine")
    assert "正在落实" in mine and "专项资金已列入2026年预算" in mine

    # the clerk's list: the case and its last progress date; others may not add progress
    listing = clerk.page("/follow-ups")
    assert s.title in listing and "2025年9月1日" in listing
    assert s.title in handler.page("/follow-ups")
    for other in ("caoliujun", "clerk_zx", "guxiaoyan"):
        assert browser(other).post(f"/assignments/{a_id}/follow-up/progress", {"text": "x"}).status_code in (403, 404)
    assert member.client.get("/follow-ups").status_code == 403

    # solved: the 二次答复, drafted in a new round, signed, delivered and rated like the first
    with at(date(2025, 11, 3)):
        handler.submit(url, f"/assignments/{a_id}/follow-up/second-answer")
    s = _case(sid)
    a = s.assignments[0]
    # the case stays 已办结 (its first answer counted): the 二次答复 is in hand under 跟踪落实
    assert (a.state, a.round, s.state, a.follow_up) == ("drafting", 2, "closed", "answering")
    assert a.current_reply.second_answer and a.current_reply.answer_class is None
    # the draft names the first answer and leaves the rest to the handler
    first = a.replies[0]
    assert a.current_reply.body.startswith("你们提出的《关于广纳海外高层次人才，赋能区域经济高质量发展的建议》的提案，"
                                           f"我单位已于2025年6月10日以{first.doc_number}作出答复。")
    assert "一、落实情况" in a.current_reply.body and "基本情况" not in a.current_reply.body
    assert "二次答复办理中" in clerk.page("/follow-ups")
    second = {**a.current_reply.snapshot(), "answer_class": "A", "issue_date": "",
              "body": a.current_reply.body + "实施细则已于2025年10月印发，专项资金已拨付。", "send": "1"}
    second = {k: ("" if v is None else v) for k, v in second.items()}
    with at(date(2025, 11, 5)):
        handler.submit(f"/assignments/{a_id}/reply", f"/assignments/{a_id}/reply", second)
        signer.submit(url, f"/assignments/{a_id}/reply/sign")
        handler.submit(url, f"/assignments/{a_id}/reply/deliver")
    s = _case(sid)
    a = s.assignments[0]
    assert a.state == "delivered" and a.follow_up == "done" and a.answer_class == "A"
    assert [r.second_answer for r in a.replies] == [False, True] and all(r.delivered_at for r in a.replies)
    assert a.answered_on == date(2025, 6, 10)  # the first answer keeps its day for the statistics
    page = member.page(url)
    assert "二次答复" in page and "已被替代" not in page
    assert "二次答复" in member.page("/mine")
    with at(date(2025, 11, 10)):
        member.submit(url, f"/assignments/{a_id}/feedback", {
            "handling_rating": "satisfied", "result_rating": "satisfied", "contacted": "yes", "contact_method": "face"})
    s = _case(sid)
    assert s.state == "closed" and s.assignments[0].current_reply.feedback.result_rating == "satisfied"
    assert s.title not in clerk.page("/follow-ups")
    # the first answer's rating is kept beside the second's
    assert [r.feedback.result_rating for r in s.assignments[0].replies] == ["basically_satisfied", "satisfied"]


def test_a_classes_need_no_follow_up_and_npc_d_does(world, ctx):
    with at(date(2025, 6, 10)):
        plain = make_case(world, "delivered", number=1)
        npc = make_case(world, "delivered", number=2, sitting=world.npc, answer_class="D")
        cppcc_d_like = make_case(world, "delivered", number=3, answer_class="C")
    db.session.commit()
    assert plain.assignments[0].follow_up is None
    assert npc.assignments[0].follow_up == "open"
    assert cppcc_d_like.assignments[0].follow_up == "open"


def test_no_progress_for_three_months_is_reminded_once_a_month(world, ctx):
    case = _delivered_b(world)
    a_id = case.assignments[0].id

    def scan(day):
        with at(day, 8):
            return reminders.scan()

    def follow_up_keys():
        return sorted(db.session.scalars(select(Reminder.key).where(Reminder.duty == "follow_up")))

    scan(date(2025, 9, 9))
    assert follow_up_keys() == []
    scan(date(2025, 9, 10))
    assert follow_up_keys() == [f"follow_up:{a_id}:stale-0:2025-09-10"]
    scan(date(2025, 9, 11))
    scan(date(2025, 9, 30))
    assert len(follow_up_keys()) == 1
    told = set(db.session.scalars(select(Notification.user_id).where(Notification.message.contains("已3个月无落实进展"))))
    # the department is chased; the clerks read the list (a sitting's B / C answers are hundreds a month)
    assert world.handler.id in told and world.clerk.id not in told and world.member_user.id not in told
    scan(date(2025, 10, 10))
    assert len(follow_up_keys()) == 2
    # progress resets the clock: nothing more until three months after it
    with at(date(2025, 10, 12)):
        follow_up_service.record_progress(world.handler, db.session.get(Assignment, a_id), "推进中")
    db.session.commit()
    scan(date(2025, 11, 10))
    scan(date(2026, 1, 11))
    assert len(follow_up_keys()) == 2
    scan(date(2026, 1, 12))
    assert len(follow_up_keys()) == 3 and f"follow_up:{a_id}:stale-0:2026-01-12" in follow_up_keys()


def test_the_list_is_each_keepers_own(world, browser):
    with at(date(2025, 6, 10)):
        ours = make_case(world, "delivered", number=11, answer_class="B", title="关于加快建设人才公寓的提案")
        theirs = make_case(world, "delivered", number=12, sitting=world.npc, answer_class="C",
                           title="关于完善技能人才评价的建议", lead=world.deputy, cosigners=[])
    db.session.commit()
    zx, rd = browser("clerk_zx").page("/follow-ups"), browser("clerk_rd").page("/follow-ups")
    assert ours.title in zx and theirs.title not in zx and "共 1 件" in zx
    assert theirs.title in rd and ours.title not in rd and "共 1 件" in rd
    # the department keeps both of its own; another department none of them
    assert "共 2 件" in browser("luoyang").page("/follow-ups")
    assert "共 0 件" in browser("guxiaoyan").page("/follow-ups")
    # 超过3个月无进展: none in July, both in September
    with at(date(2025, 7, 1)):
        assert "共 0 件" in browser("luoyang").page("/follow-ups?stale=1")
    with at(date(2025, 9, 11)):
        assert "共 2 件" in browser("luoyang").page("/follow-ups?stale=1")
        assert "共 1 件" in browser("luoyang").page(f"/follow-ups?stale=1&sitting={world.npc.id}")


def test_an_unrated_b_answer_may_be_answered_again_and_a_returned_second_answer_stays_one(world, browser):
    case = _delivered_b(world)
    a_id = case.assignments[0].id
    handler = browser("luoyang")
    with at(date(2025, 8, 1)):
        handler.submit(f"/submissions/{case.id}", f"/assignments/{a_id}/follow-up/second-answer")
    s = _case(case.id)
    a = s.assignments[0]
    assert (a.state, a.follow_up, s.state) == ("drafting", "answering", "answered")
    # no progress reminder while it is in hand
    with at(date(2025, 11, 1), 8):
        reminders.scan()
    assert db.session.scalar(select(func.count()).select_from(Reminder).where(Reminder.duty == "follow_up")) == 0
    # sent back by the signer after signing? a 退回重办 by the clerk opens a new round: still the 二次答复
    with at(date(2025, 8, 2)):
        data = {**a.current_reply.snapshot(), "answer_class": "A", "issue_date": None}
        reply_service.save_draft(world.handler, a, data)
        reply_service.submit_for_signoff(world.handler, a)
        reply_service.sign_reply(world.signer, a)
        reply_service.new_round(a, date(2025, 9, 1))
    db.session.commit()
    s = _case(case.id)
    assert [r.second_answer for r in s.assignments[0].replies] == [False, True, True]
    page = browser("clerk_zx").page(f"/submissions/{case.id}")
    rows = [r for r in page.split("<tr") if "第1轮" in r or "第2轮" in r or "第3轮" in r]
    first = next(r for r in rows if "第1轮" in r)
    second = next(r for r in rows if "第2轮" in r)
    assert "已被替代" not in first      # the B answer was delivered: the 二次答复 follows it
    assert "二次答复" in second and "已被替代" in second   # the signed draft sent back is replaced


def test_statistics_do_not_count_a_second_answer_in_hand_as_late(world, browser):
    case = _delivered_b(world)
    handler = browser("luoyang")
    with at(date(2025, 8, 1)):
        handler.submit(f"/submissions/{case.id}", f"/assignments/{case.assignments[0].id}/follow-up/second-answer")
    from replyflow.statistics import figures
    with at(date(2025, 12, 1)):   # long past the 二次答复's 30 days
        departments, total = figures.by_department(figures.Scope("cppcc", world.cppcc), date(2025, 12, 1))
    assert total.overdue == 0
