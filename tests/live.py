"""The app served over real sockets (a threaded WSGI server in this process), and a user driving it
with the standard library's HTTP client: for what only concurrent requests can show."""
import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

from werkzeug.serving import make_server

from . import factories

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class LiveServer:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class LiveUser:
    """One person's browser session: its own cookies, redirects not followed (the status is the answer)."""

    def __init__(self, base, username=None, password=factories.PASSWORD):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)
        if username:
            status, _, _ = self.login(username, password)
            assert status == 302, f"login of {username} failed"

    def request(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8", "replace")

    def token(self, path="/"):
        status, _, html = self.request(path)
        match = TOKEN.search(html)
        assert match, f"{path} ({status}) has no CSRF token"
        return match.group(1)

    def login(self, username, password=factories.PASSWORD):
        token = self.token("/login")
        return self.request("/login", {"username": username, "password": password, "csrf_token": token})

    def post(self, path, data=None, token=None):
        return self.request(path, {**(data or {}), "csrf_token": token or self.token()})

    def flashes(self, path="/"):
        _, _, html = self.request(path)
        return re.findall(r'alert-(?:danger|warning|success|info)[^>]*>\s*([^<]+)', html)
