"""Keyword search over a case's title and proposers and over its full text (its own text and its delivered
replies), with an index, on SQLite and PostgreSQL alike; and over the names of the departments it is assigned to.

Chinese has no spaces, so words cannot be told apart without a dictionary; like Lucene's CJK analyzer we
index every two adjacent characters (加装电梯 → 加装 装电 电梯) and find a typed run of characters as the
phrase of its pairs, which is exactly "contains this text" for any run of two or more characters. Latin
letters and digits are indexed as words and found by prefix. SQLite keeps the pairs in FTS5 tables,
PostgreSQL in GIN indexes over tsvectors ('simple'): neither needs an extension or a dictionary.

Pairs rather than the trigrams of FTS5's trigram tokenizer or pg_trgm: two-character words (人才, 养老, 电梯)
are most of what people type in Chinese, and a trigram index cannot serve them (both fall back to a scan of
every text for a query under three characters).

A query with a lone Chinese character (one character between separators) cannot be a phrase of pairs;
`matches` returns None for it and the list falls back to a scan of titles and proposers."""
import re
import unicodedata

from flask import g
from markupsafe import Markup, escape
from sqlalchemy import Integer, column, literal_column, or_, select, text, union

from . import planner
from .extensions import db
from .models import Assignment, Department, Submission
from .models.search_terms import IS_CJK, pairs, runs
from .paging import count_up_to

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


#: the indexes: (SQLite FTS5 table, PostgreSQL tsvector) of the titles and proposers, and of the full texts
INDEXES = {"title": ("submission_fts", PG_VECTOR), "text": ("submission_text_fts", "submission.text_vector")}


def _found(query: str, dialect: str, index: str):
    """PostgreSQL: the WHERE clause; SQLite: the SELECT of the matching cases' ids (None: not by the index)."""
    parts = _parts(query)
    if not parts:
        return None
    fts, vector = INDEXES[index]
    if dialect == "postgresql":
        # tokens are only Chinese pairs and [0-9a-z] words: nothing in them needs escaping in a tsquery
        tsquery = " & ".join(" <-> ".join(f"'{t}'" for t in tokens) + (":*" if kind == "prefix" else "")
                             for kind, tokens in parts)
        return literal_column(vector).op("@@")(
            text(f"to_tsquery('simple'::regconfig, :search_{index})").bindparams(**{f"search_{index}": tsquery}))
    return text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :search_{index}").bindparams(
        **{f"search_{index}": _fts_query(parts)}).columns(column("rowid", Integer))


def _fts_query(parts) -> str:
    """An FTS5 query: every run as the phrase of its pairs, words by prefix."""
    return " AND ".join('"' + " ".join(tokens) + '"' + ("*" if kind == "prefix" else "") for kind, tokens in parts)


def in_full_text(query: str, dialect: str):
    """A WHERE clause: the case's full text (its own and its delivered replies') holds `query`; None when the
    index cannot serve it (a lone Chinese character) or nothing searchable was typed."""
    found = _found(query, dialect, "text")
    if found is None or dialect == "postgresql":
        return found
    return Submission.id.in_(found)


def active_departments() -> list:
    """The active departments, read once a request: the list's filter shows them and the search reads their names."""
    cache = g.setdefault("search_departments", [])
    if not cache:
        cache.extend(db.session.scalars(select(Department).where(Department.active.is_(True))
                                        .order_by(Department.name)))
    return cache


def department_ids(query: str) -> list[int]:
    """The departments whose name holds the whole query (科学技术局); none when it is more than one run."""
    words = runs(query)
    if len(words) != 1 or len(words[0]) < 2:
        return []
    return [d.id for d in active_departments() if words[0] in unicodedata.normalize("NFKC", d.name).lower()]


def matches(query: str, dialect: str):
    """(WHERE clause over both indexes and the departments' names, the clause of a hit in the title or
    proposers, or None) — the list ranks those first when the matches are few (planner.DENSE or fewer): ranking
    sorts every match before the first page, which for a word in half the archive took 190 ms. None when the
    index cannot serve the query.

    SQLite: counted first, each index up to DENSE, in one statement. Few: their ids are fetched and sorted. Many:
    the list's order is walked, each case looked up in each index's set of matches (a UNION of the sets, built
    first and again for its count, took 150 ms for 人才)."""
    title, body = _found(query, dialect, "title"), _found(query, dialect, "text")
    if title is None:
        return None
    departments = department_ids(query)
    assigned = select(Assignment.submission_id).where(Assignment.department_id.in_(departments),
                                                      Assignment.state != "reassigned") if departments else None
    # the full-text index holds the titles and proposers too: it finds every match; the title index ranks
    postgresql = dialect == "postgresql"
    parts = [select(Submission.id).where(body) if postgresql else select(*body.subquery().c)] + (
        [assigned] if assigned is not None else [])
    # each set counted up to DENSE on its own, in one statement: a count of their UNION built both whole first
    # (60,000 and 14,000 ids for 人才: 123 ms on PostgreSQL)
    counts = db.session.execute(select(*(count_up_to(part, planner.DENSE).scalar_subquery() for part in parts))).one()
    many = any(n > planner.DENSE for n in counts)
    if postgresql:
        found = [body, *([Submission.id.in_(assigned)] if assigned is not None else [])]
        return or_(*found), None if many else title
    if many:
        # each set built once (not per row) and the list's order walked: no UNION of them all first
        return or_(*(planner.id_in(part, many=True) for part in parts)), None
    return planner.id_in(union(*parts) if len(parts) > 1 else parts[0], many=False), Submission.id.in_(title)


def _runs(query: str) -> list[str]:
    return sorted({r for r in runs(query) if len(r) > 1 or not IS_CJK.match(r)}, key=len, reverse=True)


def highlight(value: str, query: str) -> Markup:
    """`value` escaped, every typed run in it marked (<mark>), matched as the index does (width and case folded)."""
    return _mark(value or "", _runs(query))


def snippet(texts, query: str, around: int = 36) -> Markup | None:
    """The first place in `texts` where a typed run occurs, with `around` characters either side, marked."""
    wanted = _runs(query)
    for value in texts:
        folded = unicodedata.normalize("NFKC", value or "").lower()
        found = [(folded.find(r), r) for r in wanted if r in folded]
        if found:
            at, run = min(found)
            start, end = max(0, at - around), min(len(folded), at + len(run) + around)
            piece = unicodedata.normalize("NFKC", value)[start:end].replace("\n", " ")
            return Markup(("…" if start else "") + _mark(piece, wanted) + ("…" if end < len(folded) else ""))
    return None


def _mark(value: str, wanted: list[str]) -> Markup:
    if not wanted:
        return escape(value)
    folded = unicodedata.normalize("NFKC", value).lower()
    if len(folded) != len(value):   # NFKC changed the length: mark nothing rather than the wrong characters
        return escape(value)
    pattern = re.compile("|".join(re.escape(r) for r in wanted))
    out, last = [], 0
    for hit in pattern.finditer(folded):
        out += [escape(value[last:hit.start()]), Markup("<mark>"), escape(value[hit.start():hit.end()]),
                Markup("</mark>")]
        last = hit.end()
    out.append(escape(value[last:]))
    return Markup("").join(out)
