"""assignment.body: the case's body kept on each assignment, with an index for the clerks' 工作台 boxes

Revision ID: f5b9d1e3a7c8
Revises: e3a7c9d1f5b6
Create Date: 2026-12-01 20:20:00

"""
import warnings

from alembic import op
import sqlalchemy as sa


revision = 'f5b9d1e3a7c8'
down_revision = 'e3a7c9d1f5b6'
branch_labels = None
depends_on = None

BODY_STATE = ["body", "state", "due_on", "id"]


def _batch():
    """SQLite rebuilds the table; reflecting it reads the submission table's expression indexes, which
    SQLAlchemy cannot reflect and warns of (they are not touched)."""
    warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
    return op.batch_alter_table("assignment")


def upgrade():
    op.add_column("assignment", sa.Column("body", sa.String(length=8), nullable=True))
    op.execute("UPDATE assignment SET body = (SELECT sitting.body FROM submission JOIN sitting "
               "ON sitting.id = submission.sitting_id WHERE submission.id = assignment.submission_id)")
    with warnings.catch_warnings(), _batch() as batch:
        batch.alter_column("body", existing_type=sa.String(length=8), nullable=False)
    op.create_index("ix_assignment_body_state", "assignment", BODY_STATE)
    op.execute("ANALYZE assignment")


def downgrade():
    op.drop_index("ix_assignment_body_state", "assignment")
    with warnings.catch_warnings(), _batch() as batch:
        batch.drop_column("body")
