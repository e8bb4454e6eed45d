"""重点提案 / 重点建议 and their 督办: marked with the leader and office, records kept, a filter and statistics."""
from datetime import date

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import Submission

from .conftest import flashes
from .factories import make_case
from .test_lists import numbers
from .test_statistics import rows_of

TODAY = date(2025, 3, 10)


def test_a_clerk_marks_a_key_case_names_its_supervisors_and_keeps_records(world, browser):
    with clock.frozen(date(2025, 2, 1)):
        case = make_case(world, "assigned", number=294)
        make_case(world, "assigned", number=12)
    db.session.commit()
    clerk = browser("clerk_zx")
    url = f"/submissions/{case.id}"
    with clock.frozen(TODAY):
        page = clerk.page(url)
        assert "设为重点并指定督办" in page and "添加督办记录" not in page   # records only on a key case
        clerk.submit(url, f"{url}/supervision", {"is_key": "yes", "supervisor": "市政协副主席 张三",
                                                 "supervising_office": "市政府办公室督查室"})
        clerk.submit(url, f"{url}/supervision/records", {"kind": "visit", "held_on": "2025-03-05",
                                                         "summary": "张三副主席带队到现场调研，听取承办单位汇报。"})
        future = clerk.submit(url, f"{url}/supervision/records", {"kind": "progress", "held_on": "2025-04-01",
                                                                  "summary": "提前写的"}, expect=302)
        assert "督办日期不能晚于今天" in clerk.follow(future)
        page = clerk.page(url)
    db.session.expire_all()
    case = db.session.get(Submission, case.id)
    assert (case.is_key, case.supervisor, case.supervising_office) == (True, "市政协副主席 张三", "市政府办公室督查室")
    assert [(r.kind, r.held_on) for r in case.supervision_records] == [("visit", date(2025, 3, 5))]
    assert "2025年3月5日 · 视察调研" in page and "张三副主席带队到现场调研" in page
    assert "设为重点（督办领导：市政协副主席 张三；牵头督办单位：市政府办公室督查室）" in page
    # the filter, and the statistics' section
    assert numbers(clerk.page("/submissions?key=1")) == ["0294"]
    with clock.frozen(TODAY):
        key = rows_of(clerk.page(f"/statistics?sitting={world.cppcc.id}"), "key")
    assert key[0][:5] == ["第0294号", case.title, "曹留俊等2名委员", "市政协副主席 张三", "市政府办公室督查室"]
    assert key[0][6:8] == ["1", "2025年3月5日"]
    # a case with records stays key
    with clock.frozen(TODAY):
        refused = clerk.submit(url, f"{url}/supervision", {"is_key": "no", "supervisor": "", "supervising_office": ""})
        assert "已有督办记录，不能取消重点" in clerk.follow(refused)


def test_the_proposer_does_not_see_the_supervision_and_a_department_cannot_record_it(world, browser):
    case = make_case(world, "assigned", number=294, is_key=True)
    case.supervisor = "市政协副主席 张三"
    db.session.commit()
    url = f"/submissions/{case.id}"
    assert "重点督办" not in browser("caoliujun").page(url)
    handler = browser("luoyang").page(url)
    assert "市政协副主席 张三" in handler and "添加督办记录" not in handler
    response = browser("luoyang").post(f"{url}/supervision/records", {"kind": "visit", "held_on": "2025-01-01",
                                                                      "summary": "x"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Submission, case.id).supervision_records == []
    assert not flashes(handler)
