"""Registering the rows of a workbook in one transaction, or none of them.

Every row is checked first, with the rules the registration form applies (numbering, dates, proposers), and each
problem is reported with its row and column. Only when no row has one are the cases registered; the caller
commits, or rolls back for a preview or a dry run. Like a service, this flushes and never commits.

Members, categories and the sittings' numbers are read once for the file, not once a row: 1,000 rows are a few
dozen statements before the inserts.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update

from .. import clock
from ..clock import today
from ..extensions import db
from ..models import Category, Member, Sitting, Submission
from ..services import ServiceError, numbering
from ..services import submissions as registration
from ..services.members import narrow, parse_token, split_names
from ..vocab import (
    BODIES,
    BODY_OF_KIND,
    KIND_LABEL_OF_BODY,
    MEMBER_TITLE_OF_BODY,
    SUBMISSION_KIND_OF_BODY,
    SUBMISSION_KINDS,
)
from ..workflow import engine
from .reader import Row

#: 类别 as a cell writes it
KINDS = {label: kind for kind, label in SUBMISSION_KINDS.items()}
METHODS = ("个人", "联名", "集体")
PERIODS = {"大会": "session", "大会期间": "session", "闭会": "recess", "闭会期间": "recess"}
YES = {"是", "重点", "y", "yes", "1", "true", "√", "✓"}
NO = {"否", "n", "no", "0", "false"}
WISHES = {"同意公开": "public", "公开": "public", "不同意公开": "not_public", "不公开": "not_public"}
#: "王伟等5名代表", "等12人": the published count of proposers when not all are named
COUNT = re.compile(r"等\s*(\d{1,4})\s*(?:名|位|人)?(?:代表|委员)?$")
#: a collective proposer's kind, guessed from its name when an import creates it
GROUP_KINDS = [
    (re.compile(r"民革|民盟|民建|民进|农工|致公|九三|台盟"), "party"),
    (re.compile(r"代表团$"), "delegation"),
    (re.compile(r"委员会$|专委会$"), "committee"),
    (re.compile(r"界$|界别"), "sector"),
    (re.compile(r"小组$|组$"), "team"),
    (re.compile(r"工会|共青团|妇联|妇女联合会|工商联|科协|侨联|台联|青联|文联|社科联"), "organisation"),
]
MAX_CONTENT = 20000


@dataclass
class Problem:
    line: int
    column: str
    message: str


@dataclass
class RowResult:
    line: int
    sitting: str = ""
    number: str = ""
    title: str = ""
    proposers: str = ""
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Report:
    rows: list[RowResult]
    created_sittings: list[str] = field(default_factory=list)
    created_members: list[str] = field(default_factory=list)
    imported: list[Submission] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [p for row in self.rows for p in row.problems]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def incomplete(self) -> int:
        return sum("信息不全" in r.notes for r in self.rows)


def _bare(name: str) -> str:
    return "".join((name or "").split())


def _group_kind(name: str) -> str:
    return next((kind for pattern, kind in GROUP_KINDS if pattern.search(name)), "other")


def _sitting_year(name: str, fallback: int) -> int:
    found = re.search(r"(19|20)\d{2}", name)
    return int(found.group()) if found else fallback


def parse_date(value) -> date:
    """A cell as a date: an Excel date, an Excel serial number, or text as clock.parse_date reads it; ValueError if none."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 < value < 80000:   # a date cell formatted as a number: days since 1899-12-30
            return date(1899, 12, 30) + timedelta(days=int(value))
        value = str(int(value)) if float(value).is_integer() else str(value)
    parsed = clock.parse_date(str(value))
    if parsed is None:
        raise ValueError(value)
    return parsed


class Importer:
    """One file's import: what is known of the database, read once, and the file's own numbers so far."""

    def __init__(self, user, *, sitting: Sitting | None, create_missing: bool, source: str, from_shell=False):
        self.user, self.default_sitting, self.create_missing = user, sitting, create_missing
        self.source, self.from_shell = source, from_shell
        self.body = None if from_shell or user is None else user.body
        #: by name without its spaces, as a cell may write it with or without
        self.sittings = {_bare(s.name): s for s in db.session.scalars(select(Sitting))}
        self.categories = {c.name: c for c in db.session.scalars(select(Category).where(Category.active.is_(True)))}
        self.members: dict[tuple[str, str], list[Member]] = {}
        self.loaded_bodies: set[str] = set()
        self.new_sittings: dict[str, Sitting] = {}
        self.new_members: list[Member] = []
        self.following: dict[int, Sitting | None] = {}
        #: per sitting: number text / value → the row that holds it in this file
        self.in_file: dict[int, dict] = {}
        self.locked: dict[int, int] = {}

    # -- one row -------------------------------------------------------------------------

    def _sitting(self, row: Row, result: RowResult, kind: str | None):
        name = _bare(row.text("会议"))
        if not name:
            if self.default_sitting is None:
                result.problems.append(Problem(row.line, "会议", "未填写会议，也未选择整个文件导入到哪次会议。"))
            return self.default_sitting
        sitting = self.sittings.get(name) or self.new_sittings.get(name)
        if sitting is not None:
            return sitting
        if not self.create_missing:
            result.problems.append(Problem(row.line, "会议", f"找不到会议「{name}」：请核对名称，或勾选“新建缺少的会议、"
                                                           "委员/代表和团体”。"))
            return None
        if kind is None:
            result.problems.append(Problem(row.line, "类别", f"新建会议「{name}」须在“类别”中写明提案或建议。"))
            return None
        if len(name) > 120:
            result.problems.append(Problem(row.line, "会议", "会议名称不能超过 120 字。"))
            return None
        try:
            submitted = parse_date(row.cells["提交日期"]) if "提交日期" in row.cells else None
        except (ValueError, OverflowError):
            submitted = None
        year = submitted.year if submitted else today().year
        sitting = Sitting(name=name, body=BODY_OF_KIND[kind], year=_sitting_year(name, year), incomplete=True,
                          active=True, number_style="digits", number_width=4, auto_numbering="register")
        self.new_sittings[name] = sitting
        return sitting

    def _load_members(self, body: str):
        if body in self.loaded_bodies:
            return
        self.loaded_bodies.add(body)
        for member in db.session.scalars(select(Member).where(Member.body == body).order_by(Member.id)):
            self.members.setdefault((body, member.name), []).append(member)

    def _member(self, body, token, column, row, result, group: bool | None):
        """The member a name picks out; a new one when it is unknown and the clerk asked for that."""
        name, hint = parse_token(token)
        known = self.members.get((body, name), [])
        found = narrow(known, hint)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = "、".join(m.qualified_name for m in found)
            result.problems.append(Problem(row.line, column, f"「{name}」有{len(found)}位同名：{names}。请写作"
                                                             f"“{name}（界别、代表团或单位）”指明是哪一位。"))
            return None
        if known:   # namesakes exist, none fits what is in brackets: a typo is likelier than one more namesake
            names = "、".join(m.qualified_name for m in known)
            result.problems.append(Problem(row.line, column, f"「{token}」与已有的{len(known)}位同名者都不符（{names}），"
                                                             "请核对括号中的界别、代表团或单位。"))
            return None
        if not self.create_missing:
            result.problems.append(Problem(row.line, column, f"「{token}」不在委员/代表名单中：请核对姓名，或勾选"
                                                             "“新建缺少的会议、委员/代表和团体”。"))
            return None
        if len(name) > 60 or len(hint) > 80:
            result.problems.append(Problem(row.line, column, f"「{token[:20]}…」太长，不像是姓名或单位名称。"))
            return None
        member = Member(body=body, name=name, kind="group" if group else "person",
                        group_kind=_group_kind(name) if group else None, affiliation=hint or None)
        db.session.add(member)
        db.session.flush()   # an id now: the proposers' checks tell people apart by it
        self.members.setdefault((body, name), []).append(member)
        self.new_members.append(member)
        return member

    def check(self, row: Row) -> tuple[RowResult, registration.SubmissionData | None]:
        result = RowResult(row.line, title=row.text("标题"))
        problems = result.problems

        def problem(column, message):
            problems.append(Problem(row.line, column, message))

        kind_text = row.text("类别")
        kind = KINDS.get(kind_text)
        if kind_text and kind is None:
            problem("类别", f"类别「{kind_text}」只能是 提案 或 建议。")
        sitting = self._sitting(row, result, kind)
        if sitting is not None:
            result.sitting = sitting.name
            if self.body and sitting.body != self.body:
                problem("会议", f"您负责{BODIES[self.body]}的{MEMBER_TITLE_OF_BODY[self.body]}工作，"
                                f"不能导入{sitting.name}的件。")
                sitting = None
        if sitting is not None and kind and kind != SUBMISSION_KIND_OF_BODY[sitting.body]:
            problem("类别", f"{sitting.name}只受理{KIND_LABEL_OF_BODY[sitting.body]}，此行类别为{kind_text}。")
        title = row.text("标题")
        if not title:
            problem("标题", "缺少标题。")
        elif len(title) > 200:
            problem("标题", f"标题有 {len(title)} 字，超过 200 字。")
        content = row.text("正文")
        if len(content) > MAX_CONTENT:
            problem("正文", f"正文有 {len(content):,} 字，超过 {MAX_CONTENT:,} 字。")

        number = None
        typed = row.text("编号")
        if typed and sitting is not None:
            try:
                number = numbering.parse(sitting, typed)
            except ServiceError as error:
                problem("编号", f"编号「{typed}」：{error.message}")
            else:
                result.number = f"第{number.text}号"
                self._claim_in_file(sitting, number, row, problem)

        period_text = row.text("大会/闭会")
        period = PERIODS.get(period_text, None if period_text else "session")
        if period is None:
            problem("大会/闭会", f"「{period_text}」只能是 大会期间 或 闭会期间。")
        submitted_on = None
        if "提交日期" in row.cells:
            try:
                submitted_on = parse_date(row.cells["提交日期"])
            except (ValueError, OverflowError):
                problem("提交日期", f"「{row.text('提交日期')}」不是日期，请写作 2025-01-15 或 2025年1月15日。")
        category = None
        if name := row.text("分类"):
            category = self.categories.get(name)
            if category is None:
                problem("分类", f"没有分类「{name}」，可用的有：{'、'.join(self.categories)}。")
        key_text = row.text("重点").lower()
        if key_text and key_text not in YES | NO:
            problem("重点", f"「{row.text('重点')}」只能是 是 或 否。")
        wish_text = row.text("公开意愿")
        wish = WISHES.get(wish_text, None if wish_text else "public")
        if wish is None:
            problem("公开意愿", f"「{wish_text}」只能是 同意公开 或 不同意公开。")
        suggested = "、".join(split_names(row.text("建议承办单位")))
        if len(suggested) > 300:
            problem("建议承办单位", "建议承办单位超过 300 字。")

        people = self._proposers(sitting, row, result) if sitting is not None else None
        if problems or people is None:
            return result, None
        lead, cosigners, count = people
        data = registration.SubmissionData(
            sitting=sitting, kind=SUBMISSION_KIND_OF_BODY[sitting.body], number=number.text if number else None,
            title=title, content=content, category=category, submitted_on=submitted_on, is_key=key_text in YES,
            disclosure_wish=wish, lead=lead, cosigners=cosigners, period=period, proposer_count=count,
            suggested_departments=suggested or None)
        try:
            if submitted_on is not None:
                registration.check_dates(sitting, submitted_on, period, self._following(sitting))
        except ServiceError as error:
            problem("提交日期", error.message)
        try:
            registration.check_proposers(sitting, data)
        except ServiceError as error:
            problem("联名人" if cosigners or count else "领衔人", error.message)
        if problems:
            return result, None
        if not content or submitted_on is None:
            result.notes.append("信息不全")
        return result, data

    def _proposers(self, sitting, row, result):
        body = sitting.body
        self._load_members(body)
        lead_text, cosigner_text = row.text("领衔人"), row.text("联名人")
        count = None
        for column in ("领衔人", "联名人"):
            value = lead_text if column == "领衔人" else cosigner_text
            if match := COUNT.search(value):
                count = int(match.group(1))
                value = value[:match.start()].strip()
                lead_text, cosigner_text = (value, cosigner_text) if column == "领衔人" else (lead_text, value)
        method = row.text("提出方式")
        if method and method not in METHODS:
            result.problems.append(Problem(row.line, "提出方式", f"「{method}」只能是 个人、联名 或 集体。"))
            return None
        if not lead_text:
            result.problems.append(Problem(row.line, "领衔人", "缺少领衔人（或集体提出者）。"))
            return None
        tokens = split_names(cosigner_text)
        if method == "个人" and (tokens or count):
            result.problems.append(Problem(row.line, "提出方式", "提出方式为个人，但填写了联名人。"))
            return None
        if method == "联名" and not tokens and not count:
            result.problems.append(Problem(row.line, "联名人", "提出方式为联名，但没有填写联名人。"))
            return None
        if len(set(tokens)) != len(tokens):
            result.problems.append(Problem(row.line, "联名人", "联名人中有重复的姓名。"))
            return None
        lead = self._member(body, lead_text, "领衔人", row, result, group=method == "集体")
        cosigners = [self._member(body, t, "联名人", row, result, group=False) for t in tokens]
        if lead is None or None in cosigners:
            return None
        if method == "集体" and not lead.is_group:
            result.problems.append(Problem(row.line, "提出方式", f"提出方式为集体，但「{lead.name}」是"
                                                               f"{MEMBER_TITLE_OF_BODY[body]}个人。"))
            return None
        if method == "联名" and lead.is_group:
            result.problems.append(Problem(row.line, "提出方式", f"「{lead.name}」是集体提出者，提出方式应为集体。"))
            return None
        total = max(count or 0, 1 + len(cosigners))
        title = "" if lead.is_group else MEMBER_TITLE_OF_BODY[body]
        result.proposers = f"{lead.name}等{total}名{title}" if total > 1 else f"{lead.name}{title}"
        if any(m in self.new_members for m in [lead, *cosigners]):
            result.notes.append("新建提出人：" + "、".join(m.name for m in [lead, *cosigners] if m in self.new_members))
        return lead, cosigners, count

    def _following(self, sitting):
        if sitting.id is None:
            return None
        if sitting.id not in self.following:
            self.following[sitting.id] = registration.next_sitting(sitting)
        return self.following[sitting.id]

    def _claim_in_file(self, sitting, number, row, problem):
        taken = self.in_file.setdefault(id(sitting), {})
        keys = [("text", number.text)] + ([("seq", number.seq)] if sitting.number_style == "digits" else [])
        earlier = next((taken[k] for k in keys if k in taken), None)
        if earlier is not None:
            problem("编号", f"编号 第{number.text}号 与第{earlier}行重复。")
            return
        for k in keys:
            taken[k] = row.line

    # -- the whole file ----------------------------------------------------------------

    def _clashes(self, sitting, results_by_line) -> None:
        """Numbers of the file that cases of the sitting already hold: read in a few statements."""
        taken = self.in_file.get(id(sitting), {})
        texts = [v for k, v in taken if k == "text"]
        seqs = [v for k, v in taken if k == "seq" and v is not None]
        for start in range(0, max(len(texts), len(seqs)), 500):
            same = [Submission.number.in_(texts[start:start + 500])]
            if seqs[start:start + 500]:
                same.append(Submission.number_seq.in_(seqs[start:start + 500]))
            for number, seq, title in db.session.execute(
                    select(Submission.number, Submission.number_seq, Submission.title)
                    .where(Submission.sitting_id == sitting.id, or_(*same))):
                line = taken.get(("text", number)) or (sitting.number_style == "digits" and taken.get(("seq", seq)))
                if line:
                    results_by_line[line].problems.append(Problem(
                        line, "编号", f"{sitting.name}已有第{number}号《{title}》，编号不能重复。"))

    def run(self, rows: list[Row], register: bool = True) -> Report:
        """Check every row; when none has a problem and `register`, register them all. Without `register` (the
        preview, a dry run) nothing is locked or inserted: the numbers shown are the ones the import would give
        if no one registers in between."""
        checked = [self.check(row) for row in rows]
        report = Report([result for result, _ in checked], list(self.new_sittings), [m.name for m in self.new_members])
        by_line = {r.line: r for r in report.rows}
        claimed = {id(s): s for s in [*self.sittings.values(), *self.new_sittings.values()]}
        for key in self.in_file:
            sitting = claimed[key]
            if sitting.id is not None:
                self._clashes(sitting, by_line)
        if not report.ok:
            return report
        datas = [data for _, data in checked]
        if register:
            # the sittings' rows first: numbers are checked again and given one registration at a time
            for sitting in {d.sitting for d in datas if d.sitting.id is not None}:
                self.locked[sitting.id] = numbering.lock_sitting(sitting)
                self._clashes(sitting, by_line)
            if not report.ok:
                return report
        numbers = self._numbers(datas, report)
        if register:
            for sitting in self.new_sittings.values():
                db.session.add(sitting)
            db.session.flush()
            self._register(datas, numbers, report)
        return report

    def _numbers(self, rows: list[registration.SubmissionData], report: Report) -> list:
        """Each row's number: as typed, or the next of its sitting after the highest in the sitting and the file."""
        counters = {}
        for sitting in {d.sitting for d in rows}:
            highest = db.session.scalar(select(db.func.max(Submission.number_seq)).where(
                Submission.sitting_id == sitting.id)) or 0 if sitting.id is not None else 0
            in_file = max((v for k, v in self.in_file.get(id(sitting), {}) if k == "seq" and v), default=0)
            counters[sitting] = max(self.locked.get(sitting.id, sitting.last_number or 0), highest, in_file)
        numbers = []
        for data, result in zip(rows, report.rows, strict=True):
            number = numbering.parse(data.sitting, data.number) if data.number else None
            if number is None and data.sitting.auto_numbering == "register" and data.sitting.number_style == "digits":
                counters[data.sitting] += 1
                number = numbering.from_value(data.sitting, counters[data.sitting])
                result.number = f"第{number.text}号（自动）"
            numbers.append(number)
        self.counters = counters
        return numbers

    def _register(self, rows: list[registration.SubmissionData], numbers: list, report: Report):
        actor = self.user
        for data, number, result in zip(rows, numbers, report.rows, strict=True):
            submission = Submission(registered_by_id=actor.id if actor else None)
            registration.fill(submission, data)
            numbering.assign_to(submission, number)
            db.session.add(submission)
            engine.start(actor, submission, f"Excel 导入：{self.source} 第{result.line}行", from_shell=self.from_shell)
            report.imported.append(submission)
            if len(report.imported) % 500 == 0:
                db.session.flush()
        for sitting, value in self.counters.items():
            if value > (sitting.last_number or 0):
                db.session.execute(update(Sitting).where(Sitting.id == sitting.id).values(last_number=value))
                db.session.expire(sitting, ["last_number"])
        db.session.flush()


def import_rows(user, rows: list[Row], *, sitting=None, create_missing=False, source="", from_shell=False,
                register: bool = True) -> Report:
    """Check every row and, when none has a problem and `register`, register them all (flushed, not committed)."""
    if user is not None and not from_shell and not user.has_role("clerk"):
        raise ServiceError("只有提案/建议工作人员可以导入。")
    importer = Importer(user, sitting=sitting, create_missing=create_missing, source=source, from_shell=from_shell)
    return importer.run(rows, register=register)
