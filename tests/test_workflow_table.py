"""The transition table is the one authority: what the page offers, the engine allows."""
from datetime import date

import pytest
from sqlalchemy import select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import Assignment, Submission, User
from replyflow.workflow import actors, engine
from replyflow.workflow.deadlines import add_months
from replyflow.workflow.states import ASSIGNMENT_STATES, STARTS, SUBMISSION_STATES, TRANSITIONS


def test_table_is_well_formed():
    for t in TRANSITIONS.values():
        states = SUBMISSION_STATES if t.target == "submission" else ASSIGNMENT_STATES
        assert set(t.sources) <= set(states), t.name
        assert t.dest is None or t.dest in states, t.name
        assert all(a in actors.RULES for a in t.actors), t.name


def test_offered_actions_are_exactly_the_allowed_ones(app, ctx):
    """On the whole demo, for every user and object: offered ⇔ allowed (guards aside)."""
    with clock.frozen(date(2026, 11, 23)):
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        users = db.session.scalars(select(User)).all()
        objects = [*db.session.scalars(select(Submission)), *db.session.scalars(select(Assignment))]
        checked = 0
        for user in users:
            for obj in objects:
                offered = {t.name for t in engine.available(user, obj)}
                for name, t in TRANSITIONS.items():
                    if not t.actors or t.name in STARTS or t.target != engine._target_of(obj):
                        continue
                    try:
                        engine.check(user, obj, name, comment="意见")
                        allowed = True
                    except engine.NotAllowed:
                        allowed = False
                    except engine.WorkflowError:
                        allowed = None  # right person, wrong moment or a guard: offered only if state fits
                    if allowed is True:
                        assert name in offered, (user.username, obj, name)
                    if allowed is False:
                        assert name not in offered, (user.username, obj, name)
                    checked += 1
    assert checked > 10000


@pytest.mark.parametrize("start,months,expected", [
    (date(2025, 3, 18), 3, date(2025, 6, 18)),
    (date(2025, 11, 30), 3, date(2026, 2, 28)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)),
    (date(2025, 8, 31), 1, date(2025, 9, 30)),
    (date(2025, 12, 15), 1, date(2026, 1, 15)),
])
def test_calendar_months(start, months, expected):
    assert add_months(start, months) == expected


def test_every_transition_people_fire_has_one_registry_row(app):
    """Each action is declared once: the registry covers exactly the transitions people fire."""
    from replyflow.actions.registry import ACTIONS, BY_TRANSITION

    fired_by_people = {name for name, t in TRANSITIONS.items() if t.actors and name not in STARTS}
    assert set(BY_TRANSITION) == fired_by_people
    assert len({a.name for a in ACTIONS}) == len(ACTIONS)
    rules = {r.endpoint: r for r in app.url_map.iter_rules()}
    for a in ACTIONS:
        if a.path:
            assert rules[f"actions.{a.name}"].methods >= {"POST"} and "GET" not in rules[f"actions.{a.name}"].methods
        else:
            assert a.page in rules, a.name


def test_case_pages_show_exactly_the_offered_actions(app, ctx, browser):
    """Over the demo, for each role's login: the forms and links on the case page are the registry rows of
    the transitions the engine offers, and nothing else."""
    import re

    from replyflow.demo import LOGINS
    from replyflow.demo.catalog import PASSWORD
    from replyflow.submissions.casepage import offers

    with clock.frozen(date(2026, 11, 23)):
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        submissions = db.session.scalars(select(Submission).order_by(Submission.id)).all()
        action_url = re.compile(r'(?:action|href)="(/(?:submissions|assignments)/\d+/[a-z/_-]+)"')
        for _, username in LOGINS:
            user = db.session.scalar(select(User).where(User.username == username))
            client = browser()
            client.login(username, PASSWORD)
            for s in submissions:
                response = client.client.get(f"/submissions/{s.id}")
                if response.status_code != 200:
                    continue
                with app.test_request_context():
                    expected = {o.url for obj in (s, *s.assignments) for o in offers(user, obj)
                                if obj is s or s.answer_host is s}
                shown = {u for u in action_url.findall(response.text) if not u.startswith(f"/submissions/{s.id}#")}
                assert shown == expected, (username, s.number, shown ^ expected)
