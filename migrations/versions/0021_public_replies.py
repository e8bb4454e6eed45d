"""the public replies' list (政务公开) read from an index of the public replies alone

Revision ID: f6b8d0e2a4c7
Revises: e5a7c9d1f3b6
Create Date: 2026-12-02 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f6b8d0e2a4c7'
down_revision = 'e5a7c9d1f3b6'
branch_labels = None
depends_on = None

PUBLIC_REPLY = "disclosure = 'public' AND delivered_at IS NOT NULL"


def upgrade():
    op.create_index("ix_reply_public", "reply", ["issue_date", "id"], sqlite_where=sa.text(PUBLIC_REPLY),
                    postgresql_where=sa.text(PUBLIC_REPLY))


def downgrade():
    op.drop_index("ix_reply_public", "reply")
