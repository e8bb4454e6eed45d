"""Login, logout and the user's own settings."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user
from markupsafe import Markup
from sqlalchemy import select

from ..audit import log as audit
from ..clock import now_timestamp
from ..extensions import db, limiter
from ..models import User
from ..notifications.outbox import email_enabled, sms_enabled
from ..services.admin import save_account
from ..web import commit_or_flash
from . import hashing, lockout, passwords, sessions, totp
from .forms import AccountForm, CodeForm, LoginForm

bp = Blueprint("auth", __name__)

WRONG = "用户名或密码不正确。"


def _safe_next(target):
    """Only local paths, so the login page cannot be used to send people elsewhere."""
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.index")


def _locked_message(minutes: int) -> str:
    return (f"连续登录失败 {current_app.config['LOGIN_LOCK_AFTER']} 次，该账号已锁定，请 {minutes} 分钟后再试，"
            "或请管理员解锁。")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        name = form.username.data.strip()
        user = db.session.scalar(select(User).where(User.username == name))
        # the hash is always checked, locked or not, known or not: the time taken tells nothing
        right = hashing.verify(user.password_hash if user else hashing.dummy_hash(), form.password.data) and user
        minutes = lockout.locked_minutes(name)
        known = user.username if user else None
        if minutes:
            form.password.errors.append(_locked_message(minutes))
            audit.record("login_locked", user, "denied", f"锁定中（还剩 {minutes} 分钟）", user=user, username=name)
        elif not right:
            left = lockout.failed(name)
            db.session.commit()
            minutes = lockout.locked_minutes(name)
            form.password.errors.append(_locked_message(minutes) if minutes else
                                        WRONG + (f"再失败 {left} 次将锁定账号。" if left <= 2 else ""))
            audit.record("login_failed", user, "failed", ("密码错误" if known else "无此用户名")
                         + ("，账号已锁定" if minutes else ""), user=user, username=name[:40])
        elif not user.active:
            form.username.errors.append("该账号已停用，请联系管理员。")
            audit.record("login_failed", user, "denied", "账号已停用", user=user)
        elif totp.required(user):
            _rehash(user, form.password.data)   # the password is at hand only now
            db.session.commit()
            session.clear()
            session.update(totp_user=user.id, totp_version=user.session_version, totp_since=now_timestamp(),
                           totp_next=_safe_next(request.args.get("next")))
            return redirect(url_for("auth.second_factor"))
        else:
            lockout.clear(name)
            _rehash(user, form.password.data)
            db.session.commit()
            return _logged_in(user, _safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


def _rehash(user, password):
    """An older or weaker hash of the same password is replaced while the password is at hand."""
    if hashing.needs_rehash(user.password_hash):
        user.set_password(password)


def _logged_in(user, target, detail=None):
    session.clear()   # a new session for the logged-in user (no fixation)
    sessions.start(user)
    audit.record("login", user, "ok", detail, user=user)
    return redirect(target)


#: how long the code page waits after the password was right
SECOND_FACTOR_MINUTES = 5


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    """动态口令: after the right password, the code from the authenticator app (enrolled here the first
    time). Wrong codes count toward the same lock as wrong passwords."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    user = db.session.get(User, session.get("totp_user") or 0)
    fresh = now_timestamp() - session.get("totp_since", 0) < SECOND_FACTOR_MINUTES * 60
    if user is None or not user.active or not fresh or session.get("totp_version") != user.session_version:
        session.clear()
        flash("请重新输入用户名和密码。", "warning")
        return redirect(url_for("auth.login"))
    enrolling = user.totp_secret is None
    if enrolling:
        session.setdefault("totp_new_secret", totp.new_secret())
    secret = user.totp_secret or session["totp_new_secret"]
    form = CodeForm()
    if form.validate_on_submit():
        minutes = lockout.locked_minutes(user.username)
        if minutes:
            form.code.errors.append(_locked_message(minutes))
        elif totp.accept(user, secret, form.code.data):
            user.totp_secret = secret
            lockout.clear(user.username)
            db.session.commit()
            return _logged_in(user, session.get("totp_next") or url_for("dashboard.index"),
                              "动态口令（首次绑定）" if enrolling else "动态口令")
        else:
            lockout.failed(user.username)
            db.session.commit()
            minutes = lockout.locked_minutes(user.username)
            form.code.errors.append(_locked_message(minutes) if minutes else
                                    "动态口令不正确或已用过，请输入验证器上当前显示的 6 位数字。")
            audit.record("login_failed", user, "failed", "动态口令错误", user=user)
    uri = totp.provisioning_uri(user, secret) if enrolling else None
    return render_template("auth/code.html", form=form, enrolling=enrolling, secret=secret, uri=uri,
                           qr=Markup(totp.qr_svg(uri)) if enrolling else None)


@bp.post("/logout")
@login_required
def logout():
    """Ends this session and every other of the user (a copied cookie included)."""
    audit.record("logout", current_user._get_current_object())
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    flash("已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """我的设置: e-mail address, reminder e-mails on or off, password (the current one asked first)."""
    form = AccountForm(obj=current_user)
    forced = current_user.must_change_password
    if forced:   # the password is what this visit is for: the labels say so
        form.current_password.label.text = "管理员设置的密码"
        form.new_password.label.text = "新密码"
    if form.validate_on_submit():
        changing = bool(form.new_password.data)

        def call():
            save_account(current_user, form.email.data, form.email_enabled.data,
                         form.new_password.data or None, form.current_password.data,
                         mobile=form.mobile.data, sms_enabled=form.sms_enabled.data)

        if commit_or_flash(call, "设置已保存，密码已修改，其他设备上的登录已退出。" if changing else "设置已保存。"):
            if changing:
                sessions.start(current_user._get_current_object())   # this session goes on, new version
                audit.record("password_changed", current_user._get_current_object(), detail="本人修改，其他会话已结束")
            return redirect(url_for("dashboard.index") if forced and changing else url_for("auth.account"))
    return render_template("auth/account.html", form=form, email_on=email_enabled(), sms_on=sms_enabled(),
                           rules=passwords.RULES,
                           must_change=current_user.must_change_password)
