"""跟踪落实: an answer of class B or C (人大 also D) stays under follow-up; the department's progress records,
the day of the last one (the clerk's list and the 3-month reminder read it by an index), and the mark of a
二次答复 on the reply that closes the matter

Revision ID: d0f2b4c6e8a1
Revises: c9e1a3b5d7f0
Create Date: 2026-12-03 11:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd0f2b4c6e8a1'
down_revision = 'c9e1a3b5d7f0'
branch_labels = None
depends_on = None

UNDER = "follow_up IN ('open', 'answering')"
#: the reminder scan's, the clerks' list's (by body) and a department's list's, each read in order
FOLLOW_UP_INDEXES = {
    "ix_assignment_follow_up": ["follow_up_last_on", "id"],
    "ix_assignment_body_follow_up": ["body", "follow_up_last_on", "id"],
    "ix_assignment_department_follow_up": ["department_id", "follow_up_last_on", "id"],
}


def upgrade():
    op.add_column("assignment", sa.Column("follow_up", sa.String(length=12), nullable=True))
    op.add_column("assignment", sa.Column("follow_up_since", sa.Date(), nullable=True))
    op.add_column("assignment", sa.Column("follow_up_last_on", sa.Date(), nullable=True))
    # partial: only the assignments under follow-up
    for name, columns in FOLLOW_UP_INDEXES.items():
        op.create_index(name, "assignment", columns, sqlite_where=sa.text(UNDER),
                        postgresql_where=sa.text(UNDER))
    op.add_column("reply", sa.Column("second_answer", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "follow_up_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), sa.ForeignKey("assignment.id", ondelete="CASCADE"), nullable=False),
        sa.Column("progress_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_follow_up_progress_assignment_id", "follow_up_progress", ["assignment_id"])


def downgrade():
    op.drop_table("follow_up_progress")
    op.drop_column("reply", "second_answer")
    for name in FOLLOW_UP_INDEXES:
        op.drop_index(name, table_name="assignment")
    op.drop_column("assignment", "follow_up_last_on")
    op.drop_column("assignment", "follow_up_since")
    op.drop_column("assignment", "follow_up")
