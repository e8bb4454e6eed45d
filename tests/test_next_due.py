"""Submission.next_due_on, kept after every flush, is always the earliest due date of the case's open
assignments, whatever the services did: the list sorts by it and finds 已超期 by it."""
from datetime import timedelta

from sqlalchemy import select

from replyflow.clock import today
from replyflow.extensions import db
from replyflow.models import Assignment, Submission
from replyflow.services import assignments as assignment_service
from replyflow.services import deadlines as deadline_service
from replyflow.services import feedback as feedback_service
from replyflow.workflow.states import OPEN

from .conftest import Browser
from .factories import STAGES, make_case


def _consistent():
    db.session.expire_all()
    for s in db.session.scalars(select(Submission)):
        dues = [a.due_on for a in db.session.scalars(select(Assignment).where(Assignment.submission_id == s.id))
                if a.state in OPEN]
        assert s.next_due_on == (min(dues) if dues else None), (s.number, s.state, s.next_due_on, dues)


def test_next_due_follows_every_step_of_the_workflow(world):
    cases = [make_case(world, stage, number=n + 1, mode="co" if n % 2 else "lead") for n, stage in enumerate(STAGES)]
    db.session.commit()
    _consistent()
    acknowledged = cases[STAGES.index("acknowledged")]
    deadline_service.change_due(world.clerk, acknowledged.assignments[0], today() + timedelta(days=200), "会期调整")
    db.session.commit()
    _consistent()
    dissatisfied = cases[STAGES.index("dissatisfied")]
    feedback_service.order_rehandling(world.clerk, dissatisfied.assignments[0], None, "请重新办理")
    db.session.commit()
    _consistent()
    assigned = cases[STAGES.index("assigned")]
    assignment_service.request_adjustment(world.handler, assigned.assignments[0], "不属于本单位职责")
    assignment_service.grant_adjustment(world.clerk, assigned.assignments[0], world.education, None, "改交教育局")
    db.session.commit()
    _consistent()


def test_the_list_sorts_by_due_and_finds_the_overdue_by_it(world, app):
    early, late = make_case(world, "acknowledged", number=1), make_case(world, "acknowledged", number=2)
    make_case(world, "registered", number=3)   # no due date: last
    early.assignments[0].due_on = today() - timedelta(days=2)
    late.assignments[0].due_on = today() + timedelta(days=30)
    db.session.commit()
    clerk = Browser(app, "clerk_zx")
    page = clerk.client.get("/submissions?sort=due").text
    assert page.index("第0001号") < page.index("第0002号") < page.index("第0003号")
    overdue = clerk.client.get("/submissions?overdue=1").text
    assert "第0001号" in overdue and "第0002号" not in overdue and "第0003号" not in overdue
