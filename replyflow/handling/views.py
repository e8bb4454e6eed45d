"""Assignment actions: 签收, 申请调整 and its answer, 沟通记录, 会办意见, 催办, 延期, 重新办理, 办结.

Every one is the same view: load the assignment or 404, 403 unless the user is one of the
action's actors, validate the form, call one service, commit, back to the case. So they are
declared as rows of one table instead of eleven copies of that view.
"""
from dataclasses import dataclass
from typing import Callable

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


def _grant_adjustment_form():
    form = GrantAdjustmentForm()
    form.department_id.choices = [(d.id, d.name) for d in db.session.query(Department).all()]
    return form


@dataclass(frozen=True)
class AssignmentAction:
    endpoint: str
    path: str                  # under /assignments/<id>/
    transition: str            # the row of the transition table whose actors may post it
    form: Callable
    call: Callable             # (user, assignment, form) -> None: one service call
    done: str                  # the message shown after it succeeded


ACTIONS = [
    AssignmentAction("acknowledge", "acknowledge", "acknowledge", EmptyForm,
                     lambda u, a, f: service.acknowledge(u, a), "已签收。"),
    AssignmentAction("request_adjustment", "adjustment", "request_adjustment", ReasonForm,
                     lambda u, a, f: service.request_adjustment(u, a, f.comment.data), "调整申请已提交，等待审核。"),
    AssignmentAction("grant_adjustment", "adjustment/grant", "grant_adjustment", _grant_adjustment_form,
                     lambda u, a, f: service.grant_adjustment(u, a, db.session.get(Department, f.department_id.data),
                                                              f.due_on.data, f.comment.data),
                     "已同意调整，改由新单位办理。"),
    AssignmentAction("refuse_adjustment", "adjustment/refuse", "refuse_adjustment", ReasonForm,
                     lambda u, a, f: service.refuse_adjustment(u, a, f.comment.data), "已不同意调整。"),
    AssignmentAction("record_contact", "contacts", "record_contact", ContactForm,
                     lambda u, a, f: service.record_contact(u, a, f.contact_on.data, f.method.data, f.summary.data),
                     "沟通记录已保存。"),
    AssignmentAction("submit_opinion", "opinion", "submit_opinion", OpinionForm,
                     lambda u, a, f: service.submit_opinion(u, a, f.opinion.data), "会办意见已提交主办单位。"),
    AssignmentAction("urge", "urge", "urge", ReasonForm,
                     lambda u, a, f: service.urge(u, a, f.comment.data), "已催办。"),
    AssignmentAction("request_extension", "extension", "request_extension", ExtensionRequestForm,
                     lambda u, a, f: deadline_service.request_extension(u, a, f.requested_due_on.data, f.comment.data),
                     "延期申请已提交，等待审核。"),
    AssignmentAction("grant_extension", "extension/grant", "grant_extension", ExtensionGrantForm,
                     lambda u, a, f: deadline_service.grant_extension(u, a, f.due_on.data, f.comment.data),
                     "已同意延期。"),
    AssignmentAction("refuse_extension", "extension/refuse", "refuse_extension", ReasonForm,
                     lambda u, a, f: deadline_service.refuse_extension(u, a, f.comment.data), "已不同意延期。"),
    AssignmentAction("order_rehandling", "rehandle", "order_rehandling", RehandleForm,
                     lambda u, a, f: feedback_service.order_rehandling(u, a, f.due_on.data, f.comment.data),
                     "已交承办单位重新办理。"),
    AssignmentAction("close_assignment", "close", "close_assignment", ReasonForm,
                     lambda u, a, f: feedback_service.close_assignment(u, a, f.comment.data), "已办结。"),
]


def _view(spec: AssignmentAction):
    @login_required
    def view(assignment_id):
        assignment = get_or_404(Assignment, assignment_id)
        require_actor(assignment, spec.transition)
        form = spec.form()
        back = url_for("submissions.detail", submission_id=assignment.submission_id) + f"#assignment-{assignment.id}"
        return action(form, lambda: spec.call(current_user, assignment, form), spec.done, back)
    view.__name__ = spec.endpoint
    return view


for _spec in ACTIONS:
    bp.add_url_rule(f"/<int:assignment_id>/{_spec.path}", _spec.endpoint, _view(_spec), methods=["POST"])
