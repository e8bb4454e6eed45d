"""Load test (issue 11): many people at once against gunicorn, on SQLite and (when reachable) PostgreSQL.
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/load.py [--n 20000] [--users 50] [--seconds 60] [--spawn-rate 10]
        [--think 1-3] [--warmup 15] [--pg URL | --no-pg] [--no-sqlite] [--reuse URL] [--keep]
        [--keep-alive S] [--idle-wait MIN]

For each database it builds a fresh one the way pages.py does (migrations, the demo, N synthetic cases),
serves it with gunicorn (gunicorn.conf.py: 2 workers of 4 threads, as pages.py) on a free loopback port and
runs locust in this process, headless, with three kinds of people (weights 3 : 2 : 2):

- ClerkUser, as clerk_zx (政协) or clerk_rd (人大), 2 : 1: 工作台, the list (pages, filters, sorts),
  searches (a common term, one topic's, a rare one), the case pages the lists show, notifications.
- HandlerUser, as each department's handler in turn: 工作台, his list, the cases he drafts, and the reply
  editor: opened (fresh form and row version), a pause to type, 保存 (a draft version), the editor again.
  Each handler user drafts cases of his own department in the drafting state that no other user touches.
- MemberUser, as the members and deputies who have a delivered reply: 工作台, 我的提案建议, the case
  page, the reply page and its signed .docx.

Everyone logs in once (the login form's CSRF token, no second factor: REPLYFLOW_TOTP_ROLES is set empty)
and waits 1–3 s (--think) between tasks: far busier than a real office, where minutes pass between
pages. The figures count from --warmup s (15) after everyone is logged in, for --seconds: the
logins (Argon2id each) and each worker's first pages (jieba's dictionary, 1.3 s, loads at the first
reply page) are reported apart. The benchmark server gets REPLYFLOW_LOGIN_RATE_LIMIT=100000 per minute: the
production limit (30 logins a minute per address, counted in each worker) would refuse some of 50 people
logging in from 127.0.0.1 within seconds. A request the server resets on a keep-alive connection is sent
once more on a new one, as a browser and nginx do (RETRY); these are counted and printed. The access log
and gunicorn's error output go to a folder printed at the end; the status codes are counted and the
first traceback printed. PostgreSQL: by default postgresql+psycopg://postgres@127.0.0.1:5432/
replyflow_bench_load, created for the run and dropped after it (--keep keeps it), VACUUM ANALYZE'd once
built (autovacuum would have; this machine's runs with it off). Each database's
stored files (STORAGE_PATH) go to a temporary folder of the run, not instance/files; --reuse and the
plain locustfile take REPLYFLOW_STORAGE_PATH from the environment.

Also a plain locustfile against a server already running on a database built so:

    REPLYFLOW_DATABASE_URL=... .venv/bin/locust -f benchmarks/load.py --headless -u 50 -r 10 -t 60s \\
        --host http://127.0.0.1:8000 --only-summary
"""
import argparse
import hashlib
import itertools
import json
import logging
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import gevent
import locust
import psutil
from locust import HttpUser, events, task
from locust.clients import LocustHttpAdapter
from locust.env import Environment
from locust.exception import StopUser
from urllib3.util import Retry

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402  (after locust: gevent patches the standard library first)

ROOT = pages.ROOT
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/replyflow_bench_load"
CASE_LINK = re.compile(r'href="/submissions/(\d+)"')
#: what the people of the test work on, found in the database before it starts (probe)
PLAN = {}
#: the users that have logged in, and the draft saves the editor refused (a conflict or a message)
STATE = {"logged_in": 0, "refused_saves": 0, "refusals": []}
THINK = [1.0, 3.0]
#: the settings of the run's building and serving beside the database's URL: its own STORAGE_PATH
SETTINGS = {}
#: a request on a keep-alive connection the server closes as it arrives (gunicorn's gthread worker ends
#: connections idle for its keepalive, 2 s, without looking for a request that came meanwhile) is reset;
#: a browser, and nginx in front of gunicorn, send it again on a new connection: so do these users, once
RETRY = Retry(total=1, connect=1, read=1, status=0, other=0, allowed_methods=None, raise_on_status=False)


class Retries(logging.Handler):
    """Counts urllib3's "Retrying ... after connection broken by ..." by their reason."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.seen = {}

    def emit(self, record):
        if record.getMessage().startswith("Retrying"):
            reason = re.search(r"by '(\w+)", record.getMessage())
            key = reason.group(1) if reason else "?"
            self.seen[key] = self.seen.get(key, 0) + 1


RETRIES = Retries()
logging.getLogger("urllib3.connectionpool").addHandler(RETRIES)

PROBE = r"""
import json
from sqlalchemy import func, select
from replyflow import create_app
from replyflow import permissions as perm
from replyflow.extensions import db
from replyflow.models import Assignment, Department, Reply, Submission, User

app = create_app()
with app.app_context():
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)).all()
    replies = db.session.scalars(select(Reply).where(Reply.delivered_at.is_not(None)).order_by(Reply.id)).all()
    plan = {"clerks": [], "handlers": {}, "members": {},
            "departments": db.session.scalars(select(Department.id).order_by(Department.id)).all(),
            "total": db.session.scalar(select(func.count(Submission.id)))}
    for user in users:
        if user.has_role("clerk") and user.body:
            plan["clerks"].append(user.username)
        if user.has_role("handler") and user.department_id:
            drafting = db.session.scalars(select(Assignment).where(
                Assignment.department_id == user.department_id, Assignment.state == "drafting")
                .order_by(Assignment.id).limit(400)).all()
            cases = [[a.id, a.submission_id] for a in drafting if perm.can(user, a, "save_draft")]
            if cases:
                plan["handlers"][user.username] = cases
        if user.has_role("member"):
            mine = [[r.id, r.assignment.submission_id] for r in replies if perm.can_view_reply(user, r)]
            if mine:
                plan["members"][user.username] = mine
    print(json.dumps(plan))
"""


def probe(url) -> dict:
    env = {**os.environ, **SETTINGS, "REPLYFLOW_DATABASE_URL": url}
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


class FormFields(HTMLParser):
    """The fields a browser would send from the form whose action ends with `action`."""

    def __init__(self, action):
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = (a.get("action") or "").endswith(self.action)
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields[a["name"]] = a.get("value", "on")
                else:
                    self.fields.setdefault("_choices:" + a["name"], a.get("value"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self.fields[self.textarea] = ""
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            self.fields.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in a:
            self.fields[self.select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


def form_of(page: str, action: str) -> dict:
    parser = FormFields(action)
    parser.feed(page)
    fields = parser.fields
    for key in [k for k in fields if k.startswith("_choices:")]:
        name = key.split(":", 1)[1]
        choice = fields.pop(key)
        if name not in fields and choice is not None:   # a required radio left empty: what a person picks
            fields[name] = choice
    if "body" in fields:   # a browser drops the newline that opens a textarea, and sends CR LF
        body = fields["body"].replace("\r\n", "\n")
        fields["body"] = body.removeprefix("\n").replace("\n", "\r\n")
    return fields


def why(response) -> str:
    """A failure's text: the status and where it sends, or the connection's error."""
    if not response.status_code:
        return f"0 {type(response.error).__name__}: {response.error}"
    return f"{response.status_code} {response.headers.get('Location', '')}".strip()


def think():
    gevent.sleep(random.uniform(*THINK))


class Person(HttpUser):
    """Logs in once; every page is asked without following redirects: anything but the page is a failure."""

    abstract = True
    who = "?"

    def wait_time(self):
        return random.uniform(*THINK)

    def account(self) -> str:
        raise NotImplementedError

    def on_start(self):
        ensure_plan()
        self.username = self.account()
        self.client.mount("http://", LocustHttpAdapter(pool_manager=None, max_retries=RETRY))
        try:
            self.log_in()
        finally:
            STATE["logged_in"] += 1

    def log_in(self):
        with self.client.get("/login", name="login: form", catch_response=True) as response:
            match = pages.TOKEN.search(response.text or "")
            if response.status_code != 200 or not match:
                response.failure(f"login form: {why(response)}")
                raise StopUser()
        with self.client.post("/login", name="login: POST", allow_redirects=False, catch_response=True,
                              data={"username": self.username, "password": pages.PASSWORD,
                                    "csrf_token": match.group(1)}) as response:
            if response.status_code != 302:
                response.failure(f"{self.username} could not log in: {why(response)}")
                raise StopUser()

    def page(self, path, name, expect=200):
        with self.client.get(path, name=f"{self.who}: {name}", allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != expect:
                response.failure(why(response))
            return response.text or ""


class ClerkUser(Person):
    """政协 / 人大 clerks: the lists, their filters and searches, the cases the lists show."""

    weight = 3
    who = "clerk"
    numbers = itertools.count()
    FILTERS = [
        ("list ?state=assigned", "state=assigned"),
        ("list ?state=registered", "state=registered"),
        ("list ?overdue=1", "overdue=1"),
        ("list ?key=1", "key=1"),
        ("list ?sort=due", "sort=due"),
        ("list ?sort=newest", "sort=newest"),
        ("list ?state=assigned&sort=due&page=N", "state=assigned&sort=due&page={page}"),
        ("list ?department=", "department={department}"),
    ]
    SEARCHES = [("search, common term (人才)", "人才"), ("search, one topic (加装电梯)", "加装电梯"),
                ("search, rare term (广纳海外)", "广纳海外"), ("search, a number (0294)", "0294")]

    def account(self):
        clerks = PLAN["clerks"]
        cppcc = "clerk_zx" if "clerk_zx" in clerks else clerks[0]
        other = [c for c in clerks if c != cppcc] or [cppcc]
        number = next(self.numbers)
        self.cases = []
        return other[number // 3 % len(other)] if number % 3 == 2 else cppcc

    def remember(self, page):
        found = CASE_LINK.findall(page)
        if found:
            self.cases = found

    @task(2)
    def dashboard(self):
        self.page("/", "工作台")

    @task(2)
    def listing(self):
        page = random.choice([1, 1, 1, 2, 3, random.randint(1, 50)])
        self.remember(self.page(f"/submissions?page={page}", "list ?page=N"))

    @task(5)
    def filtered(self):
        label, query = random.choice(self.FILTERS)
        query = query.format(page=random.randint(1, 30), department=random.choice(PLAN["departments"]))
        self.remember(self.page(f"/submissions?{query}", label))

    @task(3)
    def search(self):
        label, term = random.choice(self.SEARCHES)
        self.remember(self.page("/submissions?q=" + urllib.parse.quote(term), label))

    @task(5)
    def case(self):
        if not self.cases:
            return self.listing()
        self.page(f"/submissions/{random.choice(self.cases)}", "case page")

    @task(1)
    def notifications(self):
        self.page("/notifications", "notifications")


class HandlerUser(Person):
    """Department handlers: what they draft, and the reply editor's 保存."""

    weight = 2
    who = "handler"
    numbers = itertools.count()
    #: handler -> the drafting cases not yet given to a user
    pools = {}

    def account(self):
        names = sorted(PLAN["handlers"])
        name = names[next(self.numbers) % len(names)]
        pool = self.pools.setdefault(name, list(PLAN["handlers"][name]))
        # his own cases: two users of one account never edit the same draft (unless there are too few)
        self.mine = [pool.pop(0) for _ in range(min(5, len(pool)))] or PLAN["handlers"][name][:5]
        self.saves = itertools.count(1)
        return name

    @task(2)
    def dashboard(self):
        self.page("/", "工作台")

    @task(2)
    def listing(self):
        self.page(f"/submissions?page={random.choice([1, 1, 2])}", "list")

    @task(2)
    def case(self):
        _, submission = random.choice(self.mine)
        self.page(f"/submissions/{submission}", "case page")

    @task(3)
    def save_draft(self):
        assignment, _ = random.choice(self.mine)
        editor = f"/assignments/{assignment}/reply"
        page = self.page(editor, "reply editor")
        fields = form_of(page, editor)
        if "csrf_token" not in fields:
            return
        think()   # typing
        body = re.sub(r"(\r\n)?（负载测试第\d+次修改）$", "", fields.get("body", ""))
        fields["body"] = body + f"\r\n（负载测试第{next(self.saves)}次修改）"
        fields["send"] = "0"
        with self.client.post(editor, data=fields, name="handler: save draft", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code == 302:
                response.success()
            elif response.status_code == 200:   # refused: a conflict or a message in the form, not an error
                response.success()
                STATE["refused_saves"] += 1
                message = re.search(r'class="[^"]*(?:invalid-feedback|alert)[^"]*"[^>]*>\s*([^<]{0,120})',
                                    response.text or "")
                STATE["refusals"].append(message.group(1).strip() if message else "(no message found)")
                return
            else:
                response.failure(why(response))
                return
        self.page(editor, "reply editor after 保存")


class MemberUser(Person):
    """Members and deputies: their own cases, a delivered reply, its signed .docx."""

    weight = 2
    who = "member"
    numbers = itertools.count()

    def account(self):
        names = sorted(PLAN["members"])
        name = names[next(self.numbers) % len(names)]
        self.replies = PLAN["members"][name]
        return name

    @task(1)
    def dashboard(self):
        self.page("/", "工作台")

    @task(2)
    def mine(self):
        self.page(f"/submissions?page={random.choice([1, 1, 1, 2])}", "我的提案建议")

    @task(2)
    def case(self):
        _, submission = random.choice(self.replies)
        self.page(f"/submissions/{submission}", "case page")

    @task(1)
    def reply(self):
        reply, _ = random.choice(self.replies)
        self.page(f"/replies/{reply}", "reply page")

    @task(2)
    def download(self):
        reply, _ = random.choice(self.replies)
        with self.client.get(f"/replies/{reply}/download", name="member: download .docx", allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(why(response))
            elif not response.content.startswith(b"PK") or "wordprocessingml" not in \
                    response.headers.get("Content-Type", ""):
                response.failure("not a .docx")


def ensure_plan():
    """As a plain locustfile: what the people work on, read from REPLYFLOW_DATABASE_URL once."""
    if not PLAN:
        url = os.environ.get("REPLYFLOW_DATABASE_URL")
        if not url:
            raise RuntimeError("set REPLYFLOW_DATABASE_URL to the database the server uses")
        PLAN.update(probe(url))


# -- the runner ------------------------------------------------------------------------------------

def build(url, n) -> float:
    env = {**os.environ, **SETTINGS, "REPLYFLOW_DATABASE_URL": url}
    start = time.perf_counter()
    try:
        pages.flask(env, "db", "upgrade")
        pages.flask(env, "demo", "--scale", str(n))
    except subprocess.CalledProcessError as error:
        print(f"building failed: {' '.join(error.cmd[3:])}\n{error.stdout}\n{error.stderr}")
        raise
    if url.startswith("postgresql"):
        pages.vacuum(url)   # as autovacuum would have long since (this machine's PostgreSQL runs with it off)
    return time.perf_counter() - start


def serve(url, logs: Path, keep_alive=None):
    port = pages.free_port()
    # MALLOC_ARENA_MAX as deploy/systemd/replyflow-web.service sets it
    env = {**os.environ, **SETTINGS, "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"), "REPLYFLOW_DATABASE_URL": url,
           "REPLYFLOW_LOGIN_RATE_LIMIT": "100000 per minute", "REPLYFLOW_TOTP_ROLES": "", "REPLYFLOW_SQL_COUNT": "0",
           "REPLYFLOW_ACCESS_LOG": str(logs / "access.log"),
           "REPLYFLOW_BIND": f"127.0.0.1:{port}", "REPLYFLOW_WORKERS": "2"}
    env.pop("REPLYFLOW_THREADS", None)   # gunicorn.conf.py's 4, as pages.py
    # no control socket: the default one ($HOME/.gunicorn/gunicorn.ctl) is shared by every gunicorn of the user
    env["GUNICORN_CMD_ARGS"] = f"--no-control-socket --access-logformat '{ACCESS_FORMAT}'" + (
        f" --keep-alive {keep_alive}" if keep_alive is not None else "")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=open(logs / "error.log", "w"))
    for _ in range(300):
        try:
            pages.Client(port).get("/healthz")
            return server, port
        except OSError:
            gevent.sleep(0.1)
    server.terminate()
    raise RuntimeError(f"gunicorn did not start: see {logs / 'error.log'}")


def cpu_seconds(server, url) -> dict:
    """(kind, pid) -> CPU seconds so far: gunicorn's processes, the PostgreSQL backends of the benchmark's
    database, this process (locust)."""
    def used(process):
        times = process.cpu_times()
        return times.user + times.system

    found = {("locust", os.getpid()): used(psutil.Process())}
    try:
        master = psutil.Process(server.pid)
        found.update({("gunicorn", p.pid): used(p) for p in [master, *master.children()]})
    except psutil.Error:
        pass
    if url.startswith("postgresql"):
        name = f" {urllib.parse.urlsplit(url).path.lstrip('/')} "
        for process in psutil.process_iter(["cmdline"]):
            try:
                if name in " ".join(process.info["cmdline"] or []):
                    found[("PostgreSQL", process.pid)] = used(process)
            except psutil.Error:
                continue
    return found


def cpu_share(before, after, seconds) -> dict:
    """% of one core each kind used between two cpu_seconds()."""
    shares = {}
    for (kind, pid), value in after.items():
        shares[kind] = shares.get(kind, 0.0) + (value - before.get((kind, pid), 0.0)) / seconds * 100
    return shares


def wait_idle(minutes):
    """Up to `minutes`, until the machine has been idle for 15 s (under 15 % busy): others may share it."""
    deadline, quiet = time.time() + minutes * 60, 0
    while minutes and quiet < 3:
        busy = psutil.cpu_percent(interval=5)
        quiet = quiet + 1 if busy < 15 else 0
        if time.time() > deadline:
            print(f"warning: still {busy:.0f} % busy after {minutes:g} minutes: measuring anyway")
            return
    if minutes:
        print("idle for 15 s: measuring")


def row(entry, seconds):
    pct = entry.get_response_time_percentile
    return (f"| {entry.num_requests} | {entry.num_failures} | {entry.num_requests / seconds:.1f} | {pct(0.5):.0f} | "
            f"{pct(0.95):.0f} | {pct(0.99):.0f} | {entry.max_response_time:.0f} |")


def load(url, args, built, logs):
    PLAN.clear()
    PLAN.update(probe(url))
    STATE.update(logged_in=0, refused_saves=0, refusals=[])
    HandlerUser.pools.clear()
    for kind in (ClerkUser, HandlerUser, MemberUser):
        kind.numbers = itertools.count()
    server, port = serve(url, logs, args.keep_alive)
    try:
        wait_idle(args.idle_wait)
        env = Environment(user_classes=[ClerkUser, HandlerUser, MemberUser], host=f"http://127.0.0.1:{port}",
                          events=events)
        runner = env.create_local_runner()
        runner.start(args.users, spawn_rate=args.spawn_rate)
        deadline = time.time() + 300
        while STATE["logged_in"] < args.users and time.time() < deadline:
            gevent.sleep(0.2)
        logins = {name: (e.num_requests, e.num_failures, e.get_response_time_percentile(0.5),
                         e.get_response_time_percentile(0.95)) for (name, _), e in env.stats.entries.items()
                  if name.startswith("login")}
        counts = dict(runner.user_classes_count)
        gevent.sleep(args.warmup)   # each worker's first pages: templates compiled, jieba's dictionary loaded
        total = env.stats.total
        warm = (total.num_requests - sum(n for n, *_ in logins.values()), total.num_failures,
                [f"{e.method} {e.name}: {e.error} ×{e.occurrences}" for e in env.stats.errors.values()])
        env.stats.reset_all()
        STATE.update(refused_saves=0, refusals=[])
        RETRIES.seen.clear()
        measured_from = (logs / "access.log").stat().st_size
        cpu, machine_cpu, started = cpu_seconds(server, url), psutil.cpu_times(), time.perf_counter()
        while time.perf_counter() - started < args.seconds and server.poll() is None:
            gevent.sleep(0.5)
        if server.poll() is not None:   # another process's doing: this script stops it only at the end
            print(f"warning: gunicorn ended {time.perf_counter() - started:.0f} s into the run "
                  f"(exit {server.returncode}): the figures below are not valid; see {logs / 'error.log'}")
        runner.stop()
        seconds = time.perf_counter() - started
        cpu = cpu_share(cpu, cpu_seconds(server, url), seconds)
        after = psutil.cpu_times()
        cpu["the whole machine"] = 100 * os.cpu_count() * (1 - (after.idle - machine_cpu.idle)
                                                            / (sum(after) - sum(machine_cpu)))
        memory = pages.peak_memory_mb(server)
        runner.quit()
    finally:
        server.terminate()
        server.wait(20)
    report(url, args, built, env.stats, seconds, counts, logins, warm, cpu, memory, logs, measured_from)


def report(url, args, built, stats, seconds, counts, logins, warm, cpu, memory, logs, measured_from):
    dialect = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    total = stats.total
    pct = total.get_response_time_percentile
    who = (f"{counts.get('ClerkUser', 0)} clerks, {counts.get('HandlerUser', 0)} handlers, "
           f"{counts.get('MemberUser', 0)} members")
    built_text = f"built in {built:.0f} s" if built is not None else "reused"
    print(f"\n#### {dialect}, {PLAN['total']} cases ({built_text}): {args.users} users ({who}), "
          f"think time {THINK[0]:g}–{THINK[1]:g} s, {seconds:.0f} s\n")
    server_errors = sum(e.occurrences for e in stats.errors.values() if re.match(r"5\d\d\b", str(e.error)))
    dropped = sum(e.occurrences for e in stats.errors.values() if re.match(r"0 \w+Error", str(e.error)))
    print(f"{total.num_requests} requests, **{total.num_requests / seconds:.1f} requests/s**, "
          f"{total.num_failures} failures ({server_errors} server errors, {dropped} connection errors); p50 / p95 / p99 "
          f"{pct(0.5):.0f} / **{pct(0.95):.0f}** / {pct(0.99):.0f} ms, max {total.max_response_time:.0f} ms; "
          f"draft saves refused (conflict or message): {STATE['refused_saves']}\n")
    print("| request | count | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (name, method), entry in sorted(stats.entries.items()):
        if entry.num_requests:
                print(f"| {name} |" + row(entry, seconds)[1:])
    print("| **all** |" + row(total, seconds)[1:])
    login_text = "; ".join(f"{name} ×{n} ({f} failed) p50 {p50:.0f} / p95 {p95:.0f} ms"
                           for name, (n, f, p50, p95) in sorted(logins.items()))
    print(f"\nbefore the measured window: {login_text}; then {args.warmup:g} s of warm-up, "
          f"{warm[0]} requests, {warm[1]} failures" + "".join(f"\n- warm-up failure: {e}" for e in warm[2]))
    others = cpu["the whole machine"] - sum(v for k, v in cpu.items() if k != "the whole machine")
    print("CPU, % of one core (the machine has " + f"{os.cpu_count()}): "
          + ", ".join(f"{kind} {share:.0f}" for kind, share in cpu.items()) + f" (other processes {others:.0f}); "
          f"workers' peak memory {memory:.0f} MB")
    failures = {}
    for error in stats.errors.values():   # by request and error, the URL's numbers left out
        key = f"{error.method} {error.name}: " + re.sub(r"url: \S+", "url: …", str(error.error))[:200]
        failures[key] = failures.get(key, 0) + error.occurrences
    for key, count in sorted(failures.items(), key=lambda kv: -kv[1])[:12]:
        print(f"- failure: {key} ×{count}")
    if len(failures) > 12:
        print(f"- … and {len(failures) - 12} more kinds of failure")
    retried = ", ".join(f"{reason} ×{n}" for reason, n in sorted(RETRIES.seen.items())) or "none"
    print(f"requests sent again on a new connection after a reset keep-alive one: {retried}")
    if STATE["refusals"]:
        print(f"- refused saves: {sorted(set(STATE['refusals']))[:5]}")
    server_log(logs, measured_from)


#: each access log line: worker, status, microseconds in the worker (not waiting for a thread), request
ACCESS_FORMAT = '%(p)s %(s)s %(D)s "%(r)s"'
ACCESS_LINE = re.compile(r'<(\d+)> (\d{3}) (\d+) "(\w+) (\S+)')


def server_log(logs: Path, measured_from: int):
    """The access log from `measured_from` (a byte offset: the measured window) and the error log."""
    statuses, workers, times = {}, {}, {}
    with open(logs / "access.log", "rb") as log:
        log.seek(measured_from)
        lines = log.read().decode("utf-8", "replace").splitlines()
    for line in lines:
        match = ACCESS_LINE.search(line)
        if not match:
            continue
        worker, status, micros, method, uri = match.groups()
        statuses[status] = statuses.get(status, 0) + 1
        workers[worker] = workers.get(worker, 0) + 1
        group = method + " " + re.sub(r"\d+", "N", re.sub(r"q=[^&]*", "q=…", uri))
        times.setdefault(group, []).append(int(micros) / 1000)
    every = sorted(ms for group in times.values() for ms in group)
    print(f"server: status codes {dict(sorted(statuses.items()))} (the measured window), requests a worker "
          f"{sorted(workers.values())}; logs in {logs}")
    if every:
        def pct(values, q):
            return values[min(len(values) - 1, int(len(values) * q))]
        print(f"server-side time (in the worker, without the wait for a free thread): p50 {pct(every, .5):.0f} / "
              f"p95 {pct(every, .95):.0f} / p99 {pct(every, .99):.0f} / max {every[-1]:.0f} ms; the slowest by p95:")
        slowest = sorted(((pct(sorted(v), .95), k, len(v), pct(sorted(v), .5)) for k, v in times.items()
                          if len(v) >= 10), reverse=True)[:6]
        for p95, group, count, p50 in slowest:
            print(f"  {group} ×{count}: p50 {p50:.0f} / p95 {p95:.0f} ms")
    errors = (logs / "error.log").read_text(errors="replace")
    tracebacks = errors.count("Traceback (most recent call last)")
    if tracebacks or any(code.startswith("5") for code in statuses):
        print(f"server: {tracebacks} tracebacks in error.log; the first:\n")
        start = errors.find("Traceback (most recent call last)")
        head = errors.rfind("\n", 0, max(start - 300, 0))
        print("```\n" + errors[head + 1:start + 4000].rstrip() + "\n```")
    elif "WORKER TIMEOUT" in errors or "was sent SIGKILL" in errors:
        print("server: a worker timed out or was killed: see error.log")


def machine_info(args):
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "?")
    memory = psutil.virtual_memory().total / 2**30
    import sqlite3

    git = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}   # read only: no index refresh
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, env=git, capture_output=True,
                          text=True).stdout.strip() or "?"
    # the uncommitted changes, as a hash: which state of a working tree others edit gave these figures
    diff = subprocess.run(["git", "diff", "HEAD"], cwd=ROOT, env=git, capture_output=True).stdout
    new = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "-z"], cwd=ROOT, env=git,
                         capture_output=True).stdout.split(b"\0")
    for name in sorted(n for n in new if n):
        diff += name + (ROOT / name.decode()).read_bytes()
    changes = f" + changes {hashlib.sha1(diff).hexdigest()[:8]}" if diff else ""
    return (f"machine: {os.cpu_count()} cores ({model}), {memory:.0f} GB; Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, locust {locust.__version__}; code {head}{changes}; "
            f"{time.strftime('%Y-%m-%d %H:%M')}")


def pg_version(url):
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


def drop_pg(url):
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    name = urllib.parse.urlsplit(plain).path.lstrip("/")
    with psycopg.connect(plain.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=3) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="synthetic cases beside the demo's (default 20000)")
    parser.add_argument("--users", type=int, default=50, help="people at once (default 50)")
    parser.add_argument("--seconds", type=int, default=60, help="the measured time, once all are in (default 60)")
    parser.add_argument("--warmup", type=float, default=15,
                        help="seconds of the same load before measuring, unmeasured (default 15)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started a second (default 10)")
    parser.add_argument("--think", default="1-3", help="seconds between one person's tasks, min-max (default 1-3)")
    parser.add_argument("--pg", default=DEFAULT_PG, help="the PostgreSQL database to build (dropped first and after)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--reuse", metavar="URL", help="load this database as it is (built before), nothing else")
    parser.add_argument("--keep-alive", type=int, metavar="S",
                        help="gunicorn's keepalive for this run (default gunicorn.conf.py's: gunicorn's 2 s)")
    parser.add_argument("--idle-wait", type=float, default=0, metavar="MIN",
                        help="wait up to MIN minutes for an idle machine before each run (default: no wait)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database after the run")
    args = parser.parse_args()
    if not urllib.parse.urlsplit(args.pg).path.lstrip("/").startswith("replyflow_bench_load"):
        parser.error("--pg: a database named replyflow_bench_load…, this benchmark's own: it is dropped")
    THINK[:] = [float(x) for x in args.think.split("-")] if "-" in args.think else [float(args.think)] * 2
    print(machine_info(args))
    busy = os.getloadavg()[0]
    if busy > 0.5:
        print(f"warning: load average {busy:.1f} before the run: something else is using the machine")
    logs_root = Path(tempfile.mkdtemp(prefix="replyflow-load-"))
    if args.reuse:
        logs = logs_root / "reuse"
        logs.mkdir()
        load(args.reuse, args, None, logs)
        return
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            # stored files (signed replies) beside the database, not in instance/files
            SETTINGS["REPLYFLOW_STORAGE_PATH"] = f"{tmp}/files"
            url = f"sqlite:///{tmp}/bench.sqlite3"
            built = build(url, args.n)
            (logs_root / "sqlite").mkdir()
            load(url, args, built, logs_root / "sqlite")
    if not args.no_pg and (url := pages.ensure_pg(args.pg)):
        print(f"PostgreSQL {pg_version(url)}")
        with tempfile.TemporaryDirectory() as tmp:
            kept = tempfile.mkdtemp(prefix="replyflow-load-files-") if args.keep else tmp
            SETTINGS["REPLYFLOW_STORAGE_PATH"] = f"{kept}/files"
            if args.keep:
                print(f"kept: {url}, its files REPLYFLOW_STORAGE_PATH={kept}/files")
            try:
                built = build(url, args.n)
                (logs_root / "postgresql").mkdir()
                load(url, args, built, logs_root / "postgresql")
            finally:
                if not args.keep:
                    drop_pg(url)


if __name__ == "__main__":
    main()
