"""a case's next due date kept on its row (sort by 办理期限, 已超期) and an index on merged_into_id

Revision ID: a1f3c5e7b9d2
Revises: 9e5b7c4d0f63
Create Date: 2026-12-01 14:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a1f3c5e7b9d2'
down_revision = '9e5b7c4d0f63'
branch_labels = None
depends_on = None

#: workflow.states.OPEN as it stands at this revision
OPEN = ("pending_ack", "adjustment_requested", "drafting", "awaiting_signoff", "signed", "approved")


def upgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_due_on', sa.Date(), nullable=True))
        batch_op.create_index('ix_submission_next_due', ['next_due_on', 'id'], unique=False)
        batch_op.create_index('ix_submission_merged_into_id', ['merged_into_id'], unique=False)
    states = ", ".join(f"'{s}'" for s in OPEN)
    op.execute(f"UPDATE submission SET next_due_on = (SELECT min(assignment.due_on) FROM assignment "
               f"WHERE assignment.submission_id = submission.id AND assignment.state IN ({states}))")


def downgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index('ix_submission_merged_into_id')
        batch_op.drop_index('ix_submission_next_due')
        batch_op.drop_column('next_due_on')
