"""indexes in the order the case list sorts, so a page of an archive is read from an index, not sorted;
one for a department's 工作台

Revision ID: c9e4a6b8d0f2
Revises: b7d2e4f6a8c1
Create Date: 2026-12-01 16:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c9e4a6b8d0f2'
down_revision = 'b7d2e4f6a8c1'
branch_labels = None
depends_on = None

# NB: SQLite's batch mode cannot reflect an expression index, so a later migration that rebuilds the submission
# table with batch_alter_table must create these indexes again.

#: the list's natural order (numbering.natural_order) after the sitting: the unnumbered last
BY_NUMBER = [sa.text("sitting_id DESC"), sa.text("(number_sort IS NULL)"), "number_sort", "id"]
INDEXES = {
    "ix_submission_list_order": BY_NUMBER,
    "ix_submission_state_order": ["state", *BY_NUMBER],
    "ix_submission_due_order": [sa.text("(next_due_on IS NULL)"), "next_due_on", "id"],
    "ix_submission_created": ["created_at", "id"],
    "ix_submission_submitted": ["submitted_on", "id"],
}


#: a department's 工作台 boxes: its assignments in a state, by due date
DEPARTMENT_BOXES = ["department_id", "state", "due_on", "id"]


def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(name, "submission", columns)
    op.create_index("ix_assignment_department_state", "assignment", DEPARTMENT_BOXES)
    op.execute("ANALYZE")   # the planner's statistics, so that it uses them (replyflow/maintenance.py)


def downgrade():
    op.drop_index("ix_assignment_department_state", "assignment")
    for name in INDEXES:
        op.drop_index(name, "submission")
