"""stored files move from the database to the storage path (STORAGE_PATH), named by their SHA-256

Revision ID: d1f5b7c9e3a4
Revises: c9e4a6b8d0f2
Create Date: 2026-12-01 16:30:00

"""
import warnings
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


revision = 'd1f5b7c9e3a4'
down_revision = 'c9e4a6b8d0f2'
branch_labels = None
depends_on = None

#: (table, the blob column, the column that names its file)
MOVED = [("attachment", "data", "data_file"), ("department", "template_docx", "template_file"),
         ("reply", "signed_docx", "signed_docx_file"), ("reply", "signed_pdf", "signed_pdf_file")]
CHUNK = 200


def _copy(table, source, target, convert):
    """Rewrite `target` from `source` for every row that has one, a chunk of rows at a time."""
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(sa.text(f"SELECT id, {source} FROM {table} WHERE {source} IS NOT NULL AND id > :last "
                                    f"ORDER BY id LIMIT {CHUNK}"), {"last": last}).all()
        if not rows:
            return
        bind.execute(sa.text(f"UPDATE {table} SET {target} = :value WHERE id = :id"),
                     [{"id": row[0], "value": convert(row[1])} for row in rows])
        last = rows[-1][0]


@contextmanager
def _quiet():
    """SQLite's batch mode reflects the tables these refer to; submission's expression indexes (0012) cannot be
    reflected, and need not be: submission itself is not rebuilt here."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        yield


def upgrade():
    from replyflow import storage   # the app's own writer, with the app's STORAGE_PATH

    with _quiet():
        for table, blob, named in MOVED:
            with op.batch_alter_table(table) as batch_op:
                batch_op.add_column(sa.Column(named, sa.String(64), nullable=True))
            _copy(table, blob, named, lambda value: storage.put(bytes(value)))
            with op.batch_alter_table(table) as batch_op:
                batch_op.drop_column(blob)
                if table == "attachment":   # every attachment has its file
                    batch_op.alter_column(named, existing_type=sa.String(64), nullable=False)


def downgrade():
    from replyflow import storage

    with _quiet():
        for table, blob, named in MOVED:
            with op.batch_alter_table(table) as batch_op:
                batch_op.add_column(sa.Column(blob, sa.LargeBinary(), nullable=True))
            _copy(table, named, blob, storage.get)
            with op.batch_alter_table(table) as batch_op:
                batch_op.drop_column(named)
