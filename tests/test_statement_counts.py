"""A page runs a fixed number of SQL statements whatever the number of rows it shows (≤ 12 on the main
pages): an N+1 query cannot come back unnoticed."""
import pytest

from replyflow import create_app
from replyflow.diagnostics import HEADER
from replyflow.extensions import db

from .conftest import Browser
from .factories import make_case

LIMIT = 12
STAGES = ["registered", "accepted", "assigned", "drafted", "awaiting_signoff", "delivered", "dissatisfied"]


@pytest.fixture
def counting(app):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], SQL_COUNT=True)


def _cases(world, n, start):
    made = [make_case(world, STAGES[i % len(STAGES)], number=start + i, mode="co" if i % 3 else "lead",
                      answer_class="B")   # the delivered ones under 跟踪落实, for its list
            for i in range(n)]
    db.session.commit()
    return made


def _statements(counting, username, path):
    user = Browser(counting, username)
    response = user.client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return int(response.headers[HEADER])


PAGES = {
    "clerk_zx": ["/", "/submissions", "/submissions?sort=due", "/submissions?state=assigned",
                 "/submissions?q=建议", "/submissions?overdue=1", "/notifications", "/submissions/{case}",
                 "/follow-ups"],
    "luoyang": ["/", "/submissions", "/submissions/{case}", "/notifications", "/follow-ups"],
    "caoliujun": ["/", "/submissions", "/submissions/{case}", "/mine"],
}


@pytest.mark.parametrize("username", list(PAGES))
def test_the_main_pages_run_a_fixed_number_of_statements(world, counting, username):
    # the case shown: delivered, with a 会办 (the fullest page); first among few cases, then among many
    few = _cases(world, 7, 100)
    counts_few = {p: _statements(counting, username, p.format(case=few[5].id)) for p in PAGES[username]}
    many = _cases(world, 28, 200)
    counts_many = {p: _statements(counting, username, p.format(case=many[5].id)) for p in PAGES[username]}
    print(username, counts_few, counts_many)
    assert counts_many == counts_few, "the count grows with the rows shown"
    assert max(counts_many.values()) <= LIMIT, counts_many
