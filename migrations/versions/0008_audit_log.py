"""the security audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained

Revision ID: 8d4a6b3c9e52
Revises: 7c3f5a2b8d41
Create Date: 2026-12-01 10:50:00

"""
from alembic import op
import sqlalchemy as sa

from replyflow.audit import guard


revision = '8d4a6b3c9e52'
down_revision = '7c3f5a2b8d41'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('username', sa.String(length=40), nullable=True),
        sa.Column('ip', sa.String(length=45), nullable=True),
        sa.Column('action', sa.String(length=60), nullable=False),
        sa.Column('object', sa.String(length=60), nullable=True),
        sa.Column('result', sa.String(length=12), nullable=False),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.Column('prev_hash', sa.String(length=64), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    )
    for column in ('at', 'user_id', 'username', 'action', 'object'):
        op.create_index(f'ix_audit_log_{column}', 'audit_log', [column])
    op.create_table(
        'audit_head',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('last_id', sa.Integer(), nullable=False),
        sa.Column('last_hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head')),
    )
    op.execute("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '" + "0" * 64 + "')")
    for statement in guard.statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    for statement in guard.statements(op.get_bind().dialect.name, drop=True):
        op.execute(statement)
    op.drop_table('audit_head')
    for column in ('at', 'user_id', 'username', 'action', 'object'):
        op.drop_index(f'ix_audit_log_{column}', table_name='audit_log')
    op.drop_table('audit_log')
