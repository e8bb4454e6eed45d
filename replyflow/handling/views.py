"""Assignment actions: 签收, 申请调整 and its answer, 沟通记录, 会办意见, 催办, 重新办理, 办结."""
from flask import Blueprint, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..forms_common import EmptyForm
from ..models import Assignment, Department
from ..services import assignments as service
from ..services import deadlines as deadline_service
from ..services import feedback as feedback_service
from ..web import action, get_or_404, require_actor
from .forms import (
    ContactForm,
    ExtensionGrantForm,
    ExtensionRequestForm,
    GrantAdjustmentForm,
    OpinionForm,
    ReasonForm,
    RehandleForm,
)

bp = Blueprint("handling", __name__, url_prefix="/assignments")


def _load(assignment_id, action_name):
    assignment = get_or_404(Assignment, assignment_id)
    require_actor(assignment, action_name)
    return assignment


def _back(assignment):
    return url_for("submissions.detail", submission_id=assignment.submission_id) + f"#assignment-{assignment.id}"


@bp.post("/<int:assignment_id>/acknowledge")
@login_required
def acknowledge(assignment_id):
    a = _load(assignment_id, "acknowledge")
    return action(EmptyForm(), lambda: service.acknowledge(current_user, a), "已签收。", _back(a))


@bp.post("/<int:assignment_id>/adjustment")
@login_required
def request_adjustment(assignment_id):
    a = _load(assignment_id, "request_adjustment")
    form = ReasonForm()
    return action(form, lambda: service.request_adjustment(current_user, a, form.comment.data),
                  "调整申请已提交，等待审核。", _back(a))


@bp.post("/<int:assignment_id>/adjustment/grant")
@login_required
def grant_adjustment(assignment_id):
    a = _load(assignment_id, "grant_adjustment")
    form = GrantAdjustmentForm()
    form.department_id.choices = [(d.id, d.name) for d in db.session.query(Department).all()]
    return action(form, lambda: service.grant_adjustment(
        current_user, a, db.session.get(Department, form.department_id.data), form.due_on.data,
        form.comment.data), "已同意调整，改由新单位办理。", _back(a))


@bp.post("/<int:assignment_id>/adjustment/refuse")
@login_required
def refuse_adjustment(assignment_id):
    a = _load(assignment_id, "refuse_adjustment")
    form = ReasonForm()
    return action(form, lambda: service.refuse_adjustment(current_user, a, form.comment.data),
                  "已不同意调整。", _back(a))


@bp.post("/<int:assignment_id>/contacts")
@login_required
def record_contact(assignment_id):
    a = _load(assignment_id, "record_contact")
    form = ContactForm()
    return action(form, lambda: service.record_contact(current_user, a, form.contact_on.data, form.method.data,
                                                       form.summary.data),
                  "沟通记录已保存。", _back(a))


@bp.post("/<int:assignment_id>/opinion")
@login_required
def submit_opinion(assignment_id):
    a = _load(assignment_id, "submit_opinion")
    form = OpinionForm()
    return action(form, lambda: service.submit_opinion(current_user, a, form.opinion.data),
                  "会办意见已提交主办单位。", _back(a))


@bp.post("/<int:assignment_id>/urge")
@login_required
def urge(assignment_id):
    a = _load(assignment_id, "urge")
    form = ReasonForm()
    return action(form, lambda: service.urge(current_user, a, form.comment.data), "已催办。", _back(a))


@bp.post("/<int:assignment_id>/rehandle")
@login_required
def order_rehandling(assignment_id):
    a = _load(assignment_id, "order_rehandling")
    form = RehandleForm()
    return action(form, lambda: feedback_service.order_rehandling(current_user, a, form.due_on.data,
                                                                  form.comment.data),
                  "已交承办单位重新办理。", _back(a))


@bp.post("/<int:assignment_id>/close")
@login_required
def close_assignment(assignment_id):
    a = _load(assignment_id, "close_assignment")
    form = ReasonForm()
    return action(form, lambda: feedback_service.close_assignment(current_user, a, form.comment.data),
                  "已办结。", _back(a))


@bp.post("/<int:assignment_id>/extension")
@login_required
def request_extension(assignment_id):
    a = _load(assignment_id, "request_extension")
    form = ExtensionRequestForm()
    return action(form, lambda: deadline_service.request_extension(current_user, a, form.requested_due_on.data,
                                                                   form.comment.data),
                  "延期申请已提交，等待审核。", _back(a))


@bp.post("/<int:assignment_id>/extension/grant")
@login_required
def grant_extension(assignment_id):
    a = _load(assignment_id, "grant_extension")
    form = ExtensionGrantForm()
    return action(form, lambda: deadline_service.grant_extension(current_user, a, form.due_on.data, form.comment.data),
                  "已同意延期。", _back(a))


@bp.post("/<int:assignment_id>/extension/refuse")
@login_required
def refuse_extension(assignment_id):
    a = _load(assignment_id, "refuse_extension")
    form = ReasonForm()
    return action(form, lambda: deadline_service.refuse_extension(current_user, a, form.comment.data),
                  "已不同意延期。", _back(a))

