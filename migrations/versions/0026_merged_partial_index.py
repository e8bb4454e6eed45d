"""the cases merged into others, by a partial index: SQLite counted the NULLs of every other case as one value
and scanned the table to find the cases merged into a page of hosts (30 ms of 我的提案 at 200,000 cases)

Revision ID: e1a3c5d7f9b2
Revises: d0f2b4c6e8a1
Create Date: 2026-12-03 11:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e1a3c5d7f9b2'
down_revision = 'd0f2b4c6e8a1'
branch_labels = None
depends_on = None

MERGED = "merged_into_id IS NOT NULL"


def upgrade():
    op.drop_index("ix_submission_merged_into_id", table_name="submission")
    op.create_index("ix_submission_merged_into_id", "submission", ["merged_into_id"],
                    sqlite_where=sa.text(MERGED), postgresql_where=sa.text(MERGED))


def downgrade():
    op.drop_index("ix_submission_merged_into_id", table_name="submission")
    op.create_index("ix_submission_merged_into_id", "submission", ["merged_into_id"])
