"""a user's notifications read in the list's order from an index, and the unread counted from a partial one

Revision ID: e3a7c9d1f5b6
Revises: d1f5b7c9e3a4
Create Date: 2026-12-01 20:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e3a7c9d1f5b6'
down_revision = 'd1f5b7c9e3a4'
branch_labels = None
depends_on = None

UNREAD = sa.text("read_at IS NULL")


def upgrade():
    op.create_index("ix_notification_list_order", "notification",
                    ["user_id", sa.text("(read_at IS NOT NULL)"), sa.text("created_at DESC"), sa.text("id DESC")])
    op.create_index("ix_notification_unread", "notification", ["user_id"], postgresql_where=UNREAD,
                    sqlite_where=UNREAD)
    op.drop_index("ix_notification_user_id", "notification")   # the list's index starts with user_id
    op.execute("ANALYZE notification")


def downgrade():
    op.create_index("ix_notification_user_id", "notification", ["user_id"])
    op.drop_index("ix_notification_unread", "notification")
    op.drop_index("ix_notification_list_order", "notification")
