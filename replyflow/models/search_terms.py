"""Submission.search_terms, the indexed form of a case's title and proposers (see replyflow/search.py),
rewritten after every flush that changes a title, a case's proposers or a member's name; on SQLite the
same terms are mirrored into the FTS5 table submission_fts (rowid = the case's id).

A Core UPDATE like next_due.py's, so the case's version does not move."""
import re
import unicodedata

from sqlalchemy import bindparam, event, select, text, update
from sqlalchemy.orm import Session

from .member import Member
from .proposer import SubmissionProposer
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


def refresh(session, submission_ids):
    """Rewrite the indexed terms of these cases from their title and proposers as the database holds them."""
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
        connection = session.connection()   # a Core executemany: one statement for the whole chunk
        if rows:
            table = Submission.__table__
            connection.execute(update(table).where(table.c.id == bindparam("sid"))
                               .values(search_terms=bindparam("terms")), rows)
        if sqlite:
            connection.execute(text("DELETE FROM submission_fts WHERE rowid IN ({})".format(",".join(map(str, chunk)))))
            if rows:
                connection.execute(text("INSERT INTO submission_fts (rowid, terms) VALUES (:sid, :terms)"), rows)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Submission) and obj.id in ids:
            session.expire(obj, ["search_terms"])


def _changed(obj, *names):
    attrs = obj._sa_instance_state.attrs
    return any(attrs[n].history.has_changes() for n in names)


@event.listens_for(Session, "before_flush")
def _remember(session, flush_context, instances):
    """Cases whose title or proposers change in this flush (new ones get their id only in it), and
    members renamed."""
    pending = session.info.setdefault("search_pending", ([], set(), set()))
    objects, ids, members = pending
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Submission) and (obj in session.new or obj in session.deleted or _changed(obj, "title")):
            objects.append(obj)
        elif isinstance(obj, SubmissionProposer) and (
                obj in session.new or obj in session.deleted or _changed(obj, "member_id", "submission_id")):
            objects.append(obj)
            ids.update(obj._sa_instance_state.attrs["submission_id"].history.deleted or ())
        elif isinstance(obj, Member) and obj not in session.new and _changed(obj, "name"):
            members.add(obj.id)


@event.listens_for(Session, "after_flush_postexec")
def _refresh(session, flush_context):
    objects, ids, members = session.info.pop("search_pending", ([], set(), set()))
    ids |= {o.id if isinstance(o, Submission) else o.submission_id for o in objects}
    if members:
        ids |= set(session.scalars(select(SubmissionProposer.submission_id)
                                   .where(SubmissionProposer.member_id.in_(members))))
    if ids - {None}:
        refresh(session, ids)
