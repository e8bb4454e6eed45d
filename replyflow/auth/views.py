"""Login and logout."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..notifications.outbox import email_enabled
from ..services.admin import save_account
from ..web import commit_or_flash
from .forms import AccountForm, LoginForm

bp = Blueprint("auth", __name__)


def _safe_next(target):
    """Only local paths, so the login page cannot be used to send people elsewhere."""
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        if user is None or not user.check_password(form.password.data):
            form.password.errors.append("用户名或密码不正确。")
        elif not user.active:
            form.username.errors.append("该账号已停用，请联系管理员。")
        else:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    logout_user()
    flash("已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """我的设置: e-mail address, reminder e-mails on or off, password."""
    form = AccountForm(obj=current_user)
    if form.validate_on_submit() and commit_or_flash(lambda: save_account(
            current_user, form.email.data, form.email_enabled.data, form.new_password.data), "设置已保存。"):
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, email_on=email_enabled())

