"""Benchmark: the zip of signed replies (/submissions/replies.zip). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/export.py [--n 20000] [--replies 1000] [--pg URL] [--no-sqlite]

Builds a throw-away SQLite database (migrations, the demo, N synthetic cases), adds a sitting of its own
with REPLIES delivered cases whose signed .docx is a copy of one the demo signed, and downloads the zip of
that sitting as the 政协 clerk through the Flask test client, reading the stream as a browser would:
seconds to the first byte and to the last, the SQL statements, the process's peak memory above what it
held before (VmHWM, reset first; once more with tracemalloc, Python's own allocations), and the zip
checked with zipfile. Then the whole list (the demo's replies too) and a refusal above EXPORT_ZIP_LIMIT,
which costs one count. With --pg the same on that PostgreSQL database (dropped and created first: give
it a name of its own, e.g. …/replyflow_bench_export).
"""
import argparse
import contextlib
import hashlib
import io
import os
import re
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, insert, select  # noqa: E402

from replyflow import clock, create_app  # noqa: E402
from replyflow.demo.catalog import PASSWORD  # noqa: E402
from replyflow.extensions import db  # noqa: E402
from replyflow.models import Assignment, Department, Member, Reply, Sitting, Submission, SubmissionProposer  # noqa: E402
from replyflow.services import numbering  # noqa: E402

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def ensure_pg(url):
    """The benchmark's own PostgreSQL database, dropped and created; None when PostgreSQL does not answer."""
    import urllib.parse

    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    name = urllib.parse.urlsplit(plain).path.lstrip("/")
    if name in ("test", "replyflow_bench", "postgres", ""):
        raise SystemExit(f"refusing to drop the database {name!r}: give the benchmark one of its own")
    admin = plain.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"PostgreSQL skipped: {error}".splitlines()[0])
        return None
    return url


def add_signed_replies(count: int) -> int:
    """A sitting of `count` delivered proposals, each with a signed reply (a copy of a demo one); its id."""
    docx = db.session.scalar(select(Reply.signed_docx).where(Reply.signed_docx.is_not(None))
                             .order_by(func.length(Reply.signed_docx).desc()).limit(1))
    sha = hashlib.sha256(docx).hexdigest()
    sitting = Sitting(body="cppcc", name="导出基准会议", year=clock.today().year, active=False)
    db.session.add(sitting)
    db.session.flush()
    member = db.session.scalar(select(Member.id).where(Member.body == "cppcc", Member.kind == "person").limit(1))
    departments = db.session.scalars(select(Department.id)).all()
    today, now = clock.today(), clock.now_utc()
    rows = []
    for i in range(1, count + 1):
        number = numbering.from_value(sitting, i)
        rows.append(dict(sitting_id=sitting.id, kind="proposal", number=number.text, number_seq=number.seq,
                         number_sort=number.sort, title=f"关于导出基准第{i}件的建议", content="合成数据",
                         submitted_on=today, is_key=False, disclosure_wish="public", state="answered"))
    ids = db.session.scalars(insert(Submission).returning(Submission.id, sort_by_parameter_order=True), rows).all()
    db.session.execute(insert(SubmissionProposer), [dict(submission_id=s, member_id=member, position=0) for s in ids])
    assignments = db.session.scalars(insert(Assignment).returning(Assignment.id, sort_by_parameter_order=True), [
        dict(submission_id=s, department_id=departments[i % len(departments)], role="lead", body=sitting.body, state="delivered",
             assigned_on=today, due_on=today, round=1) for i, s in enumerate(ids)]).all()
    db.session.execute(insert(Reply), [
        dict(assignment_id=a, round=1, title=f"关于对导出基准第{i + 1}件的答复", signed_docx=docx, signed_sha256=sha,
             signed_at=now, delivered_at=now) for i, a in enumerate(assignments)])
    db.session.commit()
    return sitting.id


def login(client, username):
    page = client.get("/login").text
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": TOKEN.search(page).group(1)})
    assert response.status_code == 302, f"{username} could not log in"


def _status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def download(app, client, url, traced=False):
    """(response, first byte s, total s, bytes, statements, peak MB above the start, names in the zip);
    `traced`: the peak is that of Python's allocations (tracemalloc, slower) rather than of the process."""
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(1)  # noqa: E731
    try:
        Path("/proc/self/clear_refs").write_text("5")   # VmHWM starts again from the current RSS
    except OSError:
        pass
    before = _status("VmRSS")
    if traced:
        tracemalloc.start()
    event.listen(engine, "before_cursor_execute", listener)
    try:
        start = time.perf_counter()
        response = client.get(url, buffered=False)
        first, size = None, 0
        with tempfile.TemporaryFile() as out:
            for chunk in response.response:   # as the server would send it, chunk by chunk
                first = first or time.perf_counter() - start
                size += len(chunk)
                out.write(chunk)
            response.close()
            total = time.perf_counter() - start
            if traced:
                peak = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            else:
                peak = _status("VmHWM") - before
            names = []
            if response.status_code == 200:
                out.seek(0)
                with zipfile.ZipFile(out) as archive:
                    names = archive.namelist()
                    assert archive.testzip() is None
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return response, first or total, total, size, len(statements), peak, names


def run(url, n, replies):
    app = create_app("default", SQLALCHEMY_DATABASE_URI=url, LOGIN_RATE_LIMIT="100000 per minute")
    dialect = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    with app.app_context():
        with contextlib.redirect_stderr(io.StringIO()):   # Alembic's log lines
            upgrade()
        start = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["demo", "--scale", str(n)])
        assert result.exit_code == 0, result.output
        sitting = add_signed_replies(replies)
        cases = db.session.scalar(select(func.count()).select_from(Submission))
        built = time.perf_counter() - start
        db.session.remove()
    print(f"\n{dialect}: {cases} cases, {replies} signed replies in their own sitting (built in {built:.0f} s)")
    client = app.test_client()
    login(client, "clerk_zx")
    for label, path, limit, traced in (
            (f"the sitting's {replies}", f"/submissions/replies.zip?sitting={sitting}", 2000, False),
            (f"the sitting's {replies}, again", f"/submissions/replies.zip?sitting={sitting}", 2000, False),
            (f"the sitting's {replies}, Python allocations traced", f"/submissions/replies.zip?sitting={sitting}",
             2000, True),
            ("the whole list", "/submissions/replies.zip", 2000, False),
            ("the whole list, above a limit of 500", "/submissions/replies.zip", 500, False)):
        app.config["EXPORT_ZIP_LIMIT"] = limit
        response, first, total, size, statements, peak, names = download(app, client, path, traced)
        what = (f"{len(names)} files, {size / 1e6:.1f} MB" if response.status_code == 200
                else f"HTTP {response.status_code} → {response.headers.get('Location')}")
        print(f"  {label}: {what}; first byte {first:.2f} s, all {total:.2f} s; {statements} SQL statements; "
              f"peak memory +{peak:.0f} MB")
    with app.app_context():
        db.engine.dispose()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="synthetic cases beside the demo's (default 20000)")
    parser.add_argument("--replies", type=int, default=1000, help="signed replies to zip (default 1000)")
    parser.add_argument("--pg", help="also on this PostgreSQL database (dropped and created first)")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/bench.sqlite3", args.n, args.replies)
    if args.pg and (url := ensure_pg(args.pg)):
        run(url, args.n, args.replies)


if __name__ == "__main__":
    main()
