"""How many SQL statements a request ran, in an X-SQL-Statements header when REPLYFLOW_SQL_COUNT=1: the
benchmarks read it from a real server and the tests from the test client, so an N+1 shows as a number."""
from flask import g, has_request_context
from sqlalchemy import event

HEADER = "X-SQL-Statements"


def register(app):
    if not app.config.get("SQL_COUNT"):
        return
    from .extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        if has_request_context():
            g.sql_statements = g.get("sql_statements", 0) + 1

    @app.after_request
    def _header(response):
        response.headers[HEADER] = str(g.get("sql_statements", 0))
        return response
