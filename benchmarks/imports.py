"""Benchmark: the Excel import (/imports) of ROWS rows into a database of N cases. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/imports.py [--n 20000] [--rows 1000] [--pg URL] [--no-sqlite]

Builds a throw-away database (pages.build: migrations, the demo, N synthetic cases), writes a workbook of ROWS
rows as an office's sheet holds them (half numbered, half left to the sitting's numbering, one in five with
co-signers, one in ten without text or date), and as the 政协 clerk through the Flask test client uploads it
for the preview, then imports it: seconds and SQL statements of each, and the cases counted after.
"""
import argparse
import io
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from replyflow import create_app  # noqa: E402
from replyflow.demo.catalog import PASSWORD  # noqa: E402
from replyflow.extensions import db  # noqa: E402
from replyflow.imports.columns import HEADERS  # noqa: E402
from replyflow.models import Member, Sitting, Submission  # noqa: E402

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
IMPORT_TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')


def workbook(sitting, names, rows) -> bytes:
    highest = db.session.scalar(select(func.max(Submission.number_seq)).where(Submission.sitting_id == sitting.id)) or 0
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for i in range(rows):
        lead = names[i % len(names)]
        cosigners = "、".join(n for n in names[i % len(names) + 1:i % len(names) + 3]) if i % 5 == 0 else None
        values = {"会议": sitting.name, "编号": str(highest + 10 + i) if i % 2 else None, "类别": "提案",
                  "标题": f"关于推进第{i + 1}项基层治理工作的建议", "正文": "建议如下。" * 40, "领衔人": lead,
                  "联名人": cosigners, "提交日期": date(sitting.year, 1, 10), "分类": "社会", "重点": "否"}
        if i % 10 == 9:
            values["正文"] = values["提交日期"] = None
        sheet.append([values.get(h) for h in HEADERS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measure(url, rows, quiet=False):
    """[(step, seconds, statements)] of the preview and the import; printed unless `quiet`."""
    app = create_app("default", SQLALCHEMY_DATABASE_URI=url)
    statements = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))
        sitting = db.session.scalar(select(Sitting).where(Sitting.body == "cppcc", Sitting.number_style == "digits")
                                    .order_by(Sitting.year.desc()).limit(1))
        names = db.session.scalars(select(Member.name).where(Member.body == "cppcc", Member.kind == "person")
                                   .group_by(Member.name).having(func.count() == 1).order_by(Member.name)).all()
        data = workbook(sitting, names[:200], rows)
        before = db.session.scalar(select(func.count()).select_from(Submission))
        db.session.remove()
    client = app.test_client()
    page = client.get("/login").text
    client.post("/login", data={"username": "clerk_zx", "password": PASSWORD, "csrf_token": TOKEN.search(page).group(1)})
    token = TOKEN.search(client.get("/imports").text).group(1)
    figures = []
    statements[0] = 0
    start = time.perf_counter()
    response = client.post("/imports/preview", content_type="multipart/form-data", data={
        "csrf_token": token, "sitting_id": "0", "workbook": (io.BytesIO(data), "bench.xlsx")})
    figures.append(("preview (every row checked, rolled back)", time.perf_counter() - start, statements[0]))
    assert response.status_code == 200 and f"全部 {rows} 行检查通过" in response.text, response.text[-2000:]
    statements[0] = 0
    start = time.perf_counter()
    response = client.post("/imports/commit", data={
        "csrf_token": token, "sitting_id": "0", "token": IMPORT_TOKEN.search(response.text).group(1)})
    figures.append(("import (checked again, all rows in one transaction)", time.perf_counter() - start, statements[0]))
    assert response.status_code == 302, response.status_code
    with app.app_context():
        after = db.session.scalar(select(func.count()).select_from(Submission))
        db.engine.dispose()
    if quiet:
        return figures
    dialect = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"\n#### {dialect}: {rows} rows into {before} cases ({len(data) / 1e6:.1f} MB workbook)\n")
    print("| step | seconds | SQL statements |")
    print("| --- | ---: | ---: |")
    for label, seconds, count in figures:
        print(f"| {label} | {seconds:.2f} | {count} |")
    print(f"\ncases after: {after} ({after - before} imported)")
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="synthetic cases beside the demo's (default 20000)")
    parser.add_argument("--rows", type=int, default=1000, help="rows in the workbook (default 1000)")
    parser.add_argument("--pg", help="a PostgreSQL database to build (emptied first)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--reuse", help="measure this database as it is (built before)")
    args = parser.parse_args()
    if args.reuse:
        measure(args.reuse, args.rows)
        return
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.sqlite3"
            pages.build(url, args.n)
            measure(url, args.rows)
    if args.pg and (url := pages.ensure_pg(args.pg)):
        pages.build(url, args.n)
        measure(url, args.rows)


if __name__ == "__main__":
    main()
