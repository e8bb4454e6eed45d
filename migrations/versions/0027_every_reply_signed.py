"""every reply carries the 发文机关署名 and the 成文日期 (GB/T 9704 7.3.5): the department's choice not to sign goes

Nine of ten published replies end with the organ's name and the date, and a 公文 without them has no place for the
seal; the switch defaulted to off, so no reply was signed. The organ's name as signed stays a department setting
(issuing_organ, default the department's name).

Revision ID: f2b4d6e8a0c3
Revises: e1a3c5d7f9b2
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f2b4d6e8a0c3'
down_revision = 'e1a3c5d7f9b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('department') as batch_op:
        batch_op.drop_column('signs_replies')


def downgrade():
    with op.batch_alter_table('department') as batch_op:
        batch_op.add_column(sa.Column('signs_replies', sa.Boolean(), server_default=sa.true(), nullable=False))
