"""cases brought in from Excel: 正文 and 提交日期 may be empty (信息不全), the proposer's suggested departments
(建议承办单位), and sittings created by an import marked 待完善

Revision ID: a1c3e5f7b9d2
Revises: f5b9d1e3a7c8
Create Date: 2026-12-01 23:00:00

"""
import warnings

from alembic import op
import sqlalchemy as sa


revision = 'a1c3e5f7b9d2'
down_revision = 'f5b9d1e3a7c8'
branch_labels = None
depends_on = None

#: 0012's expression indexes: SQLite's batch rebuild of the table cannot reflect them, so they are made again
BY_NUMBER = [sa.text("sitting_id DESC"), sa.text("(number_sort IS NULL)"), "number_sort", "id"]
EXPRESSION_INDEXES = {
    "ix_submission_list_order": BY_NUMBER,
    "ix_submission_state_order": ["state", *BY_NUMBER],
    "ix_submission_due_order": [sa.text("(next_due_on IS NULL)"), "next_due_on", "id"],
}


def _rebuild(nullable: bool):
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in EXPRESSION_INDEXES:
            op.drop_index(name, "submission")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table("submission") as batch:
            batch.alter_column("content", existing_type=sa.Text(), nullable=nullable)
            batch.alter_column("submitted_on", existing_type=sa.Date(), nullable=nullable)
            if nullable:
                batch.add_column(sa.Column("suggested_departments", sa.String(length=300), nullable=True))
            else:
                batch.drop_column("suggested_departments")
    if sqlite:
        for name, columns in EXPRESSION_INDEXES.items():
            op.create_index(name, "submission", columns)


def upgrade():
    _rebuild(nullable=True)
    op.add_column("sitting", sa.Column("incomplete", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    op.execute("UPDATE submission SET content = '' WHERE content IS NULL")
    op.execute("UPDATE submission SET submitted_on = DATE(created_at) WHERE submitted_on IS NULL")
    _rebuild(nullable=False)
    with op.batch_alter_table("sitting") as batch:
        batch.drop_column("incomplete")
