"""The POST route of every registry row that has one: load or 404, 403, validate, one service call, commit."""
from flask import Blueprint, url_for
from flask_login import current_user, login_required

from ..models import Assignment, Submission
from ..web import Prepared, action, get_or_404, prepare, require_actor
from ..workflow.states import ASSIGNMENT
from .registry import ACTIONS, CaseAction

bp = Blueprint("actions", __name__)


def back_to_case(obj) -> str:
    if isinstance(obj, Assignment):
        return url_for("submissions.detail", submission_id=obj.submission_id) + f"#assignment-{obj.id}"
    return url_for("submissions.detail", submission_id=obj.id)


def _view(spec: CaseAction):
    model = Assignment if spec.target == ASSIGNMENT else Submission

    @login_required
    def view(obj_id):
        if spec.prepare is None:
            obj = get_or_404(model, obj_id, lock=True)
            require_actor(obj, spec.transition)
            form = spec.form(current_user, obj)
            return action(form, lambda: spec.call(current_user, obj, form), spec.done, back_to_case(obj), obj)
        # the slow part first, on the row as read; then the row locked and the action done on it as it is then
        obj = get_or_404(model, obj_id)
        require_actor(obj, spec.transition)
        form = spec.form(current_user, obj)
        prepared = prepare(form, lambda: spec.prepare(current_user, obj), back_to_case(obj))
        if not isinstance(prepared, Prepared):
            return prepared
        obj = get_or_404(model, obj_id, lock=True)
        return action(form, lambda: spec.call(current_user, obj, form, prepared.value), spec.done, back_to_case(obj),
                      obj)

    view.__name__ = spec.name
    return view


for _spec in ACTIONS:
    if _spec.path:
        prefix = "/assignments" if _spec.target == ASSIGNMENT else "/submissions"
        bp.add_url_rule(f"{prefix}/<int:obj_id>/{_spec.path}", _spec.name, _view(_spec), methods=["POST"])
