"""accounts: a session version that ends old sessions, password history, forced change, login lockout

Revision ID: 7c3f5a2b8d41
Revises: 6b2e4f1a9c30
Create Date: 2026-12-01 10:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7c3f5a2b8d41'
down_revision = '6b2e4f1a9c30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        'password_history',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('password_hash', sa.String(length=256), nullable=False),
        sa.Column('replaced_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_password_history_user_id_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_history')),
    )
    op.create_index('ix_password_history_user_id', 'password_history', ['user_id'])
    op.create_table(
        'login_throttle',
        sa.Column('username', sa.String(length=40), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', sa.DateTime(), nullable=True),
        sa.Column('locked_until', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('username', name=op.f('pk_login_throttle')),
    )


def downgrade():
    op.drop_table('login_throttle')
    op.drop_index('ix_password_history_user_id', table_name='password_history')
    op.drop_table('password_history')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('password_changed_at')
        batch_op.drop_column('session_version')
