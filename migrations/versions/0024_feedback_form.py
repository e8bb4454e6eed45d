"""the 征询意见表 as offices print it: whether and how the department contacted the proposer before
answering (面商 / 电话 / 书面); co-signers' opinions on a reply

Revision ID: c9e1a3b5d7f0
Revises: b8d0f2a4c6e9
Create Date: 2026-12-02 14:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c9e1a3b5d7f0'
down_revision = 'b8d0f2a4c6e9'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("feedback", sa.Column("contacted", sa.Boolean(), nullable=True))
    op.add_column("feedback", sa.Column("contact_method", sa.String(length=8), nullable=True))
    op.create_table(
        "cosigner_opinion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reply_id", sa.Integer(), sa.ForeignKey("reply.id", ondelete="CASCADE"), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("member.id"), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reply_id", "member_id", name="uq_cosigner_opinion_member"),
    )
    op.create_index("ix_cosigner_opinion_reply_id", "cosigner_opinion", ["reply_id"])


def downgrade():
    op.drop_table("cosigner_opinion")
    op.drop_column("feedback", "contact_method")
    op.drop_column("feedback", "contacted")
