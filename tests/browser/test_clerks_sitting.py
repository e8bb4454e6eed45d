"""The clerk's sitting in Chromium: a workbook imported, the new cases accepted in one batch, the statistics drawn."""
import io

from openpyxl import Workbook
from sqlalchemy import func, select

from replyflow.extensions import db
from replyflow.imports.columns import HEADERS
from replyflow.models import Submission


def _workbook(path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for i, (lead, cosigners) in enumerate([("曹留俊", "冯建国、许振宇"), ("冯建国", None), ("曹留俊", "许振宇等5名委员")]):
        row = {"会议": "市政协十五届四次会议", "类别": "提案", "标题": f"关于第{i + 1}项基层治理工作的建议",
               "正文": "建议如下。", "领衔人": lead, "联名人": cosigners, "提交日期": "2025-01-10", "分类": "社会"}
        sheet.append([row.get(h) for h in HEADERS])
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def test_the_clerk_imports_a_workbook_accepts_its_cases_in_one_batch_and_reads_the_statistics(world, person, tmp_path):
    db.session.commit()
    clerk = person("clerk_zx")
    clerk.go("/imports")
    clerk.check("Excel导入")
    clerk.page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(_workbook(tmp_path / "提案.xlsx")))
    clerk.click("上传并检查")
    assert "全部 3 行检查通过" in clerk.page.locator("main").inner_text()
    clerk.check("导入检查")
    clerk.click("导入全部 3 行", navigates=False)
    assert "确定导入这 3 件" in clerk.confirm("确定导入全部 3 行")
    assert "导入 3 件" in clerk.flash()
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 3

    # the list shows them newest first; tick all of this page and accept them in one batch
    clerk.page.locator("input[data-check-all]").check()
    assert "已勾选 3 件" in clerk.page.locator("[data-checked-count]").inner_text()
    clerk.page.locator("#batch").get_by_label("立案", exact=True).check()
    clerk.click("执行", navigates=False)
    clerk.confirm("确定执行")
    assert "批量立案：完成 3 件" in clerk.page.locator("main h1").inner_text()
    clerk.check("批量结果")
    db.session.expire_all()
    assert db.session.scalars(select(Submission.state)).all() == ["accepted"] * 3

    clerk.go(f"/statistics?sitting={world.cppcc.id}")
    clerk.page.locator("[data-chart] svg").first.wait_for()
    assert clerk.page.locator("[data-chart] svg").count() == clerk.page.locator("[data-chart]").count() > 0
    clerk.check("统计分析")
    clerk.assert_clean()
