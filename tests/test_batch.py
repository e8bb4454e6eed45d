"""批量处理 from the list: 立案, 交办, 催办 and the export, each case done or refused on its own, never half done."""
import io
import re
import zipfile
from datetime import date

from sqlalchemy import func, select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import Assignment, Event, Notification, Submission
from replyflow.services import ServiceError

from .factories import make_case

TODAY = date(2025, 2, 1)


def post(clerk, action, cases, expect=200, **fields):
    with clock.frozen(TODAY):
        page = clerk.page("/submissions")
        assert 'id="batch"' in page and 'form="batch"' in page
        ids = [c if isinstance(c, int) else c.id for c in cases]
        response = clerk.client.post("/submissions/batch", data={
            "csrf_token": clerk.token(page), "action": action, "ids": [str(i) for i in ids], **fields})
    assert response.status_code == expect, response.status_code
    return response


def outcomes(html):
    body = html.split('id="outcomes"')[1].split("</table>")[0]
    return [re.sub(r"<[^>]+>", "", tr).split()[-1] for tr in body.split("<tr")[2:]]


def fresh(case):
    db.session.expire_all()
    return db.session.get(Submission, case.id)


def test_batch_accept_does_each_case_and_says_why_one_was_refused(world, browser):
    with clock.frozen(TODAY):
        waiting = [make_case(world, "registered", number=n) for n in (1, 2, 3)]
        done_already = make_case(world, "accepted", number=4)
        other_body = make_case(world, "registered", number=5, sitting=world.npc, lead=world.deputy)
    db.session.commit()
    events = db.session.scalar(select(func.count()).select_from(Event))
    html = post(browser("clerk_zx"), "accept", [*waiting, done_already, other_body]).text
    assert "批量立案：完成 3 件，未处理 2 件" in html
    rows = outcomes(html)
    assert rows[:3] == ["完成：已立案，编号第0001号。", "完成：已立案，编号第0002号。", "完成：已立案，编号第0003号。"]
    assert "不能立案" in rows[3] and rows[4] == "未处理：不存在，或您无权处理。"
    assert [fresh(c).state for c in waiting] == ["accepted"] * 3
    assert fresh(other_body).state == "registered"
    assert db.session.scalar(select(func.count()).select_from(Event)) == events + 3


def test_batch_assign_gives_every_case_the_same_departments_and_due_date(world, browser):
    with clock.frozen(TODAY):
        accepted = [make_case(world, "accepted", number=n) for n in (11, 12)]
        registered = make_case(world, "registered", number=13)
    db.session.commit()
    html = post(browser("clerk_zx"), "assign", [*accepted, registered], mode="lead", lead_id=str(world.talent.id),
                co_ids=[str(world.scitech.id)], due_on="2025-04-30", comment="请认真办理。").text
    assert "批量交办：完成 2 件，未处理 1 件" in html
    for case in accepted:
        case = fresh(case)
        assert case.state == "assigned"
        assert [(a.department.name, a.role, a.due_on) for a in case.assignments if a.role == "lead"] == [
            ("中共常州市委人才工作领导小组办公室", "lead", date(2025, 4, 30))]
        assert [a.department.name for a in case.assignments if a.role == "co"] == ["常州市科学技术局"]
    assert fresh(registered).assignments == []


def test_a_bad_choice_refuses_every_case_and_changes_nothing(world, browser):
    with clock.frozen(TODAY):
        accepted = [make_case(world, "accepted", number=n) for n in (21, 22)]
    db.session.commit()
    clerk = browser("clerk_zx")
    html = post(clerk, "assign", accepted, mode="split", split_ids=[str(world.talent.id)]).text
    assert outcomes(html) == ["未处理：分办须选择至少两个单位。"] * 2
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0
    # without a 主办 the form itself is refused, before any case
    response = post(clerk, "assign", accepted, expect=302, mode="lead", lead_id="0")
    assert "批量交办须选择主办单位" in clerk.follow(response)
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_a_case_that_fails_half_way_is_undone_whole_and_the_others_go_on(world, browser, monkeypatch):
    """The second case's 交办 writes its assignments, then its notice fails: that case is left as it was."""
    from replyflow.services import assignments as assignment_service

    with clock.frozen(TODAY):
        cases = [make_case(world, "accepted", number=n) for n in (31, 32, 33)]
    db.session.commit()
    real = assignment_service.notify

    def failing(users, submission, message):
        if submission.number == "0032":
            raise ServiceError("通知写入失败。")
        return real(users, submission, message)

    monkeypatch.setattr(assignment_service, "notify", failing)
    html = post(browser("clerk_zx"), "assign", cases, mode="lead", lead_id=str(world.talent.id)).text
    assert outcomes(html)[1] == "未处理：通知写入失败。"
    assert [fresh(c).state for c in cases] == ["assigned", "accepted", "assigned"]
    assert fresh(cases[1]).assignments == [] and fresh(cases[1]).next_due_on is None
    assert db.session.scalar(select(func.count()).select_from(Event).where(
        Event.submission_id == cases[1].id, Event.action == "assign")) == 0


def test_batch_urge_tells_each_open_department_and_needs_words(world, browser):
    with clock.frozen(TODAY):
        cases = [make_case(world, "acknowledged", number=n) for n in (41, 42)]
        answered = make_case(world, "delivered", number=43)
    db.session.commit()
    clerk = browser("clerk_zx")
    refused = post(clerk, "urge", cases, expect=302, comment=" ")
    assert "批量催办须填写催办内容" in clerk.follow(refused)
    before = db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == world.handler.id))
    html = post(clerk, "urge", [*cases, answered], comment="请于本周内答复。").text
    assert outcomes(html) == ["完成：已催办：中共常州市委人才工作领导小组办公室。"] * 2 + [
        "未处理：没有正在办理的承办单位，无需催办。"]
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == world.handler.id)) == before + 2


def test_batch_export_zips_the_ticked_cases_signed_replies_only(world, browser):
    with clock.frozen(TODAY):
        ticked = make_case(world, "signed", number=51)
        make_case(world, "signed", number=52)
    db.session.commit()
    clerk = browser("clerk_zx")
    response = post(clerk, "export", [ticked], expect=302)
    assert response.headers["Location"].startswith("/submissions/replies.zip?ids=")
    archive = zipfile.ZipFile(io.BytesIO(clerk.get(response.headers["Location"]).data))
    assert [name.split("_")[0] for name in archive.namelist()] == ["第0051号"]


def test_only_clerks_see_the_batch_form_and_too_many_are_refused(app, world, browser):
    with clock.frozen(TODAY):
        cases = [make_case(world, "registered", number=n) for n in (61, 62, 63)]
    db.session.commit()
    assert 'id="batch"' not in browser("luoyang").page("/submissions")
    app.config["BATCH_LIMIT"] = 2
    try:
        clerk = browser("clerk_zx")
        response = post(clerk, "accept", cases, expect=302)
        assert "一次最多批量处理 2 件，已勾选 3 件" in clerk.follow(response)
    finally:
        app.config["BATCH_LIMIT"] = 500
    assert all(fresh(c).state == "registered" for c in cases)
