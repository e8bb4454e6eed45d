"""统计分析 and the 办理工作情况报告, checked against a sitting counted by hand."""
import io
import re
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from replyflow import clock
from replyflow.documents.inspection import inspect
from replyflow.documents.service import converter, document_settings
from replyflow.extensions import db
from replyflow.services import assignments as assignment_service
from replyflow.services import feedback as feedback_service
from replyflow.services import replies as reply_service
from replyflow.services import submissions as submission_service

from .factories import make_case

ASSIGNED = date(2025, 2, 10)      # due three months later: 2025年5月10日
ON_TIME, LATE = date(2025, 3, 1), date(2025, 6, 2)
TODAY = date(2025, 6, 20)


def answer(world, case, on, answer_class="A", department=None):
    """Draft, sign and deliver the reply of the case's answering assignment (of `department`) on `on`."""
    a = next(a for a in case.answering_assignments if department is None or a.department_id == department.id)
    handler = {world.talent.id: world.handler, world.education.id: world.edu_handler}[a.department_id]
    signer = {world.talent.id: world.signer, world.education.id: world.edu_signer}[a.department_id]
    with clock.frozen(on):
        data = reply_service.draft_defaults(handler, a)
        data.update(answer_class=answer_class, body=data["body"] + "一、基本情况\n我们高度重视。", signer_name=signer.name,
                    handler_name=handler.name, phone="15951228660")
        reply_service.save_draft(handler, a, data)
        reply_service.submit_for_signoff(handler, a)
        reply_service.sign_reply(signer, a)
        reply_service.deliver_reply(handler, a)
    return a


@pytest.fixture
def sitting(world):
    """The 政协 sitting, counted by hand:

    | case | 主办 / 分办 | answered | on time | class | 办理结果 | contact first |
    | 0294 | 人才办 (科技局 会办) | 3月1日 | yes | A | 满意 | yes |
    | 0012 | 人才办 | 6月2日 | no (due 5月10日) | B | 不满意 | no |
    | 0013 | 人才办 | — overdue since 5月10日 | | | | |
    | 0014 | 人才办 + 教育局 分办 | 3月1日 both | yes, yes | A, C | 基本满意 (人才办) | no |
    | 0015 | registered only; 0016 rejected |
    """
    with clock.frozen(ASSIGNED):
        first = make_case(world, "acknowledged", number=294, mode="co", title="关于人才公寓建设的建议")
        late = make_case(world, "acknowledged", number=12)
        make_case(world, "acknowledged", number=13)
        split = make_case(world, "acknowledged", number=14, mode="split")
        make_case(world, "registered", number=15)
        submission_service.reject(world.clerk, make_case(world, "registered", number=16), world.grounds[0])
        assignment_service.record_contact(world.handler, first.answering_assignments[0], ASSIGNED, "phone", "电话沟通。")
    co = next(a for a in first.assignments if a.role == "co")
    with clock.frozen(ASSIGNED):
        assignment_service.acknowledge(world.co_handler, co)
        assignment_service.submit_opinion(world.co_handler, co, "同意主办单位的答复意见。")
    one = answer(world, first, ON_TIME, "A")
    answer(world, late, LATE, "B")
    talent_split = answer(world, split, ON_TIME, "A", world.talent)
    answer(world, split, ON_TIME, "C", world.education)
    with clock.frozen(TODAY):
        feedback_service.give_feedback(world.member_user, one, "satisfied", "satisfied")
        feedback_service.give_feedback(world.member_user, late.answering_assignments[0], "satisfied", "dissatisfied",
                                       "未解决")
        feedback_service.give_feedback(world.member_user, talent_split, "satisfied", "basically_satisfied")
    db.session.commit()
    return world.cppcc


def rows_of(html, table):
    part = html.split(f'id="table-{table}"')[1].split("</table>")[0]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in part.split("<tr")[2:]]


def test_the_page_counts_what_was_counted_by_hand(world, browser, sitting):
    clerk = browser("clerk_zx")
    with clock.frozen(TODAY):
        html = clerk.page(f"/statistics?sitting={sitting.id}")
    states = dict((r[0], int(r[1])) for r in rows_of(html, "states"))
    assert (states["办理中"], states["已答复"], states["已办结"], states["待立案"], states["不立案"], states["合计"]) == (
        1, 2, 1, 1, 1, 6)
    departments = {r[0]: r for r in rows_of(html, "departments")}
    header = ["承办单位", "主办/分办件数", "会办件数", "已答复", "按时答复", "按时办复率", "现超期", "A类占比", "B类占比",
              "C类占比", "满意率", "基本满意率", "不满意率", "见面率"]
    assert re.findall(r"<th[^>]*>([^<]+)</th>", html.split('id="table-departments"')[1].split("</thead>")[0]) == header
    # 人才办: 4 answering, 3 answered, 2 on time of 4 due (3 answered + 1 overdue), 1 overdue now
    assert departments["中共常州市委人才工作领导小组办公室"][1:] == [
        "4", "0", "3", "2", "50%", "1", "66.7%", "33.3%", "0%", "33.3%", "33.3%", "33.3%", "33.3%"]
    assert departments["常州市教育局"][1:] == ["1", "0", "1", "1", "100%", "0", "0%", "0%", "100%", "—", "—", "—", "0%"]
    assert departments["常州市科学技术局"][1:3] == ["0", "1"]
    assert departments["合计"][1:8] == ["5", "1", "4", "3", "60%", "1", "50%"]
    late = rows_of(html, "late")
    assert late == [["中共常州市委人才工作领导小组办公室", "1", str((TODAY - date(2025, 5, 10)).days)]]
    assert html.count("data-chart='") == 8 and "vendor/echarts/echarts.min.js" in html   # every chart with its options
    # the last twelve weeks and the next four: 0012 answered in the week of 6月2日, all five due in that of 5月5日
    weeks = rows_of(html, "weeks")
    assert (len(weeks), weeks[0][0], weeks[-1][0]) == (16, "2025年3月31日", "2025年7月14日")
    assert ["2025年6月2日", "1", "0"] in weeks and ["2025年5月5日", "0", "5"] in weeks


def test_the_workbook_holds_the_pages_numbers(world, browser, sitting):
    clerk = browser("clerk_zx")
    with clock.frozen(TODAY):
        html = clerk.page(f"/statistics?sitting={sitting.id}")
        book = load_workbook(io.BytesIO(clerk.get(f"/statistics.xlsx?sitting={sitting.id}").data))
    sheet = book["各承办单位办理情况"]
    assert sheet["A1"].value.startswith("市政协十五届四次会议提案办理情况统计")
    rows = [[("" if v is None else str(v)) for v in r] for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]]
    page = rows_of(html, "departments")
    assert rows[:len(page)] == page


def test_the_report_passes_the_checker_and_holds_the_pages_figures(world, browser, sitting, app, tmp_path):
    clerk = browser("clerk_zx")
    with clock.frozen(TODAY):
        response = clerk.get(f"/statistics/report.docx?sitting={sitting.id}")
    assert "attachment" in response.headers["Content-Disposition"]
    # the same checker as a reply's: on the pages LibreOffice sets, where it is installed
    inspection = inspect(response.data, document_settings(), converter())
    assert not inspection.failed, inspection.summary(10)
    # and from the shell, which read the 版记 into the date paragraph and failed it twice
    path = tmp_path / "report.docx"
    path.write_bytes(response.data)
    result = app.test_cli_runner().invoke(args=["check-docx", str(path)])
    assert result.exit_code == 0 and "FAIL" not in result.output, result.output
    assert inspection.mode_label in result.output and "成文日期" in result.output
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs).replace("\u200b", "")
    assert "关于市政协十五届四次会议提案办理工作情况的报告" in text.replace("\n", "")
    assert "共收到提案6件，经审查立案办理4件（不立案1件）" in text
    assert "按时办复率60%" in text and "满意率33.3%" in text and "见面率25%" in text
    assert "A类2件次（占50%），B类1件次（占25%），C类1件次（占25%）" in text
    assert "仍有1个单位的1件次超过办理期限未答复：中共常州市委人才工作领导小组办公室（1件）" in text
    table = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert table[0] == ["承办单位", "件次", "已答复", "按时办复率", "满意率"]
    assert table[-1] == ["合计", "5", "4", "60%", "33.3%"]


def test_across_sittings_and_without_a_sitting_no_report(world, browser, sitting):
    clerk = browser("clerk_zx")
    with clock.frozen(TODAY):
        html = clerk.page("/statistics")
        refused = clerk.client.get("/statistics/report.docx")
    assert rows_of(html, "sittings")[0][:4] == ["市政协十五届四次会议", "2025", "6", "3"]
    assert refused.status_code == 302 and "请先选择一次会议" in clerk.follow(refused)
    # the 人大 clerk sees 人大's figures only, and cannot open a 政协 sitting's
    other = browser("clerk_rd")
    assert other.client.get(f"/statistics?sitting={sitting.id}").status_code == 404
    assert "中共常州市委人才工作领导小组办公室" not in other.page("/statistics")


def test_figures_across_sittings_are_kept_a_while_and_one_sittings_never(app, world, browser, sitting):
    from replyflow.statistics import figures

    app.config["STATISTICS_CACHE_SECONDS"] = 600
    try:
        clerk = browser("clerk_zx")
        with clock.frozen(TODAY):
            before = rows_of(clerk.page("/statistics"), "sittings")[0][2]
            make_case(world, "registered", number=99)
            db.session.commit()
            after = clerk.page("/statistics")
            one = rows_of(clerk.page(f"/statistics?sitting={sitting.id}"), "states")
        assert rows_of(after, "sittings")[0][2] == before == "6"    # counted again only after ten minutes
        assert "每 10 分钟更新" in after
        assert dict((r[0], r[1]) for r in one)["合计"] == "7"        # one sitting's counted afresh
    finally:
        app.config["STATISTICS_CACHE_SECONDS"] = 0
        figures._ACROSS.clear()
