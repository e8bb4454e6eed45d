"""a version on cases, assignments and replies: of two writers who read the same row, one wins

Revision ID: 6b2e4f1a9c30
Revises: 5a1d0c9e2b47
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '6b2e4f1a9c30'
down_revision = '5a1d0c9e2b47'
branch_labels = None
depends_on = None

TABLES = ('submission', 'assignment', 'reply')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
