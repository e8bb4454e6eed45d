"""What members and deputies do themselves: rate a delivered reply (征询意见)."""
from flask import Blueprint, url_for
from flask_login import current_user, login_required

from ..models import Assignment
from ..services import feedback as service
from ..web import action, get_or_404, require_actor
from .forms import FeedbackForm

bp = Blueprint("members", __name__)


@bp.post("/assignments/<int:assignment_id>/feedback")
@login_required
def feedback(assignment_id):
    assignment = get_or_404(Assignment, assignment_id)
    require_actor(assignment, "feedback_satisfied")
    form = FeedbackForm()
    return action(form, lambda: service.give_feedback(current_user, assignment, form.handling_rating.data,
                                                      form.result_rating.data, form.comment.data),
                  "感谢您的评价。", url_for("submissions.detail", submission_id=assignment.submission_id))
