"""The indexed forms of a case (see replyflow/search.py), rewritten after every flush that changes what they hold:

- Submission.search_terms: its title and proposers' names (on SQLite mirrored into the FTS5 table submission_fts,
  rowid = the case's id; on PostgreSQL the stored tsvector search_vector is generated from it);
- its full text: its title and proposers again, its text and the text of its delivered replies, kept only in
  the index (SQLite: the
  FTS5 table submission_text_fts; PostgreSQL: the GIN-indexed tsvector submission.text_vector), since the texts
  themselves are on their rows. (Departments are found by their names, search.py.)

Written by Core UPDATEs like next_due.py's, so the case's version does not move."""
import re
import unicodedata

from sqlalchemy import bindparam, event, select, text, update
from sqlalchemy.orm import Session

from .assignment import Assignment
from .member import Member
from .proposer import SubmissionProposer
from .reply import Reply
from .submission import Submission

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{_CJK}]+|[0-9a-z]+")
IS_CJK = re.compile(f"[{_CJK}]")


def runs(value: str) -> list[str]:
    """Runs of Chinese characters and runs of Latin letters or digits, after folding width and case."""
    return _RUN.findall(unicodedata.normalize("NFKC", value or "").lower())


def pairs(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def terms(*texts: str) -> str:
    """The indexed form of some texts: each Chinese run as its overlapping pairs (a lone character as
    itself), each Latin or digit run as a word; runs of different texts never join."""
    out = []
    for value in texts:
        for run in runs(value):
            if IS_CJK.match(run) and len(run) > 1:
                out += pairs(run)
            else:
                out.append(run)
    return " ".join(out)


def _texts(session, chunk, titles: list[dict]) -> dict[int, list[str]]:
    """The full text of these cases: their title and proposers (so that one index holds every match), their own
    text and the text of their delivered replies (a reply is read by its proposers once delivered, so a search
    finds its words no earlier)."""
    heads = {row["sid"]: row["terms"] for row in titles}
    texts = {sid: [content or ""] for sid, content in session.execute(
        select(Submission.id, Submission.content).where(Submission.id.in_(chunk)))}
    for sid, body in session.execute(
            select(Assignment.submission_id, Reply.body).join(Reply, Reply.assignment_id == Assignment.id)
            .where(Assignment.submission_id.in_(chunk), Reply.delivered_at.is_not(None))
            .order_by(Reply.delivered_at.desc(), Reply.id.desc())):
        texts[sid].append(body or "")
    return {sid: [heads.get(sid, ""), *parts] for sid, parts in texts.items()}


def _titles(session, chunk) -> list[dict]:
    titles = dict(session.execute(select(Submission.id, Submission.title).where(Submission.id.in_(chunk))).all())
    names = {}
    for sid, name in session.execute(
            select(SubmissionProposer.submission_id, Member.name).join(Member)
            .where(SubmissionProposer.submission_id.in_(chunk)).order_by(SubmissionProposer.position)):
        names.setdefault(sid, []).append(name)
    return [{"sid": sid, "terms": terms(title, *names.get(sid, []))} for sid, title in titles.items()]


def refresh(session, submission_ids, full_text: bool = True, titles: bool = True):
    """Rewrite the indexed terms of these cases from what the database holds: their titles and proposers, and
    (`full_text`) their full text. Migration 0011, which comes before the full-text index, asks for titles only."""
    ids = sorted(set(submission_ids) - {None})
    sqlite = session.get_bind().dialect.name == "sqlite"
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        listed = ",".join(map(str, chunk))
        connection = session.connection()   # Core executemanys: one statement for the whole chunk
        rows = _titles(session, chunk)
        if titles:
            if rows:
                table = Submission.__table__
                connection.execute(update(table).where(table.c.id == bindparam("sid"))
                                   .values(search_terms=bindparam("terms")), rows)
            if sqlite:
                _rewrite(connection, "submission_fts", listed, rows)
        if full_text:
            # the title's terms are already terms: joined as they are, the rest made into terms
            texts = [{"sid": sid, "terms": " ".join((head, terms(*parts))).strip()}
                     for sid, (head, *parts) in _texts(session, chunk, rows).items()]
            if sqlite:
                _rewrite(connection, "submission_text_fts", listed, texts)
            elif texts:
                connection.execute(text("UPDATE submission SET text_vector = to_tsvector('simple'::regconfig, :terms) "
                                        "WHERE id = :sid"), texts)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Submission) and obj.id in ids:
            session.expire(obj, ["search_terms"])


def _rewrite(connection, fts: str, listed: str, rows: list[dict]):
    connection.execute(text(f"DELETE FROM {fts} WHERE rowid IN ({listed})"))
    if rows:
        connection.execute(text(f"INSERT INTO {fts} (rowid, terms) VALUES (:sid, :terms)"), rows)


def _changed(obj, *names):
    attrs = obj._sa_instance_state.attrs
    return any(attrs[n].history.has_changes() for n in names)


@event.listens_for(Session, "before_flush")
def _remember(session, flush_context, instances):
    """Cases whose indexed parts change in this flush (new ones get their id only in it): in the title index a
    title, the proposers, a member's name; in the full text the case's text or a reply delivered."""
    pending = session.info.setdefault("search_pending", {"titles": [], "texts": [], "gone": set(), "members": set()})
    for obj in (*session.new, *session.dirty, *session.deleted):
        fresh = obj in session.new or obj in session.deleted
        if isinstance(obj, Submission):
            if fresh or _changed(obj, "title"):
                pending["titles"].append(obj)
            if fresh or _changed(obj, "content"):
                pending["texts"].append(obj)
        elif isinstance(obj, SubmissionProposer) and (fresh or _changed(obj, "member_id", "submission_id")):
            pending["titles"].append(obj)
            pending["gone"].update(obj._sa_instance_state.attrs["submission_id"].history.deleted or ())
        elif isinstance(obj, Reply) and (fresh or _changed(obj, "delivered_at")) and obj.delivered_at is not None:
            pending["texts"].append(obj)
        elif isinstance(obj, Member) and obj not in session.new and _changed(obj, "name"):
            pending["members"].add(obj.id)


def _case_of(obj):
    if isinstance(obj, Submission):
        return obj.id
    if isinstance(obj, Reply):
        return obj.assignment.submission_id if obj.assignment is not None else None
    return obj.submission_id


@event.listens_for(Session, "after_flush_postexec")
def _refresh(session, flush_context):
    pending = session.info.pop("search_pending", None)
    if not pending:
        return
    titles = {_case_of(o) for o in pending["titles"]} | pending["gone"]
    if pending["members"]:
        titles |= set(session.scalars(select(SubmissionProposer.submission_id)
                                      .where(SubmissionProposer.member_id.in_(pending["members"]))))
    texts = {_case_of(o) for o in pending["texts"]} - titles
    # the full text holds the title and proposers too: a change to them rewrites both
    for ids, kinds in ((titles, {}), (texts, {"titles": False})):
        if ids - {None}:
            refresh(session, ids, **kinds)
