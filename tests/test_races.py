"""Two people acting on one row at the same moment, over a real server: exactly one action happens, and
the other is told who was first. The requests meet at a barrier after their state check, so the race is
forced, not left to luck: on PostgreSQL the row lock makes the second wait and then see the first's
result; on SQLite the version column makes the second's UPDATE match no row."""
import threading

import pytest
from sqlalchemy import func, select

from replyflow.clock import cn_date, today
from replyflow.extensions import db
from replyflow.models import Assignment, Event, Reply
from replyflow.workflow import engine

from .factories import make_case
from .live import LiveServer, LiveUser


@pytest.fixture
def forced_race(monkeypatch):
    """Hold each request after its state check until the other has reached the same point (or 3 s)."""
    barrier = threading.Barrier(2)
    original = engine.check

    def check(*args, **kwargs):
        t = original(*args, **kwargs)
        try:
            barrier.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        return t
    monkeypatch.setattr(engine, "check", check)
    return barrier


def _race(app, path_and_data, users):
    """Post each (path, data) as the matching user at once; the HTTP statuses in order."""
    with LiveServer(app) as server:
        clients = [LiveUser(server.url, u) for u in users]
        tokens = [c.token() for c in clients]
        results = [None] * len(clients)

        def go(i):
            path, data = path_and_data[i]
            results[i] = clients[i].post(path, data, tokens[i])[0]
        threads = [threading.Thread(target=go, args=(i,)) for i in range(len(clients))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        messages = [c.flashes() for c in clients]
    return results, messages


def _events(assignment_id, *actions):
    return db.session.scalar(select(func.count()).select_from(Event).where(
        Event.assignment_id == assignment_id, Event.action.in_(actions)))


@pytest.mark.parametrize("second", ["reply/sign", "reply/return"])
def test_sign_racing_sign_or_return_gives_one_transition(world, app, forced_race, second):
    s = make_case(world, "awaiting_signoff")
    db.session.commit()
    a_id = s.assignments[0].id
    comment = {"comment": "请补充数据。"}
    statuses, messages = _race(app, [(f"/assignments/{a_id}/reply/sign", {"comment": ""}),
                                     (f"/assignments/{a_id}/{second}", comment)],
                               ["wuyin", "both"])
    assert statuses == [302, 302]
    db.session.expire_all()
    a = db.session.get(Assignment, a_id)
    assert _events(a_id, "sign_reply", "return_reply") == 1
    reply = db.session.scalar(select(Reply).where(Reply.assignment_id == a_id))
    # never an impossible state: signed and frozen, or back in drafting with nothing frozen
    assert (a.state, reply.signed_sha256 is not None) in (("signed", True), ("drafting", False))
    late = [m for m in messages if any("此事项已由" in x for x in m)]
    assert len(late) == 1, messages
    told = " ".join(late[0])
    assert ("本次操作未保存" in told or "不能" in told) and cn_date(today()) in told   # who, and when (Beijing time)


def test_accepting_one_case_twice_at_once_writes_one_event(world, app, forced_race):
    s = make_case(world, "registered")
    db.session.commit()
    # a double click, or the same page open in two tabs
    statuses, messages = _race(app, [(f"/submissions/{s.id}/accept", {"comment": ""})] * 2, ["clerk_zx", "clerk_zx"])
    assert statuses == [302, 302]
    assert db.session.scalar(select(func.count()).select_from(Event).where(
        Event.submission_id == s.id, Event.action == "accept")) == 1
    assert sum(any("此事项已由" in x for x in m) for m in messages) == 1, messages


def _editor_form(page_html, **changes):
    import re
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page_html))
    fields.update({k: v for k, v in re.findall(r'name="(\w+)"[^>]*>([^<]*)</textarea>', page_html)})
    fields.update(changes)
    return fields


def test_a_stale_draft_save_is_refused_and_both_texts_are_shown(world, browser):
    s = make_case(world, "drafted")   # version 1 saved by 罗杨
    db.session.commit()
    a = s.assignments[0]
    url = f"/assignments/{a.id}/reply"
    mine, colleague = browser("luoyang"), browser("both")
    stale = mine.page(url)                       # 罗杨 opens the editor on 第1版 …
    theirs = colleague.page(url)
    base = {"answer_class": "A", "disclosure": "public", "send": "0"}
    colleague.post(url, _editor_form(theirs, **base, body="同事补充的第二版正文。"), expect=302)   # … a colleague saves 第2版
    refused = mine.post(url, _editor_form(stale, **base, body="我在旧页面上改的正文。"), expect=200)
    page = refused.text
    assert "保存为第2版，您这次的修改未保存" in page
    assert "同事补充的第二版正文。" in page and "我在旧页面上改的正文。" in page   # both texts, nothing lost
    db.session.expire_all()
    reply = db.session.scalar(select(Reply).where(Reply.assignment_id == a.id))
    assert reply.body == "同事补充的第二版正文。" and len(reply.versions) == 2
    # saving again from the refusal page builds on 第2版, knowingly
    mine.post(url, _editor_form(page, **base, body="合并后的正文。"), expect=302)
    db.session.expire_all()
    reply = db.session.get(Reply, reply.id)
    assert reply.body == "合并后的正文。" and len(reply.versions) == 3
