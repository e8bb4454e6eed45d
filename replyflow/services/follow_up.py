"""跟踪落实: an answer of class B or C (人大 also D) leaves its matter open after the case closes.

The department records progress, and once the matter is solved sends a 二次答复: a new round of the same
assignment, drafted, signed, delivered and rated like the first answer. The follow-up ends when an
answer of a class that needs none (A) is delivered."""
from datetime import date, timedelta

from ..clock import cn_date, today
from ..extensions import db
from ..models import FollowUpProgress
from ..notifications import messages
from ..notifications.service import tell_proposers
from ..workflow import engine
from . import ServiceError
from . import reply_wording as wording
from .replies import new_round

#: the 二次答复's due date when the department starts it: it answers a matter already solved
SECOND_ANSWER_DAYS = 30


def record_progress(user, assignment, text: str, progress_on: date | None = None) -> FollowUpProgress:
    """落实进展: what has been done since; the proposers are told."""
    text = (text or "").strip()
    engine.check(user, assignment, "record_progress", text)
    progress_on = progress_on or today()
    if progress_on > today():
        raise ServiceError("进展日期不能晚于今天。")
    if assignment.follow_up_since and progress_on < assignment.follow_up_since:
        raise ServiceError(f"进展日期不能早于开始跟踪落实的{cn_date(assignment.follow_up_since)}。")
    progress = FollowUpProgress(progress_on=progress_on, text=text, recorded_by_id=user.id)
    assignment.progress.append(progress)
    assignment.follow_up_last_on = max(assignment.follow_up_last_on or progress_on, progress_on)
    engine.fire(user, assignment, "record_progress", f"{cn_date(progress_on)}：{text}")
    submission = assignment.submission
    tell_proposers(submission, lambda own: messages.follow_up_progress(submission, assignment, progress_on, text,
                                                                       own=own))
    db.session.flush()
    return progress


def start_second_answer(user, assignment):
    """二次答复: the matter is solved; the department drafts the answer that says so, in a new round."""
    engine.check(user, assignment, "start_second_answer")
    first = assignment.current_reply
    assignment.follow_up = "answering"   # before the round: the engine keeps the case 已办结 meanwhile
    new_round(assignment, today() + timedelta(days=SECOND_ANSWER_DAYS))
    reply = assignment.current_reply
    reply.answer_class = None  # the class is decided afresh: usually A, the matter solved
    # it answers what was done since the first answer, which it names; the rest is the handler's
    reply.body = wording.second_opening(assignment.submission, first) + "\n一、落实情况\n\n"
    engine.fire(user, assignment, "start_second_answer", f"第{assignment.round}轮，期限 {cn_date(assignment.due_on)}")
    db.session.flush()
    return reply
