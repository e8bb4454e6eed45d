"""Headers on every response: a CSP the UI works under (no inline script, no frames), nosniff, same-origin
referrers (Flask-Talisman); no-store for logged-in pages and downloads. The Server header is the WSGI
server's: gunicorn.conf.py makes it name no version."""
from flask import request
from flask_login import current_user
from flask_talisman import Talisman

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    # style="" attributes in the templates; no stylesheet comes from elsewhere
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

talisman = Talisman()


def register(app):
    talisman.init_app(
        app, content_security_policy=CSP, frame_options="DENY", force_https=False,
        strict_transport_security=app.config.get("SESSION_COOKIE_SECURE", False),
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        referrer_policy="same-origin", x_content_type_options=True)

    @app.after_request
    def private_pages_are_not_stored(response):
        # a shared office PC's browser cache must not keep a case page or an unpublished reply
        if request.endpoint != "static" and (current_user.is_authenticated or response.headers.get(
                "Content-Disposition", "").startswith("attachment")):
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response

    if app.config.get("PROXY_FIX"):
        # behind nginx: client address and scheme from X-Forwarded-For / -Proto, that many proxies deep
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
