"""Keyword search over titles and proposers' names with an index, on SQLite and PostgreSQL alike.

Chinese has no spaces, so words cannot be told apart without a dictionary; like Lucene's CJK analyzer we
index every two adjacent characters (加装电梯 → 加装 装电 电梯) and find a typed run of characters as the
phrase of its pairs, which is exactly "contains this text" for any run of two or more characters. Latin
letters and digits are indexed as words and found by prefix. SQLite keeps the pairs in an FTS5 table,
PostgreSQL in a GIN index over to_tsvector('simple', …): neither needs an extension or a dictionary.

A query with a lone Chinese character (one character between separators) cannot be a phrase of pairs;
`clause` returns None for it and the list falls back to a scan."""
from sqlalchemy import Integer, column, literal_column, text

from . import planner
from .models.search_terms import IS_CJK, pairs, runs

#: PostgreSQL's stored tsvector of search_terms (migration 0011), GIN-indexed: stored, not an expression
#: index, so that checking a phrase's positions reads the vector instead of computing it again per row
PG_VECTOR = "submission.search_vector"


def _parts(query: str):
    """[(kind, tokens)] of a typed query — kind "phrase" (pairs) or "prefix" (a word); None when a
    lone Chinese character makes an indexed search impossible, [] when nothing searchable was typed."""
    parts = []
    for run in runs(query):
        if IS_CJK.match(run):
            if len(run) == 1:
                return None
            parts.append(("phrase", pairs(run)))
        else:
            parts.append(("prefix", [run]))
    return parts


def clause(query: str, dialect: str):
    """WHERE clause finding the submissions whose title or proposers contain every run of `query`;
    None when the query cannot be served by the index."""
    parts = _parts(query)
    if not parts:
        return None
    if dialect == "postgresql":
        # tokens are only Chinese pairs and [0-9a-z] words: nothing in them needs escaping in a tsquery
        tsquery = " & ".join(" <-> ".join(f"'{t}'" for t in tokens) + (":*" if kind == "prefix" else "")
                             for kind, tokens in parts)
        return literal_column(PG_VECTOR).op("@@")(
            text("to_tsquery('simple'::regconfig, :search_query)").bindparams(search_query=tsquery))
    match = " AND ".join('"' + " ".join(tokens) + '"' + ("*" if kind == "prefix" else "") for kind, tokens in parts)
    matches = text("SELECT rowid FROM submission_fts WHERE submission_fts MATCH :search_query").bindparams(
        search_query=match).columns(column("rowid", Integer))
    return planner.id_in(matches)
