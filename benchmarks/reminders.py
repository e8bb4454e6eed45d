"""The daily reminder scan at scale: a first scan that queues every reminder, then a rerun with nothing new.

    .venv/bin/python benchmarks/reminders.py [--n 15000] [--no-pg] [--no-sqlite] [--pg URL]

Builds the demo plus N synthetic cases (as pages.py does), turns e-mail on (the scan queues e-mails into
the outbox; nothing is sent), and prints for each database the open duties, what the first scan queued,
its time and SQL statements, and the same for the rerun.
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pages import DEFAULT_PG, ensure_pg, flask  # noqa: E402


def measure(url, n):
    env = {**os.environ, "REPLYFLOW_DATABASE_URL": url}
    start = time.perf_counter()
    flask(env, "db", "upgrade")
    flask(env, "demo", "--scale", str(n))
    built = time.perf_counter() - start
    os.environ.update(REPLYFLOW_DATABASE_URL=url, REPLYFLOW_SMTP_HOST="127.0.0.1")
    from sqlalchemy import event, func, select

    from replyflow import create_app
    from replyflow.extensions import db
    from replyflow.models import Assignment, Notification, OutboxMessage, Reminder, Submission
    from replyflow.notifications import reminders
    from replyflow.workflow.states import OPEN

    app = create_app()
    with app.app_context():
        statements = [0]
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))
        cases = db.session.scalar(select(func.count()).select_from(Submission))
        open_ = db.session.scalar(select(func.count()).where(Assignment.state.in_(OPEN)))
        rows = []
        for label in ("first scan", "rerun"):
            statements[0] = 0
            start = time.perf_counter()
            queued = reminders.scan()
            rows.append((label, time.perf_counter() - start, statements[0], len(queued)))
            db.session.remove()
        counts = [db.session.scalar(select(func.count()).select_from(m)) for m in (Reminder, Notification, OutboxMessage)]
    dialect = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"\n### {dialect}: {cases} cases, {open_} open assignments (built in {built:.0f} s)\n")
    print("| run | seconds | SQL statements | reminders queued |")
    print("| --- | ---: | ---: | ---: |")
    for label, seconds, count, queued in rows:
        print(f"| {label} | {seconds:.2f} | {count} | {queued} |")
    print(f"\nafterwards: {counts[0]} reminders, {counts[1]} notifications, {counts[2]} e-mails in the outbox")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=15000, help="synthetic cases beside the demo's (default 15000)")
    parser.add_argument("--pg", default=DEFAULT_PG, help="the PostgreSQL database to build (emptied first)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}")
    # each database in its own process: the app and its engine are made once per process
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            _child(f"sqlite:///{tmp}/bench.sqlite3", args.n)
    if not args.no_pg and (url := ensure_pg(args.pg)):
        _child(url, args.n)


def _child(url, n):
    import subprocess

    subprocess.run([sys.executable, __file__, "--child", url, str(n)], check=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        measure(sys.argv[2], int(sys.argv[3]))
    else:
        main()
