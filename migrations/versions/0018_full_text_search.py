"""the full text of a case indexed for the search: its text and its delivered replies (SQLite: the FTS5 table
submission_text_fts; PostgreSQL: a GIN-indexed tsvector submission.text_vector)

Revision ID: c3e5a7b9d1f4
Revises: b2d4f6a8c0e1
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c3e5a7b9d1f4'
down_revision = 'b2d4f6a8c0e1'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE submission_text_fts USING fts5(terms, tokenize = 'unicode61')")
    else:
        op.execute("ALTER TABLE submission ADD COLUMN text_vector tsvector NOT NULL DEFAULT ''::tsvector")
    # the cases already there, written by the code that keeps them from now on (a few hundred at a time)
    from sqlalchemy.orm import Session

    from replyflow.models import search_terms

    session = Session(bind=bind)
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM submission ORDER BY id"))]
    search_terms.refresh(session, ids)
    session.flush()
    if bind.dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_submission_text_search ON submission USING gin (text_vector)")
        op.execute("ANALYZE submission")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE submission_text_fts")
    else:
        op.execute("DROP INDEX ix_submission_text_search")
        op.execute("ALTER TABLE submission DROP COLUMN text_vector")
