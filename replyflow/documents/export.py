"""Batch export: the signed replies of a list of submissions as one .zip, streamed as it is written.

The replies are chosen in SQL (the same set as walking submission → answering assignments → current
reply → permissions.can_view_reply), counted in one statement, and their frozen bytes read CHUNK at a
time, so neither the statements nor the memory grow with the number of cases in the list.
"""
import re
import unicodedata
import zipfile
from urllib.parse import quote

from sqlalchemy import and_, exists, false, func, or_, select, true
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Assignment, Department, Reply, Sitting, Submission, SubmissionProposer
from ..vocab import ANSWERING_ROLES

#: replies whose bytes are read in one statement (a signed .docx is some tens of kB)
CHUNK = 100

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _safe(name: str) -> str:
    return _UNSAFE.sub("", name).strip()[:80] or "答复件"


def _signed_replies(user, submissions):
    """SELECT (reply id, number, reply title, case title, department, sitting, answering count) of the signed
    current replies `user` may see among `submissions` (a submission_query), in the list's order.

    Every table joined is an alias: the list's filters hold subqueries on assignment and sitting that
    would otherwise correlate to the joined rows and change their meaning."""
    assignment, reply, department, sitting = (aliased(Assignment), aliased(Reply), aliased(Department),
                                              aliased(Sitting))
    later = aliased(Reply)
    answering = aliased(Assignment)
    answering_count = (select(func.count()).where(
        answering.submission_id == Submission.id, answering.state != "reassigned",
        answering.role.in_(ANSWERING_ROLES)).scalar_subquery())
    return (submissions
            .with_only_columns(reply.id, Submission.number, reply.title, Submission.title, department.name,
                               sitting.name, answering_count, maintain_column_froms=False)
            .select_from(Submission)
            .join(sitting, sitting.id == Submission.sitting_id)
            .join(assignment, assignment.submission_id == Submission.id)
            .join(department, department.id == assignment.department_id)
            .join(reply, reply.assignment_id == assignment.id)
            .where(assignment.state != "reassigned", assignment.role.in_(ANSWERING_ROLES),
                   reply.signed_sha256.is_not(None),
                   # Assignment.current_reply: the reply of the latest round
                   ~exists().where(later.assignment_id == assignment.id, later.round > reply.round),
                   _can_view_reply(user, sitting, reply))
            .order_by(assignment.id))


def _can_view_reply(user, sitting, reply):
    """permissions.can_view_reply as SQL on the joined rows: the case's clerks, the staff of a department
    it is (still) assigned to, and, once delivered, its proposers and those of a case merged into it."""
    clauses = []
    if user.has_role("clerk"):
        if user.body is None:
            return true()
        clauses.append(sitting.body == user.body)
    if user.has_role("handler", "signer") and user.department_id is not None:
        staff = aliased(Assignment)
        clauses.append(exists().where(staff.submission_id == Submission.id, staff.state != "reassigned",
                                      staff.department_id == user.department_id))
    if user.has_role("member") and user.member is not None:
        own = select(SubmissionProposer.submission_id).where(SubmissionProposer.member_id == user.member.id)
        merged = aliased(Submission)
        clauses.append(and_(reply.delivered_at.is_not(None), or_(
            Submission.id.in_(own), exists().where(merged.merged_into_id == Submission.id, merged.id.in_(own)))))
    return or_(*clauses) if clauses else false()


def count_signed_replies(user, submissions) -> int:
    """How many files the zip of `submissions` would hold, in one statement."""
    rows = _signed_replies(user, submissions).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(rows))


def zip_entries(user, submissions) -> list[tuple[str, int]]:
    """(file name without .docx, reply id) of each file, in the list's order: 第0294号_<标题>, then
    _<承办单位> when the case has several answering departments, then _<会议> when the name is taken."""
    used = set()
    entries = []
    for reply_id, number, reply_title, title, department, sitting, answering in db.session.execute(
            _signed_replies(user, submissions)):
        name = f"{f'第{number}号' if number else '无编号'}_{_safe(reply_title or title)}"
        if answering > 1:
            name += f"_{_safe(department)}"
        if name in used:  # the same number in two sittings
            name += f"_{_safe(sitting)}"
        used.add(name)
        entries.append((name, reply_id))
    return entries


class _Sink:
    """The file ZipFile writes to: keeps what it is given until taken. Not seekable, so ZipFile writes each
    member's sizes after its data and nothing is ever rewritten."""

    def __init__(self):
        self._parts = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _read(app, reply_ids) -> dict:
    # an app context (and session) per chunk, entered and left between two yields: the server reads the
    # stream after the view's request context is gone, and a context held across yields would be
    # popped out of turn by whatever the consumer pushes meanwhile
    with app.app_context():
        return dict(db.session.execute(select(Reply.id, Reply.signed_docx).where(Reply.id.in_(reply_ids))).all())


def stream_zip(app, entries):
    """The zip's bytes, member by member: only one chunk of replies is in memory at a time."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for start in range(0, len(entries), CHUNK):
            chunk = entries[start:start + CHUNK]
            files = _read(app, [reply_id for _, reply_id in chunk])
            for name, reply_id in chunk:
                data = files.pop(reply_id, None)
                if data is None:  # deleted since the count: left out rather than the download broken
                    continue
                archive.writestr(f"{name}.docx", data)
                yield sink.take()
    yield sink.take()   # the central directory, written as the archive closes


def attachment_names(download_name: str) -> dict:
    """Content-Disposition parameters for `download_name`, as Werkzeug's send_file writes them: an ASCII
    fallback and the RFC 5987 UTF-8 filename* for a Chinese name."""
    try:
        download_name.encode("ascii")
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", download_name).encode("ascii", "ignore").decode("ascii")
        return {"filename": simple, "filename*": f"UTF-8''{quote(download_name, safe='!#$&+-.^_`|~')}"}
    return {"filename": download_name}
