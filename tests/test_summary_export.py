"""办理情况汇总表 (.xlsx): the list with its filters, opened with openpyxl and compared with the database."""
import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from replyflow import clock
from replyflow.exports.summary import HEADERS
from replyflow.extensions import db
from replyflow.models import Submission
from replyflow.services import replies as reply_service

from .factories import make_case

ASSIGNED = date(2025, 2, 10)
EXPORTED = date(2025, 9, 1)


def cases(world):
    """On time; late; overdue and unanswered; split between two departments; only registered; 人大's."""
    with clock.frozen(ASSIGNED):
        on_time = make_case(world, "dissatisfied", number=294, mode="co", title="关于人才公寓建设的建议")
        late = make_case(world, "signed", number=12, cosigners=[world.cosigner, world.cosigner2])
        overdue = make_case(world, "acknowledged", number=13)
        split = make_case(world, "delivered", number=14, mode="split")
        registered = make_case(world, "registered", number=15)
        make_case(world, "assigned", number=1, sitting=world.npc, lead=world.deputy)
    with clock.frozen(date(2025, 6, 1)):   # past the due date three months after assignment
        reply_service.deliver_reply(world.handler, late.assignments[0])
    db.session.commit()
    return on_time, late, overdue, split, registered


def download(clerk, query=""):
    with clock.frozen(EXPORTED):
        response = clerk.get(f"/submissions/summary.xlsx{query}")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.data))


def test_the_summary_of_a_sitting_matches_the_database(world, browser):
    on_time, late, overdue, split, registered = cases(world)
    clerk = browser("clerk_zx")
    book = download(clerk, f"?sitting={world.cppcc.id}")
    sheet = book.active
    assert sheet["A1"].value == "市政协十五届四次会议提案办理情况汇总表（截至2025年9月1日）"
    assert "A1:R1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]] == HEADERS and sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["D"].width == 42
    rows = {r[2]: dict(zip(HEADERS, r, strict=True)) for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert list(rows) == ["第0012号", "第0013号", "第0014号", "第0015号", "第0294号"]   # the list's order
    assert [r["序号"] for r in rows.values()] == [1, 2, 3, 4, 5]

    db.session.expire_all()
    due = db.session.get(Submission, on_time.id).assignments[0].due_on
    first = rows["第0294号"]
    assert (first["标题"], first["提出人"], first["主办单位"], first["会办单位"], first["分办单位"]) == (
        "关于人才公寓建设的建议", "曹留俊等2名委员", "中共常州市委人才工作领导小组办公室", "常州市科学技术局", None)
    assert (first["交办日期"].date(), first["办理期限"].date(), first["答复日期"].date()) == (ASSIGNED, due, ASSIGNED)
    assert (first["按时办复"], first["答复类别"], first["公开属性"]) == ("按时", "A", "公开")
    assert (first["办理工作评价"], first["办理结果评价"], first["状态"]) == ("基本满意", "不满意", "已答复")

    late_row = rows["第0012号"]
    assert late_row["提出人"] == "曹留俊等3名委员"
    assert late_row["答复日期"].date() == date(2025, 6, 1)
    assert late_row["按时办复"] == f"超期{(date(2025, 6, 1) - due).days}天"
    assert late_row["办理结果评价"] is None

    assert rows["第0013号"]["按时办复"] == f"已超期{(EXPORTED - due).days}天（未答复）"
    assert rows["第0013号"]["答复日期"] is None and rows["第0013号"]["状态"] == "办理中"
    assert rows["第0014号"]["分办单位"] == "中共常州市委人才工作领导小组办公室、常州市教育局"
    assert rows["第0014号"]["答复类别"] == "A、A" and rows["第0014号"]["主办单位"] is None
    assert rows["第0015号"]["主办单位"] is None and rows["第0015号"]["状态"] == "待立案"
    assert rows["第0015号"]["按时办复"] is None


def test_the_summary_follows_the_lists_filters_and_who_sees_what(world, browser):
    cases(world)
    clerk = browser("clerk_zx")
    overdue = download(clerk, "?overdue=1").active
    assert [r[2] for r in overdue.iter_rows(min_row=3, values_only=True)] == ["第0013号"]
    assert overdue["A1"].value == "提案建议办理情况汇总表（截至2025年9月1日）"
    # the education bureau's handler sees the split case alone, and only its own cases
    db.session.commit()
    own = download(browser("wangfang")).active
    assert [r[2] for r in own.iter_rows(min_row=3, values_only=True)] == ["第0014号"]
    # the 人大 clerk's export holds the 人大 case only
    assert [r[1] for r in download(browser("clerk_rd")).active.iter_rows(min_row=3, values_only=True)] == [
        "市十六届人大五次会议"]


def test_an_empty_or_too_large_selection_is_refused_with_a_message(app, world, browser):
    cases(world)
    clerk = browser("clerk_zx")
    empty = clerk.client.get("/submissions/summary.xlsx?q=不存在的标题")
    assert empty.status_code == 302 and "没有提案建议" in clerk.follow(empty)
    app.config["SUMMARY_EXPORT_LIMIT"] = 3
    try:
        big = clerk.client.get("/submissions/summary.xlsx")
        assert big.status_code == 302 and "超过一次导出的上限 3 件" in clerk.follow(big)
    finally:
        app.config["SUMMARY_EXPORT_LIMIT"] = 20000
    assert db.session.scalar(select(Submission.id).limit(1)) is not None
