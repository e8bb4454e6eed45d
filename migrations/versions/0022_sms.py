"""SMS (短信提醒): the outbox holds text messages beside e-mails; a user's mobile number and choice

Revision ID: a7c9e1f3b5d8
Revises: f6b8d0e2a4c7
Create Date: 2026-12-02 13:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7c9e1f3b5d8'
down_revision = 'f6b8d0e2a4c7'
branch_labels = None
depends_on = None


def upgrade():
    # plain ADD COLUMN: a batch rebuild of a SQLite table would lose what the migrations made beside it
    op.add_column("outbox_message", sa.Column("channel", sa.String(length=8), nullable=False, server_default="email"))
    op.add_column("user", sa.Column("mobile", sa.String(length=20), nullable=True))
    op.add_column("user", sa.Column("sms_enabled", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade():
    op.drop_column("user", "sms_enabled")
    op.drop_column("user", "mobile")
    op.drop_column("outbox_message", "channel")
