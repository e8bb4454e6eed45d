"""`flask demo --scale N`: many synthetic submissions, inserted in bulk, for benchmarks."""
import random
from datetime import datetime, time, timedelta

from sqlalchemy import func, insert, select

from .. import clock
from ..extensions import db
from ..models import (
    Assignment,
    Category,
    Department,
    Event,
    Member,
    Reply,
    Sitting,
    Submission,
    SubmissionProposer,
    next_due,
    search_terms,
)
from ..services import numbering
from ..workflow import deadlines
from .catalog import PROPOSAL_TOPICS

BATCH = 2000
#: a province's members and deputies over ten years: about one for every hundred cases, so that each holds
#: about as many cases as a real one (~100 over ten years), not thousands
CASES_PER_MEMBER = 100
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国志斌文辉宇浩然欣怡子轩梓涵雨婷晓东海燕春梅立新振宏"
STATES = ["registered", "accepted", "assigned", "assigned", "assigned", "answered", "closed"]


def _benchmark_sitting(index: int) -> Sitting:
    name = f"基准测试会议（第{index}批）"
    sitting = db.session.scalar(select(Sitting).where(Sitting.name == name))
    if sitting is None:
        sitting = Sitting(body="cppcc", name=name, year=clock.today().year, active=False)
        db.session.add(sitting)
        db.session.flush()
    return sitting


def _synthetic_members(rng, count: int) -> list[int]:
    """`count` synthetic 委员 with two- and three-character names (namesakes among them, as in life)."""
    rows = [dict(body="cppcc", kind="person", name=rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))), affiliation="合成数据界") for _ in range(count)]
    return list(db.session.scalars(insert(Member).returning(Member.id), rows))


#: answer classes and ratings in roughly the shares offices report
CLASSES, RESULT_RATINGS = ("A", "A", "A", "B", "B", "C"), ("satisfied",) * 8 + ("basically_satisfied",) * 3 + (
    "dissatisfied",)
NO_OUTCOME = dict(answered_on=None, answered_on_time=None, contacted_before_answer=None, answer_class=None,
                  handling_rating=None, result_rating=None, follow_up=None, follow_up_since=None,
                  follow_up_last_on=None)


def _outcome(rng, state, assigned_on, due_on, today) -> dict:
    """What the statistics count of an answered assignment (the columns services/replies.record_answer keeps)."""
    if state not in ("delivered", "closed"):
        return NO_OUTCOME
    answered_on = min(today, assigned_on + timedelta(days=rng.randint(20, 110)))
    rated = state == "closed" or rng.random() < 0.5
    rating = rng.choice(RESULT_RATINGS) if rated else None
    answer_class = rng.choice(CLASSES)
    # 跟踪落实 of a B / C answer: most still open, their last progress anywhere since the answer
    follow_up = None if answer_class == "A" else ("open" if rng.random() < 0.7 else "done")
    last_on = answered_on + timedelta(days=rng.randint(0, (today - answered_on).days)) if follow_up else None
    return dict(answered_on=answered_on, answered_on_time=answered_on <= due_on,
                contacted_before_answer=rng.random() < 0.8, answer_class=answer_class,
                handling_rating=("satisfied" if rating else None), result_rating=rating, follow_up=follow_up,
                follow_up_since=answered_on if follow_up else None, follow_up_last_on=last_on)


#: the 公开属性 of the synthetic replies, in roughly the shares offices publish
DISCLOSURE_SHARES = ("public",) * 6 + ("on_request",) * 2 + ("not_public",) * 2


def _reply(rng, sitting, assignment_id, assignment, number_and_title) -> dict:
    """The delivered reply of a synthetic answered assignment: the public page and its search read these."""
    number, title = number_and_title
    day = assignment["answered_on"]
    moment = datetime.combine(day, time(10))
    return dict(assignment_id=assignment_id, round=1, answer_class=assignment["answer_class"],
                disclosure=rng.choice(DISCLOSURE_SHARES), doc_number=f"合成〔{day.year}〕{number}号",
                title=f"关于对{sitting.name}委员提案第{number}号的答复", salutation="委员：",
                body=(f"你提出的《{title}》收悉，现答复如下：\n一、基本情况\n我们高度重视，"
                      f"结合职责推进{title[2:-3]}相关工作，取得阶段性成效。\n二、下一步工作\n"
                      "我们将认真研究吸纳提案中的意见建议，持续完善政策措施。\n感谢对我们工作的关心和支持。"),
                signer_name="合成", handler_name="合成", phone="0519-00000000", issuing_organ="合成数据单位",
                issue_date=day, signed_at=moment, delivered_at=moment)


def add_synthetic(n: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    today = clock.today()
    members = _synthetic_members(rng, max(50, n // CASES_PER_MEMBER)) + db.session.scalars(
        select(Member.id).where(Member.body == "cppcc", Member.kind == "person")).all()
    departments = db.session.scalars(select(Department.id)).all()
    categories = db.session.scalars(select(Category.id)).all()
    added = 0
    while added < n:
        sitting_index = 1
        while True:
            sitting = _benchmark_sitting(sitting_index)
            used = db.session.scalar(select(func.max(Submission.number_seq)).where(
                Submission.sitting_id == sitting.id)) or 0
            if used < 9999:
                break
            sitting_index += 1
        count = min(n - added, BATCH, 9999 - used)
        rows = []
        for i in range(count):
            title, _, _ = rng.choice(PROPOSAL_TOPICS)
            number = numbering.from_value(sitting, used + i + 1)
            rows.append(dict(
                sitting_id=sitting.id, kind="proposal", number=number.text, number_seq=number.seq,
                number_sort=number.sort, title=title,
                content="合成数据：" + title, category_id=rng.choice(categories),
                submitted_on=today - timedelta(days=rng.randint(0, 300)), is_key=rng.random() < 0.1,
                disclosure_wish="public", state=rng.choice(STATES)))
        ids = db.session.scalars(insert(Submission).returning(Submission.id, sort_by_parameter_order=True),
                                 rows).all()
        db.session.execute(insert(SubmissionProposer), [
            dict(submission_id=sid, member_id=rng.choice(members), position=0) for sid in ids])
        db.session.execute(insert(Event), [
            dict(submission_id=sid, action="register", to_state="registered", at=clock.now_utc()) for sid in ids])
        assignments = []
        numbers = {sid: (row["number"], row["title"]) for sid, row in zip(ids, rows)}
        for sid, row in zip(ids, rows):
            if row["state"] in ("assigned", "answered", "closed"):
                assigned_on = row["submitted_on"] + timedelta(days=10)
                state = {"assigned": rng.choice(["pending_ack", "drafting", "awaiting_signoff"]),
                         "answered": "delivered", "closed": "closed"}[row["state"]]
                due_on = deadlines.add_months(assigned_on, 3)
                row = dict(submission_id=sid, department_id=rng.choice(departments), role="lead", body=sitting.body,
                           state=state, assigned_on=assigned_on, due_on=due_on, round=1, **_outcome(rng, state, assigned_on,
                                                                                                  due_on, today))
                assignments.append(row)
        if assignments:
            assignment_ids = db.session.scalars(insert(Assignment).returning(Assignment.id, sort_by_parameter_order=True),
                                                assignments).all()
            next_due.refresh(db.session, {a["submission_id"] for a in assignments})   # bulk inserts pass no flush
            replies = [_reply(rng, sitting, aid, a, numbers[a["submission_id"]])
                       for aid, a in zip(assignment_ids, assignments) if a["answered_on"] is not None]
            if replies:
                db.session.execute(insert(Reply), replies)
        search_terms.refresh(db.session, ids)   # bulk inserts pass no flush; the replies' words are indexed too
        db.session.flush()
        added += count
    return added
