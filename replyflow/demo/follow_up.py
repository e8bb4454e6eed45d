"""跟踪落实 in the demo: the real B answer 通人社〔2025〕112号 with its progress, and a matter solved and answered
a second time (二次答复), rated like the first."""
from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Assignment, Submission
from ..services import feedback as feedback_service
from ..services import follow_up as follow_up_service

PROGRESS_0078 = [
    (date(2025, 11, 20), "已会同市财政局制定灵活就业人员社保补贴实施细则，征求意见稿已发布。"),
    (date(2026, 3, 16), "实施细则已印发，首批补贴已发放至2,314名灵活就业人员。"),
]


def follow_ups(demo):
    today = demo.today
    main = db.session.scalar(select(Assignment).join(Submission).where(
        Submission.number == "0078", Assignment.follow_up == "open"))
    if main is not None:
        handler = demo.handler_of(main.department)
        for day, text in PROGRESS_0078:
            if day <= today:
                with demo.at(day, 15):
                    follow_up_service.record_progress(handler, main, text, day)

    # a generated B answer rated earlier: progress, then solved and answered again, rated by its lead
    solved = db.session.scalars(select(Assignment).where(
        Assignment.follow_up == "open", Assignment.state == "closed", Assignment.body == "cppcc",
        Assignment.id != (main.id if main else 0)).order_by(Assignment.answered_on)).first()
    if solved is None or solved.answered_on is None or (today - solved.answered_on).days < 30:
        return
    start = solved.answered_on
    handler = demo.handler_of(solved.department)
    with demo.at(start + timedelta(days=10), 15):
        follow_up_service.record_progress(handler, solved, "资金已落实，项目已开工建设。")
    with demo.at(start + timedelta(days=20), 9):
        follow_up_service.start_second_answer(handler, solved)
    reply = solved.current_reply
    demo.draft(solved, start + timedelta(days=21), answer_class="A",
               body=reply.body.rstrip() + "\n项目资金已全部到位，项目已于近日建成投用，所提问题已经解决。\n"
               "感谢您对我们工作的关心和支持。")
    demo._signoff_and_deliver(solved, start + timedelta(days=22), start + timedelta(days=23),
                              start + timedelta(days=24))
    lead = solved.submission.lead
    if lead is not None and lead.user is not None and start + timedelta(days=26) <= today:
        with demo.at(start + timedelta(days=26), 20):
            feedback_service.give_feedback(lead.user, solved, "satisfied", "satisfied", "问题解决了，谢谢。",
                                           contacted=True, contact_method="phone")
    db.session.flush()
