"""imports done (each upload imported once); indexes for the list's 信息不全 filter and for finding a
department's cases by its name

Revision ID: e5a7c9d1f3b6
Revises: d4f6b8c0e2a5
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5a7c9d1f3b6'
down_revision = 'd4f6b8c0e2a5'
branch_labels = None
depends_on = None

INCOMPLETE = "content IS NULL OR content = '' OR submitted_on IS NULL"


def upgrade():
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_digest"),
    )
    # the few cases brought in without text or date, found without walking the whole list
    op.create_index("ix_submission_incomplete", "submission", ["id"], sqlite_where=sa.text(INCOMPLETE),
                    postgresql_where=sa.text(INCOMPLETE))
    # a department's cases read from the index alone (the search by a department's name)
    op.create_index("ix_assignment_department_case", "assignment", ["department_id", "state", "submission_id"])


def downgrade():
    op.drop_index("ix_assignment_department_case", "assignment")
    op.drop_index("ix_submission_incomplete", "submission")
    op.drop_table("import_batch")
