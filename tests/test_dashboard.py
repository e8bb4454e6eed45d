"""The 工作台's lists: each count and its first items, as the rows in the database say, for each role;
a clerk of one body sees that body's cases only."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from replyflow import planner
from replyflow.clock import today
from replyflow.dashboard.todo import SHOWN, lists_for
from replyflow.extensions import db
from replyflow.models import Assignment, Submission

from .factories import make_case


def _lists(user):
    return {todo.key: todo for _, section in lists_for(user) for todo in section}


@pytest.mark.parametrize("dense", [0, 500])
def test_the_clerks_lists_hold_what_the_database_holds_in_order_and_only_for_his_body(world, app, monkeypatch, dense):
    """Both ways a body's cases are found (SQLite starts from a body of few cases, planner.DENSE) agree."""
    monkeypatch.setattr(planner, "DENSE", dense)
    registered = [make_case(world, "registered", number=n, title=f"第{n}件") for n in (12, 3, 40, 7, 25, 1, 9, 30,
                                                                                    2, 18, 11, 5)]
    make_case(world, "registered", number=8, sitting=world.npc)           # the other body's
    npc_late = make_case(world, "acknowledged", number=9, sitting=world.npc)
    npc_late.assignments[0].due_on = today() - timedelta(days=1)
    late = make_case(world, "acknowledged", number=100)
    late.assignments[0].due_on = today() - timedelta(days=3)
    make_case(world, "delivered", number=101)
    make_case(world, "dissatisfied", number=102)
    db.session.commit()
    with app.test_request_context():
        lists = _lists(world.clerk)
    assert lists["to_review"].count == len(registered) and len(lists["to_review"].items) == SHOWN
    assert [s.number for s in lists["to_review"].items] == [
        "0001", "0002", "0003", "0005", "0007", "0009", "0011", "0012", "0018", "0025"]
    assert [a.submission.number for a in lists["overdue"].items] == ["0100"] and lists["overdue"].count == 1
    assert lists["awaiting_feedback"].count == 1 and lists["dissatisfied"].count == 1
    assert lists["to_assign"].count == 0 and lists["to_assign"].items == []
    with app.test_request_context():
        npc = _lists(world.clerk_npc)
    assert npc["to_review"].count == 1 and [a.submission_id for a in npc["overdue"].items] == [npc_late.id]
    assert {(a.submission.sitting.body, a.body) for a in db.session.scalars(select(Assignment))} == {
        ("cppcc", "cppcc"), ("npc", "npc")}   # kept from the case's sitting


def test_a_departments_and_a_members_lists(world, app):
    make_case(world, "assigned", number=1)
    make_case(world, "acknowledged", number=2)
    make_case(world, "awaiting_signoff", number=3)
    make_case(world, "delivered", number=4)
    db.session.commit()
    with app.test_request_context():
        handler, signer, member = _lists(world.handler), _lists(world.signer), _lists(world.member_user)
    assert [a.submission.number for a in handler["to_acknowledge"].items] == ["0001"]
    assert [a.submission.number for a in handler["to_draft"].items] == ["0002"]
    assert "to_sign" not in handler and [a.submission.number for a in signer["to_sign"].items] == ["0003"]
    assert member["mine"].count == 4 and member["to_rate"].count == 1
    mine = db.session.scalars(select(Assignment).where(Assignment.department_id == world.talent.id)).all()
    assert handler["due_soon"].count + handler["overdue"].count <= len(mine)
    assert {s.id for s in member["mine"].items} == set(db.session.scalars(select(Submission.id)))


def test_a_box_counts_up_to_its_cap_and_then_says_more(world, app, browser, monkeypatch):
    from replyflow.dashboard import todo

    for n in range(1, 6):
        make_case(world, "registered", number=n)
    db.session.commit()
    monkeypatch.setattr(todo, "COUNT_CAP", 3)
    with app.test_request_context():
        box = _lists(world.clerk)["to_review"]
    assert (box.count, box.more, len(box.items)) == (3, True, 5)
    page = browser("clerk_zx").page("/")
    assert 'data-count="3">3+</span>' in page and "查看全部 →" in page     # how many in all: the list says
    monkeypatch.setattr(todo, "COUNT_CAP", 5)
    with app.test_request_context():
        box = _lists(world.clerk)["to_review"]
    assert (box.count, box.more) == (5, False)
    assert 'data-count="5">5</span>' in browser("clerk_zx").page("/")
