"""The whole benchmark at a scale, on SQLite and (when reachable) PostgreSQL. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/suite.py [--n 20000] [--requests 200] [--replies 1000] [--pg URL | --no-pg] [--no-sqlite]

For each database, built once (migrations, the demo, N synthetic cases, and a sitting of REPLIES delivered
cases with signed replies), it prints one table: every daily page under gunicorn (pages.py: p50 / p95 of
--requests requests, the ratio to a static file, SQL statements; the statistics pages among them), the zip of
the REPLIES signed replies downloaded from the same server, the 办理情况汇总表 of a sitting of 9,999 cases and its
办理工作情况报告, an Excel import of 1,000 rows (imports.py: the preview, then the import), one reply .docx
rendered, the reminder scan (the first, which queues every reminder and its e-mails, then a rerun with nothing
new) and the outbox drain of those e-mails to a local SMTP server; then the web workers' peak memory. Each
database is measured in a process of its own.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/replyflow_bench"
#: e-mails drained for the outbox's figure
DRAINED = 5000


def _app(url, **settings):
    from replyflow import create_app

    return create_app("default", SQLALCHEMY_DATABASE_URI=url, **settings)


def add_replies(url, count) -> int:
    import export

    from replyflow.extensions import db

    app = _app(url)
    with app.app_context():
        sitting = export.add_signed_replies(count)
        db.engine.dispose()
    return sitting


def _export_sitting(url) -> int:
    from sqlalchemy import select

    from replyflow.extensions import db
    from replyflow.models import Sitting

    app = _app(url)
    with app.app_context():
        sitting = db.session.scalar(select(Sitting.id).where(Sitting.name == "导出基准会议"))
        db.engine.dispose()
    return sitting


def time_zip(port, sitting):
    """(seconds, MB) to download the sitting's zip as the 政协 clerk, read to its last byte."""
    client = pages.Client(port, "clerk_zx")
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    start = time.perf_counter()
    client.connection.request("GET", f"/submissions/replies.zip?sitting={sitting}", headers={"Cookie": cookie})
    response = client.connection.getresponse()
    data = response.read()
    seconds = time.perf_counter() - start
    assert response.status == 200 and response.headers.get("Content-Type") == "application/zip", response.status
    return seconds, len(data) / 1e6


def time_get(port, path, who="clerk_zx"):
    """Seconds to download `path` whole, as `who`."""
    client = pages.Client(port, who)
    start = time.perf_counter()
    status, _, _ = client.get(path)
    assert status == 200, (path, status)
    return time.perf_counter() - start


def time_docx(url, runs=50):
    """Median ms to render one reply .docx (the demo's fullest draft)."""
    from sqlalchemy import func, select

    from replyflow.documents.service import render_reply
    from replyflow.extensions import db
    from replyflow.models import Reply

    app = _app(url)
    with app.app_context(), app.test_request_context():
        reply = db.session.scalar(select(Reply).order_by(func.length(Reply.body).desc()).limit(1))
        render_reply(reply, draft=True)   # warm: the template read, fonts measured
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            render_reply(reply, draft=True)
            samples.append((time.perf_counter() - start) * 1000)
        db.engine.dispose()
    return statistics.median(samples)


def scan_and_drain(url):
    """(first scan s, reminders, statements), (rerun s, statements), (e-mails drained, e-mails/s)."""
    from collections import Counter

    import outbox
    from sqlalchemy import event

    from replyflow.extensions import db
    from replyflow.notifications import reminders
    from replyflow.notifications.outbox import drain

    port = outbox.free_port()
    smtp = outbox.SmtpProcess(port)
    app = _app(url, SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SECURITY="none")
    try:
        with app.app_context():
            statements = [0]
            event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))
            runs = []
            for _ in range(2):
                statements[0] = 0
                start = time.perf_counter()
                queued = reminders.scan()
                runs.append((time.perf_counter() - start, len(queued), statements[0]))
                db.session.remove()
        with app.app_context():   # the first DRAINED of what the scan queued: the rate, not hours of sending
            start = time.perf_counter()
            totals = Counter(drain(limit=DRAINED))
            seconds = time.perf_counter() - start
            db.session.remove()
    finally:
        smtp.stop()
        with app.app_context():
            db.engine.dispose()
    return runs, (totals["sent"], totals["sent"] / seconds if seconds else 0.0)


def measure(url, n, requests, replies, reuse=False):
    if reuse:   # a database this suite built before (and whose scan has not run): its export sitting
        built, sitting = 0.0, _export_sitting(url)
    else:
        built = pages.build(url, n)
        sitting = add_replies(url, replies)
    ids = pages.probe(url)
    with pages.serving(url) as (port, server):
        rows = pages.measure_pages(port, ids, requests)
        zip_seconds, zip_mb = time_zip(port, sitting)
        summary_seconds = time_get(port, f"/submissions/summary.xlsx?sitting={ids['sitting']}")
        report_seconds = time_get(port, f"/statistics/report.docx?sitting={ids['sitting']}")
        memory = pages.peak_memory_mb(server)
    import imports

    imported = imports.measure(url, 1000, quiet=True)
    docx_ms = time_docx(url)
    (first, rerun), (sent, rate) = scan_and_drain(url)
    dialect = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"\n#### {dialect}, {ids['cases']} cases (built in {built:.0f} s), {requests} requests a page\n")
    pages.print_pages(rows)
    print("\n| work | figure |")
    print("| --- | ---: |")
    print(f"| zip of {replies} signed replies ({zip_mb:.0f} MB), streamed | {zip_seconds:.1f} s |")
    print(f"| 办理情况汇总表 of one sitting (9,999 rows), .xlsx | {summary_seconds:.1f} s |")
    print(f"| 办理工作情况报告 of one sitting, .docx | {report_seconds:.2f} s |")
    for label, seconds, statements in imported:
        print(f"| Excel import of 1,000 rows: {label} ({statements} SQL statements) | {seconds:.1f} s |")
    print(f"| one reply .docx rendered (median of 50) | {docx_ms:.1f} ms |")
    print(f"| reminder scan, first: {first[1]} reminders queued, {first[2]} SQL statements | {first[0]:.1f} s |")
    print(f"| reminder scan, rerun: nothing new, {rerun[2]} SQL statements | {rerun[0]:.2f} s |")
    print(f"| outbox drain: the first {sent} of those e-mails to a local SMTP server | {rate:.0f} e-mails/s |")
    print(f"| web workers' peak memory (each) | {memory:.0f} MB |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="synthetic cases beside the demo's (default 20000)")
    parser.add_argument("--requests", type=int, default=200, help="requests a page (default 200)")
    parser.add_argument("--replies", type=int, default=1000, help="signed replies in the zip (default 1000)")
    parser.add_argument("--pg", default=DEFAULT_PG, help="the PostgreSQL database to build (emptied first)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--reuse-pg", action="store_true", help="measure the PostgreSQL database built before")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}")
    child = [sys.executable, __file__, "--child", str(args.n), str(args.requests), str(args.replies)]
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([*child, f"sqlite:///{tmp}/bench.sqlite3", "build"], check=True)
    if args.reuse_pg:
        subprocess.run([*child, args.pg, "reuse"], check=True)
    elif not args.no_pg and (url := pages.ensure_pg(args.pg)):
        subprocess.run([*child, url, "build"], check=True)


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--child":
        measure(sys.argv[5], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), reuse=sys.argv[6] == "reuse")
    else:
        main()
