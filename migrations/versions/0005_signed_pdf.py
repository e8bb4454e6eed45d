"""signed replies keep their PDF beside the frozen .docx

Revision ID: 5a1d0c9e2b47
Revises: 79caf7b1f6b2
Create Date: 2026-12-01 10:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5a1d0c9e2b47'
down_revision = '79caf7b1f6b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reply', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signed_pdf', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('reply', schema=None) as batch_op:
        batch_op.drop_column('signed_pdf')
