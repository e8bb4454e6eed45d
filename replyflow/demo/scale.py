"""`flask demo --scale N`: many synthetic submissions, inserted in bulk, for benchmarks."""
import random
from datetime import timedelta

from sqlalchemy import func, insert, select

from .. import clock
from ..extensions import db
from ..models import Assignment, Category, Department, Event, Member, Sitting, Submission, SubmissionProposer, next_due
from ..services import numbering
from ..workflow import deadlines
from .catalog import PROPOSAL_TOPICS

BATCH = 2000
STATES = ["registered", "accepted", "assigned", "assigned", "assigned", "answered", "closed"]


def _benchmark_sitting(index: int) -> Sitting:
    name = f"基准测试会议（第{index}批）"
    sitting = db.session.scalar(select(Sitting).where(Sitting.name == name))
    if sitting is None:
        sitting = Sitting(body="cppcc", name=name, year=clock.today().year, active=False)
        db.session.add(sitting)
        db.session.flush()
    return sitting


def add_synthetic(n: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    today = clock.today()
    members = db.session.scalars(select(Member.id).where(Member.body == "cppcc", Member.kind == "person")).all()
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
        for sid, row in zip(ids, rows):
            if row["state"] in ("assigned", "answered", "closed"):
                assigned_on = row["submitted_on"] + timedelta(days=10)
                state = {"assigned": rng.choice(["pending_ack", "drafting", "awaiting_signoff"]),
                         "answered": "delivered", "closed": "closed"}[row["state"]]
                assignments.append(dict(
                    submission_id=sid, department_id=rng.choice(departments), role="lead", state=state,
                    assigned_on=assigned_on, due_on=deadlines.add_months(assigned_on, 3), round=1))
        if assignments:
            db.session.execute(insert(Assignment), assignments)
            next_due.refresh(db.session, {a["submission_id"] for a in assignments})   # bulk inserts pass no flush
        db.session.flush()
        added += count
    return added
