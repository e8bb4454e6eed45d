"""The statistics as tables: the page prints them under their charts, the workbook holds one sheet each."""
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..clock import cn_date
from ..exports.summary import keep_text
from ..vocab import RATINGS
from .figures import Counts, Figures, percent


@dataclass
class Table:
    key: str                 # the chart it goes with, and the table's id on the page
    title: str
    headers: list[str]
    rows: list[list]
    note: str = ""

    def numeric(self, column: int) -> bool:
        """A column of counts or rates, set right-aligned."""
        return bool(self.rows) and all(isinstance(r[column], int) or str(r[column]).endswith("%") or r[column] == "—"
                                       for r in self.rows)


def _department_row(d: Counts, classes) -> list:
    return [d.name, d.assigned, d.co, d.answered, d.on_time, percent(d.on_time, d.due), d.overdue,
            *[percent(d.classes.get(c, 0), d.answered) for c in classes],
            *[percent(d.ratings.get(r, 0), d.rated) for r in RATINGS], percent(d.contacted, d.answered)]


def tables(f: Figures) -> list[Table]:
    classes = f.classes
    result = [
        Table("states", "按状态", ["状态", "件数"], [[label, n] for _, label, n in f.states] + [["合计", f.cases]]),
        Table("departments", "各承办单位办理情况",
              ["承办单位", "主办/分办件数", "会办件数", "已答复", "按时答复", "按时办复率", "现超期",
               *[f"{c}类占比" for c in classes], *[f"{label}率" for label in RATINGS.values()], "见面率"],
              [_department_row(d, classes) for d in [*f.departments, f.total]],
              "按时办复率 = 按期答复件数 ÷（已答复件数 + 已到期未答复件数）；满意率等按提出人最近一次对办理结果的评价计算；"
              "见面率 = 答复前有沟通记录的件数 ÷ 已答复件数；类别占比按最近一次答复的类别计算。"),
        Table("late", f"现超期的承办单位（截至{cn_date(f.today)}，供通报）", ["承办单位", "超期件数", "最长超期天数"],
              [[d.name, d.overdue, days] for d, days in f.late]),
        Table("categories", "按分类", ["分类", "件数", "已答复"], [list(r) for r in f.categories],
              "仅计立案办理的件（待交办、办理中、已答复、已办结）。"),
        Table("affiliations", "按界别 / 代表团（领衔人）", ["界别 / 代表团", "件数"], [list(r) for r in f.affiliations]),
        Table("weeks", "每周答复与到期", ["周（自）", "答复件数", "到期件数"],
              [[cn_date(m), a, d] for m, a, d in f.weeks]),
        Table("key", "重点提案 / 重点建议", ["编号", "标题", "提出人", "督办领导", "牵头督办单位", "承办单位", "督办记录",
                                          "最近督办", "状态"],
              [[s.number_display, s.title, s.proposers_label, s.supervisor or "", s.supervising_office or "",
                "、".join(a.department.name for a in s.active_assignments), len(s.supervision_records),
                cn_date(s.supervision_records[-1].held_on) if s.supervision_records else "", s.state_label]
               for s in f.key]),
    ]
    if f.sittings:
        result.insert(1, Table("sittings", "各次会议", ["会议", "年度", "件数", "已答复", "按时办复率", "满意率"],
                               [[s.name, s.year, s.cases, s.answered, percent(s.work.on_time, s.work.due),
                                 percent(s.work.ratings.get("satisfied", 0), s.work.rated)] for s in f.sittings]))
    return result


def workbook(f: Figures, title: str) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables(f):
        sheet = book.create_sheet(table.title[:31].replace("/", "、").replace("：", ""))
        sheet.append([f"{title}：{table.title}"])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append(table.headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F2F2F2")
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for row in table.rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                keep_text(cell)
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        for index, header in enumerate(table.headers):
            width = max([len(str(header))] + [len(str(r[index])) for r in table.rows[:200]]) * 1.6 + 2
            sheet.column_dimensions[get_column_letter(index + 1)].width = min(width, 50)
        sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
