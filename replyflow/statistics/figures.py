"""The figures of 统计分析 and of the 办理工作情况报告, each one GROUP BY in the database.

A scope is one body and one sitting of it, or all its sittings. The answering work (主办 and 分办; 会办 is
counted apart) is read from the assignment's own columns that the services keep at each answer and rating
(answered_on, answered_on_time, contacted_before_answer, answer_class, result_rating), so no figure walks
replies or feedback row by row.

Definitions, as the page states them:
- 按时办复率 = answered by the due date ÷ (answered + past due unanswered): an overdue case counts against it;
- 满意率 (基本满意率, 不满意率) = the proposers' latest 办理结果 ratings ÷ ratings given;
- 见面率 = answers preceded by a logged contact ÷ answers;
- A/B/C(/D) shares = the latest answer's class ÷ answers.
"""
import dataclasses
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, func, literal, select

from .. import planner
from ..clock import now_utc
from ..extensions import db
from ..models import AnswerClass, Assignment, Category, Department, Member, Sitting, Submission, SubmissionProposer
from ..vocab import ANSWERING_ROLES, BODIES, DEFAULT_ANSWER_CLASSES, KIND_LABEL_OF_BODY, RATINGS
from ..workflow.states import OPEN, SUBMISSION_STATES

#: the states of a case that count as answered (已答复、已办结)
ANSWERED_STATES = ("answered", "closed")
#: the states of a case accepted for handling (立案)
ACCEPTED_STATES = ("accepted", "assigned", "answered", "closed")


@dataclass(frozen=True)
class Scope:
    body: str
    sitting: Sitting | None = None

    def sitting_ids(self):
        if self.sitting is not None:
            return [self.sitting.id]
        return select(Sitting.id).where(Sitting.body == self.body).scalar_subquery()

    @property
    def label(self) -> str:
        return self.sitting.name if self.sitting else f"全部{BODIES[self.body]}会议"

    @property
    def kind_label(self) -> str:
        """提案 / 建议"""
        return KIND_LABEL_OF_BODY[self.body]


def rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def percent(part: int, whole: int) -> str:
    value = rate(part, whole)
    return "—" if value is None else f"{value:g}%"


def classes_of(body: str) -> list[str]:
    """The body's answer classes as its admins keep them (A, B, C; 人大 also D), in their order."""
    codes = db.session.scalars(select(AnswerClass.code).where(AnswerClass.body == body)
                               .order_by(AnswerClass.position)).all()
    return list(codes) or [code for code, _ in DEFAULT_ANSWER_CLASSES[body]]


@dataclass
class Counts:
    """One department's (or the total's) answering work."""

    name: str
    assigned: int = 0
    co: int = 0
    answered: int = 0
    on_time: int = 0
    due: int = 0
    overdue: int = 0
    oldest_due: date | None = None
    contacted: int = 0
    classes: dict = field(default_factory=dict)
    ratings: dict = field(default_factory=dict)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def on_time_rate(self):
        return rate(self.on_time, self.due)

    @property
    def contact_rate(self):
        return rate(self.contacted, self.answered)

    def class_rate(self, code):
        return rate(self.classes.get(code, 0), self.answered)

    def rating_rate(self, code):
        return rate(self.ratings.get(code, 0), self.rated)


def _due(today: date):
    """What 按时办复率 divides by: the answers whose timeliness is known, and the unanswered past their due date.
    (An answer from before the figures were kept, after a 重新办理, has none: its first due date is not known.)"""
    return Assignment.answered_on_time.is_not(None) | (Assignment.answered_on.is_(None) & (Assignment.due_on < today))


def _work(scope: Scope, *columns):
    """SELECT columns FROM the scope's assignments that count (not those replaced after 申请调整). All of a
    body's sittings need no join: the assignment carries its body."""
    query = select(*columns).select_from(Assignment).where(Assignment.body == scope.body,
                                                           Assignment.state != "reassigned")
    if scope.sitting is not None:
        query = query.join(Submission, Submission.id == Assignment.submission_id).where(
            Submission.sitting_id == scope.sitting.id)
    return query


def by_state(scope: Scope) -> list[tuple[str, str, int]]:
    """(code, label, count) of the scope's cases in every state, in the workflow's order."""
    found = dict(db.session.execute(select(Submission.state, func.count()).where(
        Submission.sitting_id.in_(scope.sitting_ids())).group_by(Submission.state)).all())
    return [(code, label, found.get(code, 0)) for code, label in SUBMISSION_STATES.items()]


def _work_columns(classes: list[str], today: date) -> list:
    """The aggregates of a Counts, in the order _counts reads them, over whatever groups the query makes."""
    answering = Assignment.role.in_(ANSWERING_ROLES)
    # a 二次答复 in hand is 跟踪落实, not a late answer: the first answer was counted when it came
    late = and_(answering, Assignment.state.in_(OPEN), Assignment.due_on < today,
                Assignment.follow_up.is_distinct_from("answering"))
    return [
        func.count().filter(answering), func.count().filter(Assignment.role == "co"),
        func.count().filter(answering, Assignment.answered_on.is_not(None)),
        func.count().filter(answering, Assignment.answered_on_time.is_(True)),
        func.count().filter(answering, _due(today)),
        func.count().filter(late), func.min(case((late, Assignment.due_on))),
        func.count().filter(answering, Assignment.contacted_before_answer.is_(True)),
        *[func.count().filter(answering, Assignment.answer_class == code) for code in classes],
        *[func.count().filter(answering, Assignment.result_rating == code) for code in RATINGS],
    ]


def by_department(scope: Scope, today: date) -> tuple[list[Counts], Counts]:
    """Every department's answering work in the scope, most assigned first, and the total."""
    classes = classes_of(scope.body)
    rows = db.session.execute(
        _work(scope, Department.name, *_work_columns(classes, today))
        .join(Department, Department.id == Assignment.department_id)
        .group_by(Department.id, Department.name)).all()
    result = [_counts(row[0], row[1:], classes) for row in rows]
    result.sort(key=lambda c: (-c.assigned, c.name))
    total = Counts("合计")
    for c in result:
        for name in ("assigned", "co", "answered", "on_time", "due", "overdue", "contacted"):
            setattr(total, name, getattr(total, name) + getattr(c, name))
        total.oldest_due = min(filter(None, (total.oldest_due, c.oldest_due)), default=None)
        for code, n in c.classes.items():
            total.classes[code] = total.classes.get(code, 0) + n
        for code, n in c.ratings.items():
            total.ratings[code] = total.ratings.get(code, 0) + n
    return result, total


def _counts(name, values, classes) -> Counts:
    assigned, co, answered, on_time, due, overdue, oldest, contacted, *rest = values
    return Counts(name, assigned, co, answered, on_time, due, overdue, oldest, contacted,
                  dict(zip(classes, rest[:len(classes)], strict=True)),
                  dict(zip(RATINGS, rest[len(classes):], strict=True)))


def late_now(departments: list[Counts], today: date) -> list[tuple[Counts, int]]:
    """The departments with answers past due today, most first, with the longest wait in days (for the 通报)."""
    late = [(c, (today - c.oldest_due).days) for c in departments if c.overdue]
    return sorted(late, key=lambda item: (-item[0].overdue, -item[1], item[0].name))


def by_category(scope: Scope) -> list[tuple[str, int, int]]:
    """(category, cases, answered) of the scope's cases accepted for handling (立案)."""
    rows = db.session.execute(
        select(func.coalesce(Category.name, "未分类"), func.count(),
               func.count().filter(Submission.state.in_(ANSWERED_STATES)))
        .select_from(Submission).outerjoin(Category, Category.id == Submission.category_id)
        .where(Submission.sitting_id.in_(scope.sitting_ids()), Submission.state.in_(ACCEPTED_STATES))
        .group_by(Category.name, Category.position).order_by(Category.position)).all()
    return [tuple(r) for r in rows]


def by_affiliation(scope: Scope) -> list[tuple[str, int]]:
    """(界别 / 代表团 of the lead, cases) — collective proposals together — most first."""
    group = case((Member.kind == "group", literal("集体提出")), else_=func.coalesce(Member.affiliation, "未注明"))
    rows = db.session.execute(
        select(group, func.count()).select_from(Submission)
        .join(SubmissionProposer, and_(SubmissionProposer.submission_id == Submission.id,
                                       SubmissionProposer.position == 0))
        .join(Member, Member.id == SubmissionProposer.member_id)
        .where(Submission.sitting_id.in_(scope.sitting_ids()))
        .group_by(group).order_by(func.count().desc(), group)).all()
    return [tuple(r) for r in rows]


@dataclass
class SittingRow:
    name: str
    year: int
    cases: int
    answered: int
    work: Counts


def by_sitting(body: str, today: date) -> list[SittingRow]:
    """Across sittings: each sitting of the body with its cases, answered cases and answering work."""
    sittings = db.session.execute(
        select(Sitting.id, Sitting.name, Sitting.year, func.count(), func.count().filter(
            Submission.state.in_(ANSWERED_STATES)))
        .join(Submission, Submission.sitting_id == Sitting.id).where(Sitting.body == body)
        .group_by(Sitting.id, Sitting.name, Sitting.year).order_by(Sitting.year.desc(), Sitting.name)).all()
    classes = classes_of(body)
    work = {row[0]: row[1:] for row in db.session.execute(
        _work(Scope(body), Submission.sitting_id, *_work_columns(classes, today))
        .join(Submission, Submission.id == Assignment.submission_id).group_by(Submission.sitting_id))}
    return [SittingRow(name, year, cases, answered,
                       _counts(name, work[sid], classes) if sid in work else Counts(name))
            for sid, name, year, cases, answered in sittings]


def per_week(scope: Scope, weeks: int, today: date) -> list[tuple[date, int, int]]:
    """(Monday, answers delivered, answers due) of each of the last `weeks` weeks and the next four.

    Grouped by day in the database (a few hundred rows at most) and summed into weeks here: the two databases
    write "the week of a date" differently."""
    start = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    end = start + timedelta(days=7 * (weeks + 4))
    answering = Assignment.role.in_(ANSWERING_ROLES)
    # one sitting's few are found from its cases; all sittings' by the dates' own indexes
    answered_on, due_on = ((planner.unindexed(Assignment.answered_on), planner.unindexed(Assignment.due_on))
                           if scope.sitting is not None else (Assignment.answered_on, Assignment.due_on))
    answered = db.session.execute(
        _work(scope, Assignment.answered_on, func.count())
        .where(answering, answered_on >= start, answered_on < end)
        .group_by(Assignment.answered_on)).all()
    due = db.session.execute(
        _work(scope, Assignment.due_on, func.count())
        .where(answering, due_on >= start, due_on < end)
        .group_by(Assignment.due_on)).all()
    mondays = [start + timedelta(days=7 * i) for i in range(weeks + 4)]
    totals = {m: [0, 0] for m in mondays}
    for index, rows in ((0, answered), (1, due)):
        for day, n in rows:
            totals[day - timedelta(days=day.weekday())][index] += n
    return [(m, *totals[m]) for m in mondays]


def key_count(scope: Scope) -> int:
    return db.session.scalar(select(func.count()).select_from(Submission).where(
        Submission.sitting_id.in_(scope.sitting_ids()), Submission.is_key.is_(True)))


def key_cases(scope: Scope, limit: int = 200) -> list[Submission]:
    """The scope's 重点 cases, in number order (the report lists each)."""
    from sqlalchemy.orm import selectinload

    from ..services import numbering

    return db.session.scalars(
        select(Submission).where(Submission.sitting_id.in_(scope.sitting_ids()), Submission.is_key.is_(True))
        .options(selectinload(Submission.proposers), selectinload(Submission.assignments),
                 selectinload(Submission.supervision_records))
        .order_by(Submission.sitting_id.desc(), *numbering.natural_order()).limit(limit)).all()


@dataclass
class Figures:
    """Everything the statistics page, its workbook and the report show, read once for all three."""

    scope: Scope
    today: date
    states: list
    departments: list[Counts]
    total: Counts
    late: list
    categories: list
    affiliations: list
    weeks: list
    sittings: list
    key: list
    #: all the scope's 重点 cases (key lists at most key_cases' limit)
    key_total: int
    #: when the figures were counted (UTC)
    counted_at: datetime

    @property
    def cases(self) -> int:
        return sum(n for _, _, n in self.states)

    def state_count(self, *codes) -> int:
        return sum(n for code, _, n in self.states if code in codes)

    @property
    def classes(self) -> list[str]:
        return classes_of(self.scope.body)


#: figures across all of a body's sittings, by (body, day): (when computed, the figures but the 重点 cases)
_ACROSS: dict = {}


def collect(scope: Scope, today: date, weeks: int = 12) -> Figures:
    """The figures of the scope. Across all sittings (ten years of a province: a second of GROUP BYs) they are
    kept for STATISTICS_CACHE_SECONDS in each worker, and the page says when they were counted; one sitting's
    are counted afresh every time. The 重点 cases are always read afresh."""
    ttl = current_app.config["STATISTICS_CACHE_SECONDS"] if scope.sitting is None else 0
    key = (scope.body, scope.sitting.id if scope.sitting else None, today)
    kept = _ACROSS.get(key)
    if kept is not None and time.monotonic() - kept[0] < ttl:
        figures = kept[1]
    else:
        departments, total = by_department(scope, today)
        figures = Figures(scope, today, by_state(scope), departments, total, late_now(departments, today),
                          by_category(scope), by_affiliation(scope), per_week(scope, weeks, today),
                          by_sitting(scope.body, today) if scope.sitting is None else [], [], key_count(scope),
                          now_utc())
        if ttl:
            _ACROSS.clear()   # one entry a body is all a worker keeps
            _ACROSS[key] = (time.monotonic(), figures)
    return dataclasses.replace(figures, scope=scope, key=key_cases(scope))
