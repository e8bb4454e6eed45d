"""Benchmark: the outbox drain against a local SMTP server (aiosmtpd). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/outbox.py [--n 2000] [--pg URL] [--sms]

Builds a throw-away SQLite database (migrations only), queues N e-mails straight into the outbox, starts
aiosmtpd on 127.0.0.1 (in a process of its own) and times drain() until nothing is pending: e-mails/s and SMTP connections opened.
Then the same again with two drains at once (two threads), checking none is sent twice. With --pg the
same runs on that PostgreSQL database too (dropped and created first: give it a name of its own, e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/replyflow_bench_outbox). With --sms, N texts the same way through
a local HTTP 短信平台 (a process of its own answering {"code":0}, as the gateway the tests start): texts/s,
and how many reached it twice under the same key.
"""
import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from replyflow import create_app  # noqa: E402
from replyflow.clock import now_utc  # noqa: E402
from replyflow.extensions import db  # noqa: E402
from replyflow.models import OutboxMessage  # noqa: E402
from replyflow.notifications.outbox import drain  # noqa: E402

BODY = ("您好：\n\n市政协十五届四次会议 提案第0294号《关于广纳海外高层次人才，赋能区域经济高质量发展的建议》\n"
        "承办单位：中共常州市委人才工作领导小组办公室（主办）\n事项：办理答复\n期限：2025年6月18日（还剩7天）\n\n"
        "请登录系统查看：https://tajy.example.gov.cn/submissions/1\n\n（本邮件由系统自动发送，请勿回复。）\n")


class CountingInbox:
    """Counts messages per recipient and the connections they came over (aiosmtpd: one session each)."""

    def __init__(self):
        self.recipients = Counter()
        self.sessions = set()   # the objects themselves: an id() could be reused once one is freed

    async def handle_DATA(self, server, session, envelope):
        self.recipients.update(envelope.rcpt_tos)
        self.sessions.add(session)
        return "250 OK"


def serve(port):
    """The SMTP server, in a process of its own so that it does not share the drain's GIL: answers
    "stats" on stdin with its counts as JSON, "reset" by forgetting them, end of input by stopping."""
    inbox = CountingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "reset":
            inbox.recipients.clear()   # between runs: no message is arriving
            inbox.sessions.clear()
            print("{}", flush=True)
        elif line.strip() == "stats":
            received = sum(inbox.recipients.values())
            doubled = sum(1 for count in inbox.recipients.values() if count > 1)
            print(json.dumps({"received": received, "doubled": doubled, "connections": len(inbox.sessions)}),
                  flush=True)
    controller.stop()


class SmtpProcess:
    def __init__(self, port):
        self.process = subprocess.Popen([sys.executable, __file__, "--serve", str(port)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "ready"

    def ask(self, command):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self):
        self.process.stdin.close()
        self.process.wait(10)


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_pg(url):
    """The benchmark's own PostgreSQL database, dropped and created; None when PostgreSQL does not answer."""
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


def queue(n):
    now = now_utc()
    db.session.execute(insert(OutboxMessage), [dict(
        to_address=f"user{i:05d}@example.com", subject=f"【提醒】市政协十五届四次会议提案第{i:04d}号：办理答复还剩7天",
        body=BODY, status="pending", attempts=0, next_attempt_at=now, created_at=now) for i in range(n)])
    db.session.commit()


def pending():
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending"))


def drain_all(app, totals):
    with app.app_context():
        try:
            while True:
                counts = drain()
                for key, value in counts.items():
                    totals[key] += value
                if not any(counts.values()):
                    return
        finally:
            db.session.remove()


def run(url, n):
    port = free_port()
    smtp = SmtpProcess(port)
    app = create_app("default", SQLALCHEMY_DATABASE_URI=url, SMTP_HOST="127.0.0.1", SMTP_PORT=port,
                     SMTP_SECURITY="none", MAIL_SENDER="提案建议办理系统 <noreply@replyflow.test>")
    dialect = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    try:
        with app.app_context():
            with contextlib.redirect_stderr(io.StringIO()):   # Alembic's log lines
                upgrade()
            for drains in (1, 2):
                db.session.execute(OutboxMessage.__table__.delete())
                db.session.commit()
                smtp.ask("reset")
                queue(n)
                totals = Counter()
                threads = [threading.Thread(target=drain_all, args=(app, totals)) for _ in range(drains)]
                start = time.perf_counter()
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                seconds = time.perf_counter() - start
                stats = smtp.ask("stats")
                print(f"{dialect}, {drains} drain(s) at once: {totals['sent']} of {n} sent in {seconds:.2f} s = "
                      f"{totals['sent'] / seconds:.0f} e-mails/s; {stats['connections']} SMTP connection(s); "
                      f"{stats['received']} received, {stats['doubled']} twice; "
                      f"retry {totals['retry']}, failed {totals['failed']}, still pending {pending()}")
            db.session.remove()
    finally:
        smtp.stop()
        with app.app_context():
            db.engine.dispose()


def serve_gateway(port):
    """The 短信平台 of the SMS run: takes each text, counts the keys it saw twice; GET /stats answers the counts."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen, doubled = set(), [0]

    class Gateway(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, body: bytes):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/stats":
                self._answer(json.dumps({"received": len(seen), "doubled": doubled[0]}).encode())
            elif self.path == "/reset":
                seen.clear()
                doubled[0] = 0
                self._answer(b"{}")

        def do_POST(self):
            fields = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
            if fields["msgid"] in seen:
                doubled[0] += 1
            seen.add(fields["msgid"])
            self._answer(b'{"code":0,"msg":"ok"}')

    ThreadingHTTPServer(("127.0.0.1", port), Gateway).serve_forever()


def _gateway_ask(port, what):
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{what}", timeout=10) as answer:
        return json.loads(answer.read())


def run_sms(url, n):
    port = free_port()
    gateway = subprocess.Popen([sys.executable, __file__, "--gateway", str(port)])
    for _ in range(100):
        try:
            _gateway_ask(port, "reset")
            break
        except OSError:
            time.sleep(0.1)
    app = create_app("default", SQLALCHEMY_DATABASE_URI=url, SMS_URL=f"http://127.0.0.1:{port}/send",
                     SMS_SUCCESS='"code":0', SMS_SIGNATURE="【常州市政协】")
    dialect = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    try:
        with app.app_context():
            with contextlib.redirect_stderr(io.StringIO()):
                upgrade()
            db.session.execute(OutboxMessage.__table__.delete())
            now = now_utc()
            db.session.execute(insert(OutboxMessage), [dict(
                channel="sms", to_address=f"139{i:08d}", subject="",
                body=f"提案第{i:04d}号办理答复还剩7天（期限2025年6月18日）。请登录系统办理，回复TD退订。",
                status="pending", attempts=0, next_attempt_at=now, created_at=now) for i in range(n)])
            db.session.commit()
            totals = Counter()
            start = time.perf_counter()
            drain_all(app, totals)
            seconds = time.perf_counter() - start
            stats = _gateway_ask(port, "stats")
            print(f"{dialect}, SMS: {totals['sent']} of {n} texts sent in {seconds:.2f} s = "
                  f"{totals['sent'] / seconds:.0f} texts/s; the gateway took {stats['received']}, "
                  f"{stats['doubled']} twice; retry {totals['retry']}, failed {totals['failed']}, "
                  f"still pending {pending()}")
            db.session.remove()
    finally:
        gateway.terminate()
        gateway.wait(10)
        with app.app_context():
            db.engine.dispose()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="e-mails to queue (default 2000)")
    parser.add_argument("--pg", help="also on this PostgreSQL database (dropped and created first)")
    parser.add_argument("--sms", action="store_true", help="also texts through a local HTTP SMS gateway")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)   # the SMTP server's own process
    parser.add_argument("--gateway", type=int, help=argparse.SUPPRESS)   # the SMS gateway's own process
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    if args.gateway:
        return serve_gateway(args.gateway)
    print(f"machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}")
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.sqlite3", args.n)
        if args.sms:
            run_sms(f"sqlite:///{tmp}/bench.sqlite3", args.n)
    if args.pg and (url := ensure_pg(args.pg)):
        run(url, args.n)
        if args.sms:
            run_sms(url, args.n)


if __name__ == "__main__":
    main()
