"""办理情况汇总表: the case list, with its filters, as an .xlsx the office prints and sends on.

One row a case: who proposed it, to whom it went (主办 / 会办 / 分办), when, by when, when it was answered, on
time or how late, the answer class, disclosure, the proposer's ratings and the state. Read a batch at a time
(yield_per, with the assignments, replies and ratings loaded per batch) and written by openpyxl's write-only
workbook, so neither the statements nor the memory grow with the rows."""
import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import defer, joinedload, load_only, selectinload

from ..clock import cn_date
from ..models import Assignment, Feedback, Reply, Submission
from ..vocab import ANSWERING_ROLES, DISCLOSURES, RATINGS

#: (header, width in characters): other tools read these headers
COLUMNS = [("序号", 6), ("会议", 22), ("编号", 11), ("标题", 42), ("提出人", 18), ("分类", 7), ("主办单位", 22),
           ("会办单位", 22), ("分办单位", 22), ("交办日期", 12), ("办理期限", 12), ("答复日期", 12),
           ("按时办复", 14), ("答复类别", 9), ("公开属性", 10), ("办理工作评价", 12), ("办理结果评价", 12),
           ("状态", 9)]
HEADERS = [name for name, _ in COLUMNS]
BATCH = 500


def loaded(query):
    """The list's query with what a row needs, and no more (no case text, no reply text)."""
    reply_columns = load_only(Reply.id, Reply.assignment_id, Reply.round, Reply.answer_class, Reply.disclosure,
                              Reply.delivered_at)
    return query.options(
        defer(Submission.content), defer(Submission.search_terms), defer(Submission.review_note),
        joinedload(Submission.sitting), joinedload(Submission.category), selectinload(Submission.proposers),
        selectinload(Submission.assignments).options(
            selectinload(Assignment.replies).options(reply_columns, selectinload(Reply.feedback).options(
                load_only(Feedback.id, Feedback.reply_id, Feedback.handling_rating, Feedback.result_rating)))),
    ).execution_options(yield_per=BATCH)


@dataclass
class Answer:
    """How one answering department (主办 or 分办) did: the first answer's day and timeliness as the statistics
    keep them (Assignment.answered_on / answered_on_time), and the latest answer delivered."""

    due_on: date
    answered_on: date | None
    on_time: bool | None
    latest: Reply | None


def _answers(submission) -> list[Answer]:
    answers = []
    for assignment in submission.active_assignments:
        if assignment.role not in ANSWERING_ROLES:
            continue
        delivered = [r for r in assignment.replies if r.delivered_at is not None]
        answers.append(Answer(assignment.due_on, assignment.answered_on, assignment.answered_on_time,
                              max(delivered, key=lambda r: r.round) if delivered else None))
    return answers


def timeliness(answers: list[Answer], on: date) -> str:
    """按时 / 超期N天 once every answering department has answered; 已超期N天（未答复） / 未到期 before."""
    if not answers:
        return ""
    if all(a.answered_on for a in answers):
        late = [a for a in answers if a.on_time is False]
        if not late:
            return "按时" if all(a.on_time for a in answers) else ""
        days = max((a.answered_on - a.due_on).days for a in late)
        return f"超期{days}天" if days > 0 else "超期"   # the due date moved since (重新办理): how late is not known
    waiting = max((on - a.due_on).days for a in answers if not a.answered_on)
    return f"已超期{waiting}天（未答复）" if waiting > 0 else "未到期"


def row_of(index: int, submission: Submission, on: date) -> list:
    active = submission.active_assignments
    by_role = {role: "、".join(a.department.name for a in active if a.role == role) for role in ("lead", "co", "split")}
    answers = _answers(submission)
    latest = [a.latest for a in answers if a.latest is not None]
    ratings = [r.feedback for r in latest if r.feedback is not None]
    answered = [a.answered_on for a in answers]
    return [
        index, submission.sitting.name, submission.number_display, submission.title, submission.proposers_label,
        submission.category.name if submission.category else "",
        by_role["lead"], by_role["co"], by_role["split"],
        min((a.assigned_on for a in active), default=None),
        min((a.due_on for a in answers), default=None),
        max(answered) if answered and all(answered) else None,
        timeliness(answers, on),
        "、".join(r.answer_class for r in latest if r.answer_class),
        "、".join(DISCLOSURES.get(r.disclosure, "") for r in latest),
        "、".join(RATINGS[f.handling_rating] for f in ratings),
        "、".join(RATINGS[f.result_rating] for f in ratings),
        submission.state_label,
    ]


def keep_text(cell):
    """The cell, its text kept as text: a title or a name typed as =HYPERLINK(…) must not become a live formula in
    a workbook the office sends on (this one and the statistics')."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    return cell


def title_of(sitting, kind_label: str, on: date) -> str:
    """市政协十五届四次会议提案办理情况汇总表（截至2025年9月1日）"""
    return f"{sitting.name if sitting else ''}{kind_label}办理情况汇总表（截至{cn_date(on)}）"


def workbook(title: str, submissions, on: date) -> bytes:
    """The .xlsx: a title row over the columns, a frozen header, widths set, printed landscape with the header
    on every page."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("办理情况汇总表")
    for index, (_, width) in enumerate(COLUMNS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"   # A4
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    sheet.merged_cells.ranges.add(f"A1:{get_column_letter(len(COLUMNS))}1")
    heading = WriteOnlyCell(sheet, title)
    heading.font = Font(name="宋体", size=16, bold=True)
    heading.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([heading])
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header = []
    for name in HEADERS:
        cell = WriteOnlyCell(sheet, name)
        cell.font, cell.border = Font(bold=True), border
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    # the rows as plain values, the title alone wrapped: a style on every cell (borders, alignment) cost 30 s
    # of style hashing for 10,000 rows; the grid prints instead, and dates get openpyxl's own yyyy-mm-dd
    sheet.print_options.gridLines = True
    wrap = Alignment(vertical="top", wrap_text=True)
    title_at = HEADERS.index("标题")
    for index, submission in enumerate(submissions, 1):
        values = row_of(index, submission, on)
        title = keep_text(WriteOnlyCell(sheet, values[title_at]))
        title.alignment = wrap
        values[title_at] = title
        sheet.append([keep_text(WriteOnlyCell(sheet, v)) if isinstance(v, str) and v.startswith("=") else v
                      for v in values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
