"""登记导入 from Excel: the template, the preview with every row's problems, all rows or none, the shell command."""
import io
import random
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from replyflow import clock
from replyflow.extensions import db
from replyflow.imports.columns import HEADERS
from replyflow.models import Event, Member, Sitting, Submission

from .conftest import flashes
from .factories import make_case, make_member

TODAY = date(2025, 3, 1)
NAMES = ["曹留俊", "冯建国", "许振宇"]


def workbook(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers] if isinstance(row, dict) else row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def clean_rows(n=300):
    """Rows as an office's sheet holds them: numbered and not, dates typed and as Excel dates, some without text."""
    rows = []
    for i in range(n):
        row = {"会议": "市政协十五届四次会议", "类别": "提案", "标题": f"关于第{i + 1}项民生工作的建议",
               "正文": f"建议推进第{i + 1}项工作。", "领衔人": NAMES[i % 3], "分类": "社会"}
        if i % 2 == 0:
            row["编号"] = f"{1000 + i}"
        if i % 5 == 0:
            row["联名人"] = "许振宇" if row["领衔人"] != "许振宇" else "冯建国"
        row["提交日期"] = datetime(2025, 1, 10) if i % 3 else "2025年1月12日"
        if i % 10 == 9:     # an office's past years: no text, no date
            row.pop("正文")
            row.pop("提交日期")
        rows.append(row)
    return rows


def count(model=Submission):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def preview(clerk, data, name="提案.xlsx", **options):
    page = clerk.page("/imports")
    assert 'action="/imports/preview"' in page
    with clock.frozen(TODAY):
        return clerk.post("/imports/preview", {"sitting_id": "0", **options}, token=clerk.token(page),
                          files={"workbook": (io.BytesIO(data), name)})


def commit(clerk, html, **options):
    token = clerk.TOKEN.search(html).group(1)
    import_token = __import__("re").search(r'name="token" type="hidden" value="([^"]+)"', html)
    assert import_token, "the preview offers no import"
    with clock.frozen(TODAY):
        return clerk.post("/imports/commit", {"token": import_token.group(1), "sitting_id": "0", **options},
                          token=token)


@pytest.fixture
def clerk(world, browser):
    db.session.commit()
    return browser("clerk_zx")


def test_the_template_has_exactly_the_header_row_and_a_guide(clerk):
    response = clerk.get("/imports/template.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 1 and sheet.freeze_panes == "A2"
    assert [r[0] for r in book["填写说明"].iter_rows(min_row=2, values_only=True)][3] == "标题（必填）"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["C2"] == '"提案,建议"' and lists["H2"] == '"个人,联名,集体"'


def test_a_clean_file_of_300_rows_imports_all_in_one_go(world, clerk):
    make_case(world, number=294)
    db.session.commit()
    before_events = count(Event)
    html = preview(clerk, workbook(clean_rows()), expect=200).text
    assert "全部 300 行检查通过" in html and html.count("可导入") == 300
    assert count() == 1, "a preview keeps nothing"
    response = commit(clerk, html, expect=302)
    assert "已从「提案.xlsx」导入 300 件" in clerk.follow(response)
    assert count() == 301 and count(Event) == before_events + 300
    cases = db.session.scalars(select(Submission).where(Submission.number != "0294")
                               .order_by(Submission.id)).all()
    first = cases[0]
    assert (first.number, first.title, first.lead.name, first.state, first.category.name, first.submitted_on) == (
        "1000", "关于第1项民生工作的建议", "曹留俊", "registered", "社会", date(2025, 1, 12))
    assert first.cosigners[0].name == "许振宇"
    # rows without a number continue after the highest: the file's 1298
    assert cases[1].number == "1299" and cases[3].number == "1300"
    incomplete = [c for c in cases if c.incomplete]
    assert len(incomplete) == 30 and all(c.content is None and c.submitted_on is None for c in incomplete)
    assert "信息不全" in clerk.page(f"/submissions/{incomplete[0].id}")
    assert "Excel 导入：提案.xlsx 第2行" in clerk.page(f"/submissions/{first.id}")


def test_one_bad_row_among_300_imports_nothing_and_names_that_row(world, clerk):
    rows = clean_rows()
    rows[149]["领衔人"] = "王不存在"
    html = preview(clerk, workbook(rows), expect=200).text
    assert "未导入任何一行" in html and 'name="token"' not in html
    problems = html.split('id="problems"')[1].split("</table>")[0]
    assert problems.count("<tr>") == 2   # the header and the one problem
    assert "第151行" in problems and "领衔人" in problems and "「王不存在」不在委员/代表名单中" in problems
    assert count() == 0


def test_a_crafted_import_of_a_file_with_problems_is_refused(world, clerk, browser):
    rows = clean_rows(3)
    good = preview(clerk, workbook(rows), expect=200).text
    # the database changes between the preview and the click: another clerk takes number 1000
    make_case(world, number=1000)
    db.session.commit()
    html = commit(clerk, good, expect=200).text
    assert "未导入任何一行" in html and "已有第1000号" in html
    assert count() == 1
    # another clerk cannot import this clerk's upload
    other = browser("clerk_rd")
    stolen = __import__("re").search(r'name="token" type="hidden" value="([^"]+)"', good).group(1)
    response = other.post("/imports/commit", {"token": stolen, "sitting_id": "0"}, expect=302)
    assert "已过期或无效" in other.follow(response)
    assert count() == 1


@pytest.mark.parametrize("data,name,message", [
    (b"\xe4\xbc\x9a\xe8\xae\xae,\xe6\xa0\x87\xe9\xa2\x98\n", "提案.xlsx", "不是 Excel 工作簿"),     # a renamed .csv/.txt
    (workbook([], headers=[]), "空.xlsx", "工作表是空的"),
    (workbook([]), "只有表头.xlsx", "表头下没有数据行"),
    (workbook([["x", "y"]], headers=["序号", "题目"]), "别的表.xlsx", "缺少“标题”“领衔人”列"),
    (b"", "零字节.xlsx", "文件是空的"),
])
def test_files_that_are_not_a_filled_template_are_refused_clearly(world, clerk, data, name, message):
    html = preview(clerk, data, name=name, expect=200).text
    assert any(message in f and name in f for f in flashes(html)), flashes(html)
    assert count() == 0


def test_an_oversized_file_is_refused_before_it_is_read(app, world, clerk):
    app.config["IMPORT_MAX_BYTES"] = 20_000
    try:
        noise = random.Random(1)   # text that does not compress away
        big = workbook([{**row, "正文": "".join(chr(noise.randint(0x4E00, 0x9FA5)) for _ in range(2000))}
                        for row in clean_rows(40)])
        assert len(big) > 20_000
        html = preview(clerk, big, expect=200).text
        assert any("超过导入上限" in f for f in flashes(html)), flashes(html)
    finally:
        app.config["IMPORT_MAX_BYTES"] = 10 * 1024 * 1024
    assert count() == 0


def problems_of(clerk, rows, **options):
    before = count()
    html = preview(clerk, workbook(rows), expect=200).text
    assert count() == before
    table = html.split('id="problems"')[1].split("</table>")[0] if 'id="problems"' in html else ""
    return table


def test_each_kind_of_problem_is_reported_with_its_row_and_column(world, clerk):
    make_case(world, number=294)
    make_member("cppcc", "王伟").affiliation = "经济界"
    make_member("cppcc", "王伟").affiliation = "教育界"
    db.session.commit()
    base = {"会议": "市政协十五届四次会议", "标题": "关于加装电梯的建议", "领衔人": "曹留俊"}
    rows = [
        {**base, "编号": "0294"},                               # 2: the sitting has it
        {**base, "编号": "12"}, {**base, "编号": "第0012号"},    # 3, 4: twice in the file
        {**base, "领衔人": "王伟"},                              # 5: two namesakes
        {**base, "提交日期": "2025-02-30"},                      # 6: no such day
        {**base, "标题": None, "正文": "只有正文"},               # 7: no title
        {**base, "类别": "建议"},                                # 8: a 政协 sitting takes 提案
        {**base, "提出方式": "集体"},                            # 9: a person is not a body
        {**base, "会议": "市政协十五届九次会议"},                 # 10: unknown sitting
        {**base, "会议": "市十六届人大五次会议", "领衔人": "陈姝伃"},  # 11: the other body's sitting
        {**base, "提交日期": "2025-04-01"},                      # 12: after today
        {**base, "分类": "外交"},                                # 13: no such category
        {**base, "联名人": "冯建国、冯建国"},                     # 14: a co-signer twice
    ]
    table = problems_of(clerk, rows)
    expected = [
        ("第2行", "编号", "已有第0294号"), ("第4行", "编号", "与第3行重复"), ("第5行", "领衔人", "有2位同名"),
        ("第6行", "提交日期", "不是日期"), ("第7行", "标题", "缺少标题"), ("第8行", "类别", "只受理提案"),
        ("第9行", "提出方式", "是委员个人"), ("第10行", "会议", "找不到会议「市政协十五届九次会议」"),
        ("第11行", "会议", "不能导入市十六届人大五次会议"), ("第12行", "提交日期", "不能晚于今天"),
        ("第13行", "分类", "没有分类「外交」"), ("第14行", "联名人", "重复的姓名"),
    ]
    for line, column, words in expected:
        assert any(line in tr and f"<td class=\"text-nowrap\">{column}</td>" in tr and words in tr
                   for tr in table.split("<tr>")), (line, column, words)
    assert ">第3行</td>" not in table   # the first of two rows with one number is not the wrong one


def test_real_numbers_namesakes_groups_and_unnamed_proposers(world, clerk, browser):
    code = Sitting(body="npc", name="市十六届人大五次会议闭会期间", year=2025, number_style="code", number_width=0,
                   auto_numbering="none", joint_salutation="each")
    db.session.add(code)
    make_member("npc", "王伟").affiliation = "天宁区代表团"
    make_member("npc", "王伟").affiliation = "武进区代表团"
    make_member("npc", "刘晓梅")
    make_member("npc", "金坛区代表团", kind="group")
    db.session.commit()
    rows = [
        {"会议": "市十六届人大五次会议闭会期间", "编号": "2025d048", "标题": "关于加装电梯的建议",
         "领衔人": "王伟（武进区）", "联名人": "刘晓梅等5名代表", "大会/闭会": "闭会期间"},
        {"会议": "市十六届人大五次会议闭会期间", "标题": "关于无编号件的建议", "领衔人": "金坛区代表团",
         "提出方式": "集体", "大会/闭会": "闭会"},
    ]
    rd = browser("clerk_rd")
    html = preview(rd, workbook(rows), expect=200).text
    assert "全部 2 行检查通过" in html, flashes(html)
    commit(rd, html, expect=302)
    first, second = db.session.scalars(select(Submission).order_by(Submission.id)).all()
    assert (first.number, first.lead.affiliation, first.proposers_label, first.period) == (
        "2025D048", "武进区代表团", "王伟等5名代表", "recess")
    assert second.number is None and second.is_collective


def test_the_command_creates_missing_sittings_members_and_groups_once(app, world, tmp_path):
    rows = [
        {"会议": "市政协十四届五次会议", "类别": "提案", "编号": "0001", "标题": "关于往年事项一的建议", "领衔人": "李新",
         "提交日期": "2021-01-10"},
        {"会议": "市政协十四届五次会议", "类别": "提案", "编号": "0002", "标题": "关于往年事项二的建议", "领衔人": "李新",
         "联名人": "赵一、曹留俊"},
        {"会议": "市政协十四届五次会议", "类别": "提案", "标题": "关于往年事项三的建议", "领衔人": "九三学社常州市委",
         "提出方式": "集体"},
    ]
    path = tmp_path / "往年.xlsx"
    path.write_bytes(workbook(rows))
    db.session.commit()
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["import-submissions", str(path)])
    assert refused.exit_code == 1 and "imported 0 of 3 rows" in refused.output.splitlines()[-1]
    assert "找不到会议「市政协十四届五次会议」" in refused.output
    dry = runner.invoke(args=["import-submissions", str(path), "--create-missing", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[-1].startswith("imported 0 of 3 rows")
    assert count() == 0 and count(Sitting) == 2
    with clock.frozen(TODAY):
        done = runner.invoke(args=["import-submissions", str(path), "--create-missing", "--user", "clerk_zx"])
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[-1] == "imported 3 of 3 rows"
    db.session.expire_all()
    sitting = db.session.scalar(select(Sitting).where(Sitting.name == "市政协十四届五次会议"))
    assert (sitting.body, sitting.year, sitting.incomplete) == ("cppcc", 2021, True)
    assert db.session.scalar(select(func.count()).select_from(Member).where(Member.name == "李新")) == 1
    group = db.session.scalar(select(Member).where(Member.name == "九三学社常州市委"))
    assert (group.kind, group.group_kind) == ("group", "party")
    cases = db.session.scalars(select(Submission).order_by(Submission.id)).all()
    assert [c.number for c in cases] == ["0001", "0002", "0003"]
    assert [m.name for m in cases[1].members] == ["李新", "赵一", "曹留俊"]
    assert all(c.events[0].actor.username == "clerk_zx" for c in cases)
    # the same file again: its numbers are taken now, and nothing is created twice
    again = runner.invoke(args=["import-submissions", str(path), "--create-missing"])
    assert again.exit_code == 1 and "已有第0001号" in again.output
    assert count() == 3 and count(Sitting) == 3 and count(Member) == 6 + 3


def test_an_admin_completes_a_sitting_created_by_an_import(world, browser):
    sitting = Sitting(body="cppcc", name="市政协十四届五次会议", year=2021, incomplete=True)
    db.session.add(sitting)
    db.session.commit()
    admin = browser("admin")
    assert "待完善" in admin.page("/admin/sittings")
    page = admin.page(f"/admin/sittings/{sitting.id}")
    form = {"name": sitting.name, "body": "cppcc", "year": "2021", "number_style": "digits", "number_width": "4",
            "auto_numbering": "register", "joint_salutation": "lead_count", "reply_months": "3",
            "adjustment_days": "5", "rehandling_months": "1", "opinion_months": "1", "signoff_working_days": "5",
            "feedback_months": "1", "extension_months": "3", "extension_cap_months": "6", "active": "y"}
    admin.post(f"/admin/sittings/{sitting.id}", form, token=admin.token(page), expect=302)
    db.session.expire_all()
    assert db.session.get(Sitting, sitting.id).incomplete is False


def test_incomplete_cases_are_found_by_the_filter_and_completed_by_an_edit(world, clerk):
    rows = [{"会议": "市政协十五届四次会议", "标题": "关于往年事项的建议", "领衔人": "曹留俊"},
            {"会议": "市政协十五届四次会议", "标题": "关于完整事项的建议", "领衔人": "冯建国", "正文": "建议。",
             "提交日期": "2025-01-10"}]
    commit(clerk, preview(clerk, workbook(rows), expect=200).text, expect=302)
    page = clerk.page("/submissions?incomplete=1")
    assert "关于往年事项的建议" in page and "关于完整事项的建议" not in page
    case = db.session.scalar(select(Submission).where(Submission.title == "关于往年事项的建议"))
    form = clerk.page(f"/submissions/{case.id}/edit")
    with clock.frozen(TODAY):
        clerk.post(f"/submissions/{case.id}/edit", {
            "sitting_id": str(world.cppcc.id), "kind": "proposal", "number": case.number, "title": case.title,
            "content": "补录的正文。", "category_id": str(world.categories["社会"].id), "lead_name": "曹留俊",
            "cosigner_names": "", "submitted_on": "2025-01-10", "disclosure_wish": "public", "period": "session"},
            token=clerk.token(form), expect=302)
    assert "关于往年事项的建议" not in clerk.page("/submissions?incomplete=1")


def test_the_same_upload_is_imported_once_however_often_it_is_posted(world, clerk):
    html = preview(clerk, workbook(clean_rows(3)), expect=200).text
    commit(clerk, html, expect=302)
    again = commit(clerk, html, expect=302)
    assert "未重复导入" in clerk.follow(again)
    assert count() == 3


def _damaged(data: bytes, part: str, change) -> bytes:
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, change(content) if item.filename == part else content)
    return out.getvalue()


@pytest.mark.parametrize("part,change", [
    # a shared string index past the table, a number that is none, XML cut short
    ("xl/worksheets/sheet1.xml", lambda x: x.replace(b"</sheetData>", b'<row r="9"><c r="D9" t="s"><v>9999</v></c></row>'
                                                     b"</sheetData>")),
    ("xl/worksheets/sheet1.xml", lambda x: x.replace(b"</sheetData>", b'<row r="9"><c r="B9" t="n"><v>abc</v></c></row>'
                                                     b"</sheetData>")),
    ("xl/worksheets/sheet1.xml", lambda x: x[:len(x) // 2]),
    # the sheet says it is a million rows wide and long
    ("xl/worksheets/sheet1.xml", lambda x: x.replace(b'<dimension ref="A1:N4"/>', b'<dimension ref="A1:XFD1048576"/>')),
])
def test_a_damaged_workbook_is_refused_clearly_never_a_500(world, clerk, part, change):
    original = workbook(clean_rows(3))
    data = _damaged(original, part, change)
    assert data != original
    response = preview(clerk, data, name="坏.xlsx")
    assert response.status_code == 200
    found = flashes(response.text)
    if 'id="rows"' in response.text:   # the dimension is not trusted: the three rows are read as they are
        assert "全部 3 行检查通过" in response.text
    else:
        assert any("无法读取此 Excel 文件" in f for f in found), found
    assert count() == 0
