"""重点 cases' supervision: the supervising leader and office on the case, and its 督办记录

Revision ID: d4f6b8c0e2a5
Revises: c3e5a7b9d1f4
Create Date: 2026-12-02 00:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd4f6b8c0e2a5'
down_revision = 'c3e5a7b9d1f4'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("submission", sa.Column("supervisor", sa.String(length=80), nullable=True))
    op.add_column("submission", sa.Column("supervising_office", sa.String(length=80), nullable=True))
    op.create_table(
        "supervision_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_supervision_record_submission_id", "supervision_record", ["submission_id"])


def downgrade():
    op.drop_index("ix_supervision_record_submission_id", "supervision_record")
    op.drop_table("supervision_record")
    # SQLite's own DROP COLUMN (3.35+), not Alembic's rebuild of the table, which loses 0012's expression indexes
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("ALTER TABLE submission DROP COLUMN supervising_office")
        op.execute("ALTER TABLE submission DROP COLUMN supervisor")
    else:
        op.drop_column("submission", "supervising_office")
        op.drop_column("submission", "supervisor")
