"""a TOTP second factor for the roles a setting names

Revision ID: 9e5b7c4d0f63
Revises: 8d4a6b3c9e52
Create Date: 2026-12-01 11:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '9e5b7c4d0f63'
down_revision = '8d4a6b3c9e52'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret')
