"""keyword search by an index: submission.search_terms, an FTS5 table on SQLite, a GIN-indexed tsvector on PostgreSQL

Revision ID: b7d2e4f6a8c1
Revises: a1f3c5e7b9d2
Create Date: 2026-12-01 16:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d2e4f6a8c1'
down_revision = 'a1f3c5e7b9d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_terms', sa.Text(), nullable=False, server_default=''))
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE submission_fts USING fts5(terms, tokenize = 'unicode61')")
    # the terms of the cases already there, written by the code that keeps them from now on (it reads only
    # submission.id, title and the proposers, which this revision has)
    from sqlalchemy.orm import Session

    from replyflow.models import search_terms

    session = Session(bind=bind)
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM submission ORDER BY id"))]
    search_terms.refresh(session, ids, full_text=False)
    session.flush()
    if bind.dialect.name == "postgresql":
        # stored, so a phrase's positions are read, not computed again for every row the index returns
        op.execute("ALTER TABLE submission ADD COLUMN search_vector tsvector "
                   "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_terms)) STORED")
        op.execute("CREATE INDEX ix_submission_search ON submission USING gin (search_vector)")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE submission_fts")
    else:
        op.execute("DROP INDEX ix_submission_search")
        op.execute("ALTER TABLE submission DROP COLUMN search_vector")
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_column('search_terms')
