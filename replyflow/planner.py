"""Helping the query planners over a province's archive, where one set of cases may be a handful or most of
200,000 and the statistics cannot tell which.

PostgreSQL plans well from its statistics when it is given values, not subqueries: a clerk's body is passed as
its sittings' ids. SQLite keeps no per-value statistics (its build has no STAT4): for a set of cases it is told
whether to start from the set (a few: fetch them by id and sort) or to walk the list's order and stop at a page
(many). One count up to DENSE decides; "id + 0" keeps SQLite from fetching by id."""
from flask import g
from sqlalchemy import literal_column, select, text

from .extensions import db
from .models import Assignment, Sitting, Submission
from .paging import count_up_to

#: above this many cases SQLite walks the list's order instead of fetching and sorting them
DENSE = 500

#: SQLite: the body's sittings, and beside each the body's cases counted up to DENSE + 1 (counted once: the
#: subquery is not correlated; counting each sitting's up to the cap read 12,000 index entries, 10 ms a page)
SQLITE_BODY_SITTINGS = text("SELECT id, (SELECT count(*) FROM (SELECT 1 FROM submission WHERE sitting_id IN "
                            "(SELECT id FROM sitting WHERE body = :body) LIMIT :cap)) FROM sitting WHERE body = :body "
                            "ORDER BY id")


def _sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def is_many(ids) -> bool:
    """Whether a SELECT of ids gives more than DENSE, counted no further."""
    return db.session.scalar(count_up_to(select(*ids.subquery().c), DENSE)) > DENSE


def id_in(ids, many: bool | None = None):
    """`Submission.id IN ids` (a SELECT of ids), so that SQLite pages a large set in the list's order: it
    fetched and sorted a department's 14,000 cases (22 ms at 200,000). `many`: when the caller counted already."""
    if not _sqlite():
        return Submission.id.in_(ids)
    if many is None:
        many = is_many(ids)
    return (Submission.id + 0 if many else Submission.id).in_(ids)


def _body_sittings(body: str):
    """(ids of the body's sittings, whether the body has few cases), read once a request in one statement:
    `g` lives as long as the app context, which for the web is one request (a sitting made in a request is not
    listed before its redirect)."""
    cache = g.setdefault("body_sittings", {})
    if body not in cache:
        if _sqlite():
            rows = db.session.execute(SQLITE_BODY_SITTINGS, {"body": body, "cap": DENSE + 1}).all()
            cache[body] = [row[0] for row in rows], bool(rows) and rows[0][1] <= DENSE
        else:
            ids = db.session.scalars(select(Sitting.id).where(Sitting.body == body).order_by(Sitting.id))
            cache[body] = list(ids), False
    return cache[body]


def body_clause(body: str, entity=Submission):
    """The cases (or assignments) of a body: its sittings' ids as values, so that PostgreSQL tells a body's
    few cases beside another's many (the 人大 clerk's list walked 200,000 政协 cases in the list's order: 90 ms
    instead of 5); on SQLite a body of few cases is found from them."""
    ids, few = _body_sittings(body)
    clause = Submission.sitting_id.in_(ids) if entity is Submission else Assignment.body == body
    return entity.id.in_(select(entity.id).where(clause)) if few else clause


def unindexed(column):
    """`column` as SQLite's no-op unary +, which keeps a condition on it from choosing an index: a sitting's
    assignments due in a span of weeks were read through the due date index of every sitting (137 ms at
    200,000 cases) instead of from the sitting's cases. PostgreSQL weighs both ways from its statistics."""
    if not _sqlite():
        return column
    return literal_column(f"+{column.table.name}.{column.name}", type_=column.type)
