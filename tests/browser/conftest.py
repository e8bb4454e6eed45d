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
    env = {**os.environ, "REPLYFLOW_DATABASE_URL": uri, "REPLYFLOW_STORAGE_PATH": app.config["STORAGE_PATH"],
           "REPLYFLOW_BIND": f"127.0.0.1:{port}",
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
        # reduced motion turns off Bootstrap's 0.15 s colour fades: axe must not measure a button half-way
        # between its hover and rest colours (it once failed CI on exactly that)
        self.context = browser.new_context(viewport=PHONE if phone else DESK, locale="zh-CN", has_touch=phone,
                                           is_mobile=phone, device_scale_factor=1, accept_downloads=True,
                                           reduced_motion="reduce")
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

    def click(self, name, role="button", navigates=True, within=None):
        """Click (on a phone: tap) a button or link of the main part by its words; waits for the page it
        opens unless it opens the confirmation dialog (`navigates=False`)."""
        target = (within or self.page.locator("main")).get_by_role(role, name=name, exact=True)
        act = target.tap if self.phone else target.click
        if not navigates:
            return act()
        with self.page.expect_navigation():
            act()

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
        ok = dialog.get_by_role("button", name=words)
        with self.page.expect_navigation():
            ok.tap() if self.phone else ok.click()
        return text

    def flash(self):
        return " ".join(self.page.locator("main .alert").all_inner_texts())

    # -- looking -------------------------------------------------------------------------------
    def check(self, name):
        """Screenshot the page and measure it at the office size and at the phone size (the person's own
        first); a failure names the page, the size and what is wrong."""
        self.page.wait_for_load_state()
        self.shots += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        found = []
        for size in ((PHONE, DESK) if self.phone else (DESK, PHONE)):
            tag = "phone" if size is PHONE else "desk"
            self.page.set_viewport_size(size)
            self.page.screenshot(path=SHOTS / f"{self.test_name[5:60]}-{self.shots:02d}-{name}-{tag}.png",
                                 full_page=True)
            found += [f"{tag}: {what}" for what in self.page.evaluate(MEASURE, {"phone": size is PHONE})]
        self.page.set_viewport_size(PHONE if self.phone else DESK)
        self.page.evaluate(AXE)
        result = self.page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }""")
        found += [f"axe {v}" for v in result]
        assert not found, f"{name}:\n  " + "\n  ".join(found)
        self.assert_clean()

    def reachable_by_keyboard(self):
        """Tab through the page: every visible control of the main part gets the focus (a radio group
        once, as the arrow keys move within it). Returns what was never reached."""
        self.page.evaluate("""() => document.querySelectorAll('main a[href], main button, main input, main select,'
            + ' main textarea, main summary').forEach((el, i) => el.dataset.kbd = i)""")
        self.page.locator("body").focus()
        reached = set()
        for _ in range(400):
            self.page.keyboard.press("Tab")
            key = self.page.evaluate("() => document.activeElement && document.activeElement.dataset.kbd")
            if key is not None and key in reached:
                break
            if key is not None:
                reached.add(key)
        return self.page.evaluate("""(reached) => {
            const seen = new Set(reached), groups = new Set(), missed = [];
            document.querySelectorAll('main [data-kbd]').forEach(el => {
                if (el.type === 'radio' && seen.has(el.dataset.kbd)) groups.add(el.name); });
            document.querySelectorAll('main [data-kbd]').forEach(el => {
                const box = el.getBoundingClientRect();
                const shown = (box.width > 0 && box.height > 0) || el.type === 'file' || el.classList.contains('btn-check');
                if (!shown || el.closest('[hidden]') || el.disabled || el.type === 'hidden' || seen.has(el.dataset.kbd)) return;
                if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') return;
                if (el.type === 'radio' && groups.has(el.name)) return;
                missed.push((el.innerText || el.name || el.id || el.tagName).trim().slice(0, 30));
            });
            return missed;
        }""", sorted(reached))

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
  // labels, cells, and any element holding only a short text: a state, a date, a name (2025年12月1日 is 10)
  const labels = new Set(document.querySelectorAll('th, td, label, .badge, .btn, .nav-link, dt, dd, legend, .page-link'));
  for (const el of document.querySelectorAll('main *'))
    if (el.children.length === 0 && !el.closest('p, .form-text')) labels.add(el);   // running text may wrap
  for (const el of labels) {
    const text = (el.innerText || '').trim();
    if (!visible(el) || text.length < 2 || text.length > 12 || /\\s/.test(text)) continue;
    const range = document.createRange(); range.selectNodeContents(el);
    // lines, not boxes: a badge beside the word sits a little higher on the same line
    const size = parseFloat(getComputedStyle(el).fontSize);
    const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => r.bottom).sort((a, b) => a - b);
    const lines = tops.filter((t, i) => i === 0 || t - tops[i - 1] > size * 0.8).length;
    if (lines > 1) found.push(`"${text}" wraps onto ${lines} lines`);
  }
  if (phone) {
    const taps = 'a.btn, button, select, textarea, summary, .nav-link, .page-link, .form-check-label, .list-group-item-action,' +
      ' input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])';
    // links standing on their own count too; a link inside running text is the text's (WCAG 2.5.8's exception)
    const alone = [...document.querySelectorAll('a[href]')].filter(a => !a.closest('p, .form-text, .alert, dd'));
    for (const el of new Set([...document.querySelectorAll(taps), ...alone])) {
      if (!visible(el) || el.closest('.navbar-collapse:not(.show)') || el.closest('.modal:not(.show)')) continue;
      const h = el.getBoundingClientRect().height;
      const what = (el.innerText || el.value || el.name || el.tagName).trim().slice(0, 20);
      if (h < 40) found.push(`tap target "${what}" is ${Math.round(h)}px high`);
    }
  }
  // no browser-language widgets on a Chinese page: mm/dd/yyyy date pickers, "Choose File" buttons
  for (const el of document.querySelectorAll('input[type=date], input[type=datetime-local], input[type=month]'))
    if (visible(el)) found.push(`a browser date picker (${el.name}) shows the browser's own format`);
  for (const el of document.querySelectorAll('input[type=file]'))
    if (visible(el) && getComputedStyle(el).opacity !== '0') found.push(`a bare file input (${el.name}) says "Choose File"`);
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
