"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser) against the
app served by gunicorn on 127.0.0.1, on the test database. Each person's page fails the test on a console
error or a failed request of the app's own, and each page checked is measured: no sideways scroll, no
label broken into one-character lines, 40 px taps on the phone, no serious axe-core violation."""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import free_port
from ..factories import PASSWORD
from ..live import LiveUser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("REPLYFLOW_CHROMIUM", "/usr/bin/chromium")
#: screenshots of each test's key pages (git-ignored)
SHOTS = ROOT / "screenshots" / "browser"
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _why_not() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: pip install -r requirements-dev.txt"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}: apt-get install chromium (or set REPLYFLOW_CHROMIUM)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _why_not()
    if reason:
        for item in items:
            if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
                item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="session")
def live_url(app):
    """gunicorn serving the test database; each test's `world` is what it serves."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if not uri.startswith(("sqlite:///", "postgresql")):
        pytest.skip("the browser tests need a database another process can open")
    port = free_port()
    env = {**os.environ, "REPLYFLOW_DATABASE_URL": uri, "REPLYFLOW_BIND": f"127.0.0.1:{port}",
           "REPLYFLOW_WORKERS": "1", "REPLYFLOW_THREADS": "4", "REPLYFLOW_ACCESS_LOG": "/dev/null",
           "REPLYFLOW_LOGIN_RATE_LIMIT": "10000 per minute",
           # the test accounts' cheap hashes, so logging in does not rehash them
           "REPLYFLOW_ARGON2_TIME_COST": "1", "REPLYFLOW_ARGON2_MEMORY_KIB": "8", "REPLYFLOW_ARGON2_PARALLELISM": "1"}
    SHOTS.parent.mkdir(exist_ok=True)
    log = open(SHOTS.parent / "gunicorn.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            LiveUser(url).request("/healthz")
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.terminate()
        pytest.fail("gunicorn did not start: see screenshots/gunicorn.log")
    yield url
    server.terminate()
    server.wait(10)
    log.close()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


class Person:
    """One user in one browser window: logs in, clicks, types, and checks each page as its reader sees it."""

    def __init__(self, browser, base_url, test_name, username=None, phone=False):
        self.base, self.phone, self.test_name = base_url, phone, test_name
        self.context = browser.new_context(viewport=PHONE if phone else DESK, locale="zh-CN", has_touch=phone,
                                           is_mobile=phone, device_scale_factor=1, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10000)
        self.problems = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        # a request cut short because the page moved on (ERR_ABORTED) is not a failure of the app
        self.page.on("requestfailed", lambda r: self._own(r.url) and "ERR_ABORTED" not in (r.failure or "")
                     and self.problems.append(f"failed: {r.url} ({r.failure})"))
        self.page.on("response", lambda r: self._own(r.url) and r.status >= 400
                     and self.problems.append(f"HTTP {r.status}: {r.url}"))
        self.shots = 0
        if username:
            self.login(username)

    def _own(self, url):
        return url.startswith(self.base)

    # -- doing ---------------------------------------------------------------------------------
    def go(self, path):
        self.page.goto(self.base + path)
        return self.page

    def login(self, username, password=PASSWORD):
        self.go("/login")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(password)
        self.page.locator("main").get_by_role("button", name="登录").click()
        self.page.wait_for_load_state()
        assert "/login" not in self.page.url, f"{username} could not log in"

    def click(self, name, role="button"):
        self.page.locator("main").get_by_role(role, name=name, exact=True).click()

    def choose(self, decision):
        """Pick one of a decision's alternatives (立案 / 不立案 / ...); its form alone then shows."""
        group = self.page.locator("fieldset.decision")
        group.locator("label.btn").filter(has_text=re.compile(f"^{re.escape(decision)}$")).click()
        return group

    def confirm(self, words):
        """The page's own dialog says what will happen; it is answered with its 确定 button."""
        dialog = self.page.locator("#confirm-dialog")
        dialog.wait_for(state="visible")
        text = dialog.locator(".modal-body").inner_text()
        dialog.get_by_role("button", name=words).click()
        self.page.wait_for_load_state()
        return text

    def flash(self):
        return " ".join(self.page.locator("main .alert").all_inner_texts())

    # -- looking -------------------------------------------------------------------------------
    def check(self, name):
        """Screenshot the page and measure it; a failure names the page and what is wrong."""
        self.page.wait_for_load_state()
        self.shots += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        tag = "phone" if self.phone else "desk"
        self.page.screenshot(path=SHOTS / f"{self.test_name}-{self.shots:02d}-{name}-{tag}.png", full_page=True)
        found = self.page.evaluate(MEASURE, {"phone": self.phone})
        self.page.evaluate(AXE)
        result = self.page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }""")
        found += [f"axe {v}" for v in result]
        assert not found, f"{name} ({tag}):\n  " + "\n  ".join(found)
        self.assert_clean()

    def assert_clean(self):
        problems, self.problems = self.problems, []
        assert not problems, "\n".join(problems)

    def close(self):
        self.assert_clean()
        self.context.close()


#: the page as its reader sees it: what scrolls sideways, which short labels wrap, which taps are small
MEASURE = """({phone}) => {
  const found = [];
  const width = document.documentElement.scrollWidth, view = window.innerWidth;
  if (width > view) found.push(`page is ${width}px wide in a ${view}px window`);
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
    getComputedStyle(el).visibility !== 'hidden' && el.closest('[hidden]') === null; };
  // a short label (2-8 characters) set on two or more lines: 待立/案, 状/态
  for (const el of document.querySelectorAll('th, label, .badge, .btn, .nav-link, dt, legend, .page-link')) {
    const text = (el.innerText || '').trim();
    if (!visible(el) || text.length < 2 || text.length > 8 || /\\s/.test(text)) continue;
    const range = document.createRange(); range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (tops.size > 1) found.push(`"${text}" wraps onto ${tops.size} lines`);
  }
  if (phone) {
    const taps = 'a.btn, button, select, textarea, .nav-link, .page-link, .form-check-label, .list-group-item-action,' +
      ' input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])';
    for (const el of document.querySelectorAll(taps)) {
      if (!visible(el) || el.closest('.navbar-collapse:not(.show)') || el.closest('.modal:not(.show)')) continue;
      const h = el.getBoundingClientRect().height;
      const what = (el.innerText || el.value || el.name || el.tagName).trim().slice(0, 20);
      if (h < 40) found.push(`tap target "${what}" is ${Math.round(h)}px high`);
    }
  }
  // the unread count never covers the word 通知
  const bell = document.querySelector('.bell'), badge = bell && bell.querySelector('.badge');
  if (bell && badge && visible(badge)) {
    const word = document.createRange(); word.setStart(bell.firstChild, 0); word.setEnd(bell.firstChild, 2);
    const a = word.getBoundingClientRect(), b = badge.getBoundingClientRect();
    if (a.right > b.left && a.left < b.right && a.bottom > b.top && a.top < b.bottom) found.push('the unread badge covers 通知');
  }
  return found;
}"""


@pytest.fixture
def person(chromium, live_url, world, request):
    """person(username, phone=False): a logged-in user at an office screen or on a phone."""
    people = []

    def make(username=None, phone=False):
        people.append(Person(chromium, live_url, request.node.name, username, phone))
        return people[-1]

    yield make
    for p in people:
        p.close()
