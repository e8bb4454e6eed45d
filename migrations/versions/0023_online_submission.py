"""网上提交: members' drafts with their co-signers' invitations and files, a sitting's submission window, the
网上提交 mark on a case, and the lead's request to withdraw (撤回)

Revision ID: b8d0f2a4c6e9
Revises: a7c9e1f3b5d8
Create Date: 2026-12-02 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b8d0f2a4c6e9'
down_revision = 'a7c9e1f3b5d8'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("sitting", sa.Column("submission_opens_on", sa.Date(), nullable=True))
    op.add_column("sitting", sa.Column("submission_closes_on", sa.Date(), nullable=True))
    op.add_column("submission", sa.Column("online", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("submission", sa.Column("withdrawal_reason", sa.Text(), nullable=True))
    op.add_column("submission", sa.Column("withdrawal_requested_at", sa.DateTime(), nullable=True))
    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), sa.ForeignKey("sitting.id"), nullable=False),
        sa.Column("lead_id", sa.Integer(), sa.ForeignKey("member.id"), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("category.id"), nullable=True),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("disclosure_wish", sa.String(length=16), nullable=False),
        sa.Column("suggested_departments", sa.String(length=300), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_draft_sitting_id", "draft", ["sitting_id"])
    op.create_index("ix_draft_lead_id", "draft", ["lead_id"])
    op.create_index("ix_draft_state", "draft", ["state"])
    op.create_table(
        "draft_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), sa.ForeignKey("draft.id", ondelete="CASCADE"), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("member.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("invited_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("draft_id", "member_id", name="uq_draft_invitation_member"),
    )
    op.create_index("ix_draft_invitation_draft_id", "draft_invitation", ["draft_id"])
    op.create_index("ix_draft_invitation_member_id", "draft_invitation", ["member_id"])
    op.create_table(
        "draft_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), sa.ForeignKey("draft.id", ondelete="CASCADE"), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data_file", sa.String(length=64), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_draft_file_draft_id", "draft_file", ["draft_id"])
    # SQLite cannot add a foreign key to a table: the column alone there (deleting a draft clears it in code)
    op.add_column("notification", sa.Column("draft_id", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.create_foreign_key("fk_notification_draft", "notification", "draft", ["draft_id"], ["id"],
                              ondelete="SET NULL")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_notification_draft", "notification", type_="foreignkey")
    op.drop_column("notification", "draft_id")
    op.drop_table("draft_file")
    op.drop_table("draft_invitation")
    op.drop_table("draft")
    op.drop_column("submission", "withdrawal_requested_at")
    op.drop_column("submission", "withdrawal_reason")
    op.drop_column("submission", "online")
    op.drop_column("sitting", "submission_closes_on")
    op.drop_column("sitting", "submission_opens_on")
