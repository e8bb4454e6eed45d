"""what the statistics count, kept on each assignment by the services: the first answer's date and whether it
was on time and preceded by a contact, the latest answer's class and the proposer's latest ratings

Revision ID: b2d4f6a8c0e1
Revises: a1c3e5f7b9d2
Create Date: 2026-12-01 23:30:00

"""
import warnings
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


revision = 'b2d4f6a8c0e1'
down_revision = 'a1c3e5f7b9d2'
branch_labels = None
depends_on = None

COLUMNS = [
    sa.Column("answered_on", sa.Date(), nullable=True),
    sa.Column("answered_on_time", sa.Boolean(), nullable=True),
    sa.Column("contacted_before_answer", sa.Boolean(), nullable=True),
    sa.Column("answer_class", sa.String(length=4), nullable=True),
    sa.Column("handling_rating", sa.String(length=24), nullable=True),
    sa.Column("result_rating", sa.String(length=24), nullable=True),
]
LOCAL = ZoneInfo("Asia/Shanghai")


def upgrade():
    for column in COLUMNS:
        op.add_column("assignment", column)
    bind = op.get_bind()
    # the first delivery's local date, in Python: each database writes time zones its own way
    first = bind.execute(sa.text("SELECT assignment_id, MIN(delivered_at) FROM reply WHERE delivered_at IS NOT NULL "
                                 "GROUP BY assignment_id")).all()
    rows = []
    for assignment_id, delivered_at in first:
        if isinstance(delivered_at, str):   # SQLite hands back an aggregate's DATETIME as text
            delivered_at = datetime.fromisoformat(delivered_at)
        rows.append({"aid": assignment_id, "day": delivered_at.replace(tzinfo=timezone.utc).astimezone(LOCAL).date()})
    if rows:
        bind.execute(sa.text("UPDATE assignment SET answered_on = :day WHERE id = :aid"), rows)
    # after a 重新办理 the due date is the new round's: the first answer's own is not known, so neither is its
    # timeliness (the statistics leave it out of 按时办复率 rather than guess)
    op.execute("UPDATE assignment SET answered_on_time = (answered_on <= due_on) WHERE answered_on IS NOT NULL "
               "AND round = 1")
    op.execute("UPDATE assignment SET contacted_before_answer = EXISTS (SELECT 1 FROM contact_record c WHERE "
               "c.assignment_id = assignment.id AND c.contact_on <= assignment.answered_on) "
               "WHERE answered_on IS NOT NULL")
    op.execute("UPDATE assignment SET answer_class = (SELECT r.answer_class FROM reply r WHERE r.assignment_id = "
               "assignment.id AND r.delivered_at IS NOT NULL ORDER BY r.round DESC LIMIT 1) "
               "WHERE answered_on IS NOT NULL")
    for column in ("handling_rating", "result_rating"):
        op.execute(f"UPDATE assignment SET {column} = (SELECT f.{column} FROM feedback f JOIN reply r ON r.id = "
                   f"f.reply_id WHERE r.assignment_id = assignment.id ORDER BY r.round DESC LIMIT 1) "
                   "WHERE answered_on IS NOT NULL")


def downgrade():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table("assignment") as batch:
            for column in COLUMNS:
                batch.drop_column(column.name)
