"""Reading a registration workbook: the file checked, the header row found, each row's cells by column name."""
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook

from ..documents.ooxml import UnsafeFile, open_package
from .columns import HEADERS, REQUIRED

log = logging.getLogger(__name__)


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says why, in the clerk's words."""


@dataclass
class Row:
    #: the row's number in Excel (the header is row 1 when it is first)
    line: int
    cells: dict

    def text(self, column: str) -> str:
        """The cell as text: stripped, a whole number without ".0", nothing for an empty cell."""
        value = self.cells.get(column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime | date):
            return value.isoformat()
        return str(value).strip()


@dataclass
class Sheet:
    rows: list[Row]
    #: headers the file has that the import does not know (序号 ...), ignored
    ignored: list[str] = field(default_factory=list)


def _header(values) -> str:
    return "".join(str(values or "").split())


#: columns read from a row: the template has 14; an office's sheet may add some of its own
MAX_COLUMNS = 60
#: a run of empty rows this long ends the data (a sheet formatted to its millionth row holds nothing there)
EMPTY_RUN = 1000


def read(data: bytes, max_bytes: int, max_rows: int) -> Sheet:
    """The rows of the first worksheet below its header row; empty rows are left out."""
    if not data:
        raise FileRefused("文件是空的，请选择填好的导入模板（.xlsx）。")
    if len(data) > max_bytes:
        raise FileRefused(f"文件有 {len(data) / 1048576:.1f} MB，超过导入上限 {max_bytes // 1048576} MB："
                          "请去掉图片等内容，或分成几个文件导入。")
    try:
        open_package(data, "xlsx")
    except UnsafeFile as refused:
        raise FileRefused(str(refused)) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:   # openpyxl raises many kinds on a damaged workbook; each means the same to the clerk
        log.info("unreadable workbook", exc_info=True)
        raise FileRefused(UNREADABLE) from None
    try:
        return _rows(book, max_rows)
    except FileRefused:
        raise
    except Exception:   # a cell openpyxl cannot parse (a number "abc", a string index past the table ...)
        log.info("unreadable cell in a workbook", exc_info=True)
        raise FileRefused(UNREADABLE) from None
    finally:
        book.close()


UNREADABLE = "无法读取此 Excel 文件（文件已损坏，或不是 Excel 保存的）：请在 Excel 或 WPS 中打开后“另存为 .xlsx”再上传。"


def _rows(book, max_rows: int) -> Sheet:
    if not book.worksheets:
        raise FileRefused("文件中没有工作表。请使用导入模板。")
    sheet = book.worksheets[0]
    # the size a file says it has is not trusted: a wrong one hides rows, or claims a million
    sheet.reset_dimensions()
    lines = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header, start, empty = None, 0, 0
    for start, values in enumerate(lines, 1):
        if any(v not in (None, "") for v in values):
            header = [_header(v) for v in values]
            break
        empty += 1
        if empty >= EMPTY_RUN:
            break
    if header is None:
        raise FileRefused("工作表是空的：第一个工作表中没有表头，也没有数据。请使用导入模板。")
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise FileRefused(f"第{start}行应是表头，但缺少“{'”“'.join(missing)}”列。请使用导入模板，表头为："
                          + "、".join(HEADERS) + "。")
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise FileRefused(f"表头中“{'”“'.join(repeated)}”列出现了不止一次。")
    columns = {i: h for i, h in enumerate(header) if h in HEADERS}
    rows, empty = [], 0
    for line, values in enumerate(lines, start + 1):
        cells = {columns[i]: v for i, v in enumerate(values) if i in columns and v not in (None, "")}
        if any(not isinstance(v, str) or v.strip() for v in cells.values()):
            rows.append(Row(line, cells))
            empty = 0
            if len(rows) > max_rows:
                raise FileRefused(f"一次最多导入 {max_rows:,} 行，此文件更多：请分成几个文件导入。")
        else:
            empty += 1
            if empty >= EMPTY_RUN:
                break
    if not rows:
        raise FileRefused("表头下没有数据行：请在表头下逐行填写提案建议后再上传。")
    return Sheet(rows, [h for h in header if h and h not in HEADERS])
