"""The indexed forms of a case (see replyflow/search.py), rewritten after every flush that changes what they hold:

- Submission.search_terms: its title and proposers' names (on SQLite mirrored into the FTS5 table submission_fts,
  rowid = the case's id; on PostgreSQL the stored tsvector search_vector is generated from it);
- its full text: the case's text, the departments it is assigned to and the text of its signed replies, kept
  only in the index (SQLite: the FTS5 table submission_text_fts; PostgreSQL: the GIN-indexed tsvector
  submission.text_vector), since the texts themselves are on their rows.

Written by Core UPDATEs like next_due.py's, so the case's version does not move."""
import re
import unicodedata

from sqlalchemy import bindparam, event, select, text, update
from sqlalchemy.orm import Session

from .assignment import Assignment
from .department import Department
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


def _texts(session, chunk) -> dict[int, list[str]]:
    """The full text of these cases: their text, their departments' names and their signed replies' text."""
    texts = {sid: [content or ""] for sid, content in session.execute(
        select(Submission.id, Submission.content).where(Submission.id.in_(chunk)))}
    for sid, name in session.execute(
            select(Assignment.submission_id, Department.name).join(Department)
            .where(Assignment.submission_id.in_(chunk), Assignment.state != "reassigned").order_by(Assignment.id)):
        texts[sid].append(name)
    for sid, body in session.execute(
            select(Assignment.submission_id, Reply.body).join(Reply, Reply.assignment_id == Assignment.id)
            .where(Assignment.submission_id.in_(chunk), Reply.signed_sha256.is_not(None)).order_by(Reply.id)):
        texts[sid].append(body or "")
    return texts


def refresh(session, submission_ids, full_text: bool = True):
    """Rewrite the indexed terms of these cases from what the database holds. `full_text=False`: the titles and
    proposers only (for migration 0011, which comes before the full-text index)."""
    ids = sorted(set(submission_ids) - {None})
    sqlite = session.get_bind().dialect.name == "sqlite"
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        titles = dict(session.execute(select(Submission.id, Submission.title).where(Submission.id.in_(chunk))).all())
        names = {}
        for sid, name in session.execute(
                select(SubmissionProposer.submission_id, Member.name).join(Member)
                .where(SubmissionProposer.submission_id.in_(chunk)).order_by(SubmissionProposer.position)):
            names.setdefault(sid, []).append(name)
        rows = [{"sid": sid, "terms": terms(title, *names.get(sid, []))} for sid, title in titles.items()]
        texts = [{"sid": sid, "terms": terms(*parts)} for sid, parts in _texts(session, chunk).items()] \
            if full_text else []
        connection = session.connection()   # a Core executemany: one statement for the whole chunk
        if rows:
            table = Submission.__table__
            connection.execute(update(table).where(table.c.id == bindparam("sid"))
                               .values(search_terms=bindparam("terms")), rows)
        if sqlite:
            listed = ",".join(map(str, chunk))
            for fts, values in (("submission_fts", rows), *([("submission_text_fts", texts)] if full_text else [])):
                connection.execute(text(f"DELETE FROM {fts} WHERE rowid IN ({listed})"))
                if values:
                    connection.execute(text(f"INSERT INTO {fts} (rowid, terms) VALUES (:sid, :terms)"), values)
        elif texts:
            connection.execute(text("UPDATE submission SET text_vector = to_tsvector('simple'::regconfig, :terms) "
                                    "WHERE id = :sid"), texts)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Submission) and obj.id in ids:
            session.expire(obj, ["search_terms"])


def _changed(obj, *names):
    attrs = obj._sa_instance_state.attrs
    return any(attrs[n].history.has_changes() for n in names)


def _replaced(assignment) -> bool:
    """Replaced after 申请调整 (or put back): its department leaves (or rejoins) the case's indexed text."""
    history = assignment._sa_instance_state.attrs["state"].history
    return "reassigned" in (*(history.added or ()), *(history.deleted or ()))


@event.listens_for(Session, "before_flush")
def _remember(session, flush_context, instances):
    """Cases whose indexed parts change in this flush (new ones get their id only in it): a title or text, the
    proposers, an assignment made or replaced, a reply signed; and members and departments renamed."""
    pending = session.info.setdefault("search_pending", ([], set(), set(), set()))
    objects, ids, members, departments = pending
    for obj in (*session.new, *session.dirty, *session.deleted):
        fresh = obj in session.new or obj in session.deleted
        if isinstance(obj, Submission) and (fresh or _changed(obj, "title", "content")):
            objects.append(obj)
        elif isinstance(obj, SubmissionProposer) and (fresh or _changed(obj, "member_id", "submission_id")):
            objects.append(obj)
            ids.update(obj._sa_instance_state.attrs["submission_id"].history.deleted or ())
        elif isinstance(obj, Assignment) and (fresh or _changed(obj, "department_id") or _replaced(obj)):
            objects.append(obj)
        elif isinstance(obj, Reply) and (fresh or _changed(obj, "signed_sha256")):
            objects.append(obj)
        elif isinstance(obj, Member) and obj not in session.new and _changed(obj, "name"):
            members.add(obj.id)
        elif isinstance(obj, Department) and obj not in session.new and _changed(obj, "name"):
            departments.add(obj.id)


def _case_of(obj):
    if isinstance(obj, Submission):
        return obj.id
    if isinstance(obj, Reply):
        return obj.assignment.submission_id if obj.assignment is not None else None
    return obj.submission_id


@event.listens_for(Session, "after_flush_postexec")
def _refresh(session, flush_context):
    objects, ids, members, departments = session.info.pop("search_pending", ([], set(), set(), set()))
    ids |= {_case_of(o) for o in objects}
    if members:
        ids |= set(session.scalars(select(SubmissionProposer.submission_id)
                                   .where(SubmissionProposer.member_id.in_(members))))
    if departments:
        ids |= set(session.scalars(select(Assignment.submission_id).where(Assignment.department_id.in_(departments))))
    if ids - {None}:
        refresh(session, ids)
