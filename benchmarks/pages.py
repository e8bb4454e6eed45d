"""Benchmark: every daily page under gunicorn at scale, on SQLite and (when reachable) PostgreSQL.
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/pages.py [--n 20000] [--requests 200] [--pg URL | --no-pg] [--no-sqlite]

For each database it builds a fresh one (migrations, the demo, N synthetic cases), serves it with gunicorn
(gunicorn.conf.py, 2 workers) and asks each page `--requests` times as the user who opens it: p50 / p95 in
ms, the ratio to the ceiling (a static file from the same server, the cheapest route it has), the SQL
statements of one request (REPLYFLOW_SQL_COUNT=1), and the workers' peak memory. PostgreSQL: by default
postgresql+psycopg://postgres@127.0.0.1:5432/replyflow_bench, created when missing.
"""
import argparse
import contextlib
import http.client
import http.cookies
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Demo-12345"
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/replyflow_bench"


class Client:
    """One logged-in person on one keep-alive connection."""

    def __init__(self, port, username=None):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies = {}
        if username:
            status, _, page = self.get("/login")
            token = TOKEN.search(page).group(1)
            status, _, _ = self.request("POST", "/login", {"username": username, "password": PASSWORD,
                                                           "csrf_token": token})
            assert status == 302, f"{username} could not log in ({status})"

    def request(self, method, path, form=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # the server closed a connection left idle past its keep-alive while other pages were timed
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            self.cookies.update({k: m.value for k, m in cookie.items()})
        return response.status, response.headers, data.decode("utf-8", "replace")

    def get(self, path):
        return self.request("GET", path)


def timed(client, path, n):
    samples, statements = [], None
    for _ in range(n):
        start = time.perf_counter()
        status, headers, _ = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert status == 200, (path, status)
        statements = headers.get("X-SQL-Statements")
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], statements


def ensure_pg(url):
    """The benchmark's own PostgreSQL database, emptied; None when PostgreSQL does not answer."""
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    name = urllib.parse.urlsplit(plain).path.lstrip("/")
    admin = plain.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"PostgreSQL skipped: {error}".splitlines()[0])
        return None
    return url


def flask(env, *args):
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_memory_mb(server) -> float:
    """The largest peak resident size (VmHWM) of gunicorn's workers."""
    children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    peaks = []
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        peaks += [int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM")]
    return max(peaks or [0.0])


def pages(ids):
    """(who, label, path) of every page a person uses daily."""
    return [
        (None, "ceiling: a static file", "/static/favicon.svg"),
        (None, "/healthz", "/healthz"),
        ("clerk_zx", "list, no filter", "/submissions"),
        ("clerk_zx", "list, state filter", "/submissions?state=assigned"),
        ("clerk_zx", "list, overdue", "/submissions?overdue=1"),
        ("clerk_zx", "list, key items", "/submissions?key=1"),
        ("clerk_zx", "list, by department", f"/submissions?department={ids['department']}"),
        ("clerk_zx", "list, sort by due", "/submissions?sort=due"),
        ("clerk_zx", "list, sort newest", "/submissions?sort=newest"),
        ("clerk_zx", "list, page 500", "/submissions?page=500"),
        ("clerk_zx", "search, common term", "/submissions?q=%E4%BA%BA%E6%89%8D"),            # 人才
        ("clerk_zx", "search, one topic (2.7 % of cases)", "/submissions?q=%E5%8A%A0%E8%A3%85%E7%94%B5%E6%A2%AF"),  # 加装电梯
        ("clerk_zx", "search, rare term", "/submissions?q=%E5%B9%BF%E7%BA%B3%E6%B5%B7%E5%A4%96"),  # 广纳海外
        ("clerk_zx", "search, a number", "/submissions?q=0294"),
        # 科学技术局: found in the full text (the cases' departments), not in titles
        ("clerk_zx", "search, full text: a department's name", "/submissions?q=" + quote("科学技术局")),
        ("clerk_zx", "statistics, one sitting (10,000 cases)", f"/statistics?sitting={ids['sitting']}"),
        ("clerk_zx", "statistics, across all sittings", "/statistics"),
        ("clerk_zx", "case page (0294)", f"/submissions/{ids['case']}"),
        ("clerk_zx", "clerk's 工作台", "/"),
        ("clerk_zx", "notifications", "/notifications"),
        ("clerk_rd", "人大 clerk's list (a body of few cases)", "/submissions"),
        ("clerk_rd", "人大 clerk's 工作台", "/"),
        ("luoyang", "handler's 工作台", "/"),
        ("luoyang", "handler's list", "/submissions"),
        ("wuyin", "signer's 工作台", "/"),
        ("caoliujun", "member's 工作台", "/"),
        ("caoliujun", "member's list", "/submissions"),
        ("caoliujun", "member's case page", f"/submissions/{ids['case']}"),
        ("caoliujun", "我的提案 (/mine)", "/mine"),
        ("clerk_zx", "跟踪落实, every case under follow-up", "/follow-ups"),
        ("clerk_zx", "跟踪落实, no progress for 3 months", "/follow-ups?stale=1"),
        ("luoyang", "跟踪落实, a department's", "/follow-ups"),
        # 政务公开, no login: the list, a keyword, a sitting, a year, one reply and its copies
        (None, "public replies, list", "/public/replies"),
        (None, "public replies, keyword 加装电梯", "/public/replies?q=" + quote("加装电梯")),
        (None, "public replies, common keyword 人才", "/public/replies?q=" + quote("人才")),
        (None, "public replies, one sitting", f"/public/replies?sitting={ids['sitting']}"),
        (None, "public replies, a year, page 50", f"/public/replies?year={time.localtime().tm_year}&page=50"),
        (None, "public reply page", f"/public/replies/{ids['public_reply']}"),
        (None, "public reply, HTML copy", f"/public/replies/{ids['public_reply']}.html"),
    ]


def bench_env(url):
    # MALLOC_ARENA_MAX as deploy/systemd/replyflow-web.service sets it
    return {**os.environ, "MALLOC_ARENA_MAX": "2", "REPLYFLOW_DATABASE_URL": url, "REPLYFLOW_SQL_COUNT": "1",
            "REPLYFLOW_LOGIN_RATE_LIMIT": "100000 per minute", "REPLYFLOW_ACCESS_LOG": "/dev/null"}


def build(url, n) -> float:
    """Migrate and load the demo plus n synthetic cases; the seconds it took. On PostgreSQL then VACUUM, as
    autovacuum would soon after a bulk load (this machine's PostgreSQL runs with it off): without it the
    index-only scans read the heap, and a department's list took 50 ms instead of 25."""
    env = bench_env(url)
    start = time.perf_counter()
    flask(env, "db", "upgrade")
    flask(env, "demo", "--scale", str(n))
    if url.startswith("postgresql"):
        vacuum(url)
    return time.perf_counter() - start


def vacuum(url):
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def probe(url) -> dict:
    """Ids the pages need, and the number of cases."""
    out = subprocess.run([sys.executable, "-c", (
        "from replyflow import create_app\nfrom replyflow.extensions import db\nfrom sqlalchemy import text\n"
        "app = create_app()\nwith app.app_context():\n"
        "    print(db.session.scalar(text(\"SELECT id FROM submission WHERE number = '0294' ORDER BY id LIMIT 1\")))\n"
        "    print(db.session.scalar(text('SELECT min(id) FROM department')))\n"
        "    print(db.session.scalar(text('SELECT count(*) FROM submission')))\n"
        "    print(db.session.scalar(text(\"SELECT coalesce(min(id), 1) FROM sitting WHERE name LIKE '基准测试会议%'\")))\n"
        "    print(db.session.scalar(text(\"SELECT coalesce(max(id), 1) FROM reply WHERE disclosure = 'public' \"\n"
        "                                 \"AND delivered_at IS NOT NULL\")))")],
        cwd=ROOT, env=bench_env(url), capture_output=True, text=True, check=True).stdout.split()
    return {"case": int(out[0]), "department": int(out[1]), "cases": int(out[2]), "sitting": int(out[3]),
            "public_reply": int(out[4])}


@contextlib.contextmanager
def serving(url):
    """gunicorn with 2 workers on the database; yields (port, server process)."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL,
                              env={**bench_env(url), "REPLYFLOW_BIND": f"127.0.0.1:{port}", "REPLYFLOW_WORKERS": "2"})
    try:
        for _ in range(300):
            try:
                Client(port).get("/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield port, server
    finally:
        server.terminate()
        server.wait(20)


def measure_pages(port, ids, requests):
    """[(label, p50, p95, statements)] of every daily page; a client per person, logged in once."""
    clients, rows = {}, []
    for who, label, path in pages(ids):
        if who not in clients:
            clients[who] = Client(port, who)
        client = clients[who]
        print(f"  … {label}", file=sys.stderr, flush=True)   # which page, should one hang
        client.get(path)   # warm: templates compiled, caches filled
        p50, p95, statements = timed(client, path, requests)
        rows.append((label, p50, p95, statements))
    return rows


def print_pages(rows):
    ceiling = rows[0][1]
    print("| page | p50 ms | p95 ms | × ceiling | SQL |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, p50, p95, statements in rows:
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {p50 / ceiling:.1f} | {statements or '–'} |")


def run(url, n, requests):
    built = build(url, n)
    ids = probe(url)
    with serving(url) as (port, server):
        rows = measure_pages(port, ids, requests)
        memory = peak_memory_mb(server)
    dialect = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"\n### {dialect}, {ids['cases']} cases (built in {built:.0f} s), {requests} requests a page\n")
    print_pages(rows)
    print(f"\nworkers' peak memory: {memory:.0f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="synthetic cases beside the demo's (default 20000)")
    parser.add_argument("--requests", type=int, default=200, help="requests a page (default 200)")
    parser.add_argument("--pg", default=DEFAULT_PG, help="the PostgreSQL database to build (emptied first)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/bench.sqlite3", args.n, args.requests)
    if not args.no_pg and (url := ensure_pg(args.pg)):
        run(url, args.n, args.requests)


if __name__ == "__main__":
    main()
