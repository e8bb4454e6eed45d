"""The view protocol in one place: load or 404, check permission (403), call one service, commit once."""
from dataclasses import dataclass

from flask import abort, flash, redirect, request
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, InvalidRequestError
from sqlalchemy.orm.exc import StaleDataError

from .audit import log as audit
from .extensions import db
from .forms_common import first_error
from .inputs import MAX_ID
from .services import NotAllowed, ServiceError
from .workflow.engine import WorkflowError, check, handled_by, may_act
from .workflow.states import TRANSITIONS


def get_or_404(model, ident, lock: bool = False, options=()):
    """The row or 404. `lock`: SELECT … FOR UPDATE, so that on PostgreSQL a second action on the same row
    waits for the first to commit and then sees its result (SQLite has one writer at a time anyway).
    `options`: what the page shows, loaded with it (a fixed number of statements)."""
    if not isinstance(ident, int) or not 0 < ident <= MAX_ID:
        abort(404)
    obj = db.session.get(model, ident, with_for_update={"of": model} if lock else None, populate_existing=lock,
                         options=options)
    if obj is None:
        abort(404)
    return obj


def require_actor(obj, action: str):
    """403 unless the current user is one of the action's actors for obj (whatever its state)."""
    if not may_act(current_user, obj, TRANSITIONS[action]):
        abort(403)


def page_closed(obj, action: str, back: str):
    """A page of its own for `action` (登记修改, 交办, 重新提交) opened when the case no longer allows it: the
    reason, and back to the case, before anyone fills in a form that cannot be saved. None when open."""
    if request.method != "GET":
        return None
    try:
        check(current_user, obj, action)
    except WorkflowError as refused:
        flash(str(refused), "warning")
        return redirect(back)
    return None


def commit_or_flash(call, success, subject=None) -> bool:
    """Run one service call and commit; on refusal roll back and flash why. True when saved.

    `success` is the message, or a function giving it once the call has run (e.g. with the number given),
    as a string or as (message, Bootstrap category). `subject`: the case or assignment acted on, to say who
    got there first when another request changed it in between."""
    try:
        call()
        db.session.commit()
    except NotAllowed:
        db.session.rollback()
        raise
    except ServiceError as error:
        db.session.rollback()
        refused(error.message, "danger")
        return False
    except StaleDataError:
        # the row's version moved between our read and our write: someone else acted first
        db.session.rollback()
        refused(_first_came(subject), "warning")
        return False
    except IntegrityError:
        # someone else did the same a moment before (a unique key caught it): nothing was saved
        db.session.rollback()
        refused("刚才已有他人处理了此事项，本次操作未保存。请刷新页面查看。", "warning")
        return False
    message = success() if callable(success) else success
    flash(*(message if isinstance(message, tuple) else (message, "success")))
    return True


def _first_came(subject) -> str:
    if subject is not None:
        try:
            db.session.refresh(subject)
            return f"{handled_by(subject)}本次操作未保存。"
        except InvalidRequestError:   # a row that was not saved yet
            pass
    return "刚才已有他人处理了此事项，本次操作未保存。请刷新页面查看。"


def refused(message: str, category: str):
    """Tell the user why the action did not happen, and say so in the audit log with the reason (the redirect that
    follows would otherwise be logged as done)."""
    flash(message, category)
    audit.record(request.endpoint or "", audit.view_object(), "refused", f"{request.method} {request.path}：{message}")


@dataclass
class Prepared:
    value: object


def prepare(form, work, back: str):
    """The slow part of an action, before any row is locked: the form validated, then `work()`; its result as
    Prepared, or, when the form or the work refuses, back to the case saying why (nothing written). The read
    transaction ends here, so that the row is locked afresh for the action itself."""
    if not form.validate_on_submit():
        refused(first_error(form), "danger")
        return redirect(back)
    try:
        value = work()
    except NotAllowed:
        raise
    except ServiceError as error:
        refused(error.message, "danger")
        return redirect(back)
    finally:
        db.session.rollback()   # the slow part writes nothing
    return Prepared(value)


def action(form, call, success: str, back: str, subject=None):
    """A small action form posted from the case page: validate, run, commit, back to the case."""
    if not form.validate_on_submit():
        refused(first_error(form), "danger")
        return redirect(back)
    commit_or_flash(call, success, subject)
    return redirect(back)
