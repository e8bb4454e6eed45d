"""Logged-in sessions: an idle timeout and an absolute lifetime (settings), checked on every request, and
a forced password change before anything else."""
from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..clock import now_timestamp

#: pages a user whose password must change may still open
OPEN_WHILE_CHANGING = {"auth.account", "auth.logout", "static", "health.healthz"}


def start(user):
    login_user(user)
    session["login_at"] = session["seen_at"] = now_timestamp()


def expired() -> str | None:
    """Why the current session is over, or None."""
    now, config = now_timestamp(), current_app.config
    if now - session.get("login_at", 0) > config["SESSION_MAX_HOURS"] * 3600:
        return f"登录已超过 {config['SESSION_MAX_HOURS']} 小时，请重新登录。"
    if now - session.get("seen_at", 0) > config["SESSION_IDLE_MINUTES"] * 60:
        return f"超过 {config['SESSION_IDLE_MINUTES']} 分钟未操作，已自动退出，请重新登录。"
    return None


def check_session():
    """before_request: end an expired session; send a user who must change the password to do so."""
    if request.endpoint in ("static", "health.healthz") or not current_user.is_authenticated:
        return None
    why = expired()
    if why:
        logout_user()
        session.clear()
        flash(why, "warning")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    now = now_timestamp()
    if now - session.get("seen_at", 0) > 30:   # rewritten at most twice a minute
        session["seen_at"] = now
    if current_user.must_change_password and request.endpoint not in OPEN_WHILE_CHANGING:
        flash("管理员为您设置了初始密码或重置了密码，请先修改为您自己的密码。", "warning")
        return redirect(url_for("auth.account"))
    return None
