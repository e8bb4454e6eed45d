"""The keyword search: Chinese runs found as the phrase of their character pairs, through the index, and the
index kept as titles, proposers and members' names change."""
import dataclasses

import pytest
from sqlalchemy import select, text

from replyflow import planner, search
from replyflow.extensions import db
from replyflow.models import Member, Submission, search_terms
from replyflow.services import submissions as submission_service

from .conftest import ON_POSTGRES
from .factories import make_case, submission_data
from .test_lists import numbers


def test_terms_are_pairs_of_chinese_and_words_of_latin_and_digits():
    assert search_terms.terms("关于加装电梯的建议") == "关于 于加 加装 装电 电梯 梯的 的建 建议"
    # runs of different texts, and runs split by punctuation or digits, never make a pair across
    assert search_terms.terms("加装电梯", "张伟") == "加装 装电 电梯 张伟"
    assert search_terms.terms("“十四五”规划，2025D048号") == "十四 四五 规划 2025d048 号"
    assert search_terms.terms("ＡＩ赋能") == "ai 赋能"           # full-width letters fold
    assert search_terms.terms("") == ""


@pytest.mark.parametrize("typed, found", [
    ("电梯", ["0009"]),
    ("加装电梯", ["0009"]),
    ("老旧小区 电梯", ["0009"]),       # every run must be there
    ("电梯加装", []),                  # the same characters in another order are not a match
    ("托育", ["0003"]),
    ("沈雅琴", ["0003"]),              # a proposer's name
    ("曹留俊", ["0005", "0009"]),      # the lead of two
    ("5G", ["0012"]),                  # Latin and digits by prefix, in any case
    ("5g基站", ["0012"]),
    ("人工智能", ["0011"]),
    ("梯", ["0009"]),                  # a lone character: no pairs, found by the scan
    ("的建议", ["0003", "0005", "0009", "0011", "0012"]),
    ("政协", []),
])
def test_the_list_finds_what_was_typed(world, browser, typed, found):
    make_case(world, "registered", number=5, title="关于加强电动自行车安全管理的建议")
    make_case(world, "accepted", number=3, title="关于完善婴幼儿托育服务体系的建议", lead=world.other_member_user.member,
              cosigners=[])
    make_case(world, "assigned", number=9, title="关于加快推进老旧小区加装电梯工作的建议")
    make_case(world, "registered", number=11, title="关于以人工智能赋能政务服务的建议", lead=world.group, cosigners=[])
    make_case(world, "registered", number=12, title="关于加快5G基站建设的建议", lead=world.group, cosigners=[])
    db.session.commit()
    assert numbers(browser("clerk_zx").page("/submissions?q=" + typed)) == found


def _sql_of_search(typed):
    from replyflow.submissions.queries import submission_query

    class Everyone:
        body = None

        def has_role(self, *roles):
            return "clerk" in roles
    return str(submission_query(Everyone(), {"q": typed}).compile(dialect=db.engine.dialect))


def test_a_search_of_two_or_more_characters_uses_the_index(app):
    with app.app_context():
        assert search.matches("梯", db.engine.dialect.name) is None
        sql = _sql_of_search("加装电梯")
        assert ("@@ to_tsquery" in sql) if ON_POSTGRES else ("submission_fts MATCH" in sql)
        assert "LIKE" not in sql.upper()   # no scan of titles or texts (departments' names are read in Python)
        if ON_POSTGRES:
            indexdef = db.session.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_submission_search'"))
            assert "gin (search_vector)" in indexdef


def test_the_index_follows_a_new_title_new_proposers_and_a_renamed_member(world, browser):
    s = make_case(world, "registered", number=21, title="关于加强电动自行车安全管理的建议")
    db.session.commit()
    clerk = browser("clerk_zx")
    assert numbers(clerk.page("/submissions?q=电动自行车")) == ["0021"]
    data = dataclasses.replace(submission_data(world, number=21), title="关于规范共享单车停放的建议",
                               lead=world.other_member_user.member, cosigners=[])
    submission_service.update_submission(world.clerk, s, data)
    db.session.commit()
    assert numbers(clerk.page("/submissions?q=电动自行车")) == []
    assert numbers(clerk.page("/submissions?q=共享单车")) == ["0021"]
    assert numbers(clerk.page("/submissions?q=曹留俊")) == []            # no longer a proposer
    assert numbers(clerk.page("/submissions?q=沈雅琴")) == ["0021"]
    member = db.session.get(Member, world.other_member_user.member.id)
    member.name = "沈雅芹"
    db.session.commit()
    assert numbers(clerk.page("/submissions?q=沈雅芹")) == ["0021"]
    assert numbers(clerk.page("/submissions?q=沈雅琴")) == []
    assert db.session.scalar(select(Submission.search_terms).where(Submission.id == s.id)).endswith("沈雅 雅芹")


def test_a_deleted_case_leaves_the_index(world, app):
    s = make_case(world, "registered", number=31, title="关于建设城市绿道的建议")
    db.session.commit()
    sid = s.id
    db.session.delete(s)
    db.session.commit()
    if not ON_POSTGRES:
        assert db.session.scalar(text("SELECT count(*) FROM submission_fts WHERE rowid = :id"), {"id": sid}) == 0
    assert db.session.scalars(select(Submission.id).where(search.matches("城市绿道", db.engine.dialect.name)[0])).all() == []


@pytest.mark.parametrize("dense", [0, 10_000])
def test_a_large_set_of_cases_is_paged_in_the_same_order_as_a_small_one(world, browser, monkeypatch, dense):
    """On SQLite a set of more than planner.DENSE cases (a search's matches, a department's cases) is paged
    by walking the list's order instead of fetching each case by id: the rows and their order are the same."""
    for number in (12, 3, 30, 7):
        make_case(world, "assigned", number=number, title="关于加快推进老旧小区加装电梯工作的建议")
    make_case(world, "registered", number=5, title="关于加强电动自行车安全管理的建议")
    db.session.commit()
    monkeypatch.setattr(planner, "DENSE", dense)
    assert numbers(browser("clerk_zx").page("/submissions?q=加装电梯")) == ["0003", "0007", "0012", "0030"]
    assert numbers(browser("luoyang").page("/submissions")) == ["0003", "0007", "0012", "0030"]
    if not ON_POSTGRES:
        ids = select(Submission.id).where(Submission.number == "0003")
        assert (" + " in str(planner.id_in(ids).compile())) == (dense == 0)


# -- the full text: the case's text, its departments, its signed replies --------------------------------------

def _deliver_with(world, case, words):
    """Deliver the case's reply with `words` in its body; returns what the search found before it was delivered
    (a draft's and a signed reply's words are not searched: proposers read a reply once it is delivered)."""
    from replyflow.services import replies as reply_service

    a = case.answering_assignments[0]
    data = reply_service.draft_defaults(world.handler, a)
    data.update(answer_class="A", body=data["body"] + f"一、基本情况\n我们已建成{words}三处，入住率达九成。",
                signer_name="吴寅", handler_name="罗杨", phone="15951228660")
    reply_service.save_draft(world.handler, a, data)
    reply_service.submit_for_signoff(world.handler, a)
    reply_service.sign_reply(world.signer, a)
    db.session.commit()
    before = numbers_of(world, words)
    reply_service.deliver_reply(world.handler, a)
    db.session.commit()
    return before


def numbers_of(world, typed):
    from replyflow.submissions.queries import submission_query

    db.session.expire_all()
    return [s.number for s in db.session.scalars(submission_query(world.clerk, {"q": typed}))]


def test_a_reply_body_is_found_once_delivered_and_the_hit_is_shown_marked(world, browser):
    case = make_case(world, "acknowledged", number=294, title="关于广纳海外高层次人才的建议")
    make_case(world, "registered", number=12, title="关于建设人才公寓的建议")
    db.session.commit()
    assert _deliver_with(world, case, "人才公寓") == ["0012"]   # before delivery its words are not searched
    assert numbers_of(world, "人才公寓") == ["0012", "0294"]    # ranked: the title's hit first, then the reply's
    html = browser("clerk_zx").page("/submissions?q=人才公寓")
    assert "关于建设<mark>人才公寓</mark>的建议" in html
    assert "答复件：…" in html and "我们已建成<mark>人才公寓</mark>三处" in html
    # by number, in any form typed
    assert numbers_of(world, "第0294号") == ["0294"] and numbers_of(world, "294") == ["0294"]
    # the proposer reads them too, now it is delivered
    assert "我们已建成<mark>人才公寓</mark>三处" in browser("caoliujun").page("/submissions?q=人才公寓")


def test_the_full_text_follows_an_edit_and_holds_the_departments(world, browser):
    case = make_case(world, "registered", number=21, title="关于规范共享单车停放的建议")
    make_case(world, "assigned", number=23)
    db.session.commit()
    assert numbers_of(world, "拓宽海外引才渠道") == ["0021", "0023"]   # the case's own text
    assert numbers_of(world, "人才工作领导小组") == ["0023"]            # its department's name
    data = dataclasses.replace(submission_data(world, number=21), title=case.title, content="建议增设停车区。")
    submission_service.update_submission(world.clerk, case, data)
    db.session.commit()
    assert numbers_of(world, "拓宽海外引才渠道") == ["0023"] and numbers_of(world, "增设停车区") == ["0021"]
    html = browser("clerk_zx").page("/submissions?q=增设停车区")
    assert "建议<mark>增设停车区</mark>。" in html


def test_a_renamed_department_is_found_by_its_new_name(world):
    make_case(world, "assigned", number=22)
    world.talent.name = "常州市人才工作局"
    db.session.commit()
    assert numbers_of(world, "人才工作局") == ["0022"] and numbers_of(world, "领导小组") == []


def test_a_department_taken_off_the_case_sees_no_words_of_the_new_departments_reply(world, browser):
    from replyflow.services import assignments as assignment_service
    from replyflow.services import replies as reply_service

    case = make_case(world, "assigned", number=31, title="关于完善社区养老服务的建议")
    first = case.answering_assignments[0]
    assignment_service.request_adjustment(world.handler, first, "不属于本单位职责")
    assignment_service.grant_adjustment(world.clerk, first, world.education, None, "改由教育局办理")
    second = next(a for a in case.assignments if a.department_id == world.education.id)
    assignment_service.acknowledge(world.edu_handler, second)
    data = reply_service.draft_defaults(world.edu_handler, second)
    data.update(answer_class="B", body=data["body"] + "一、基本情况\n我们将新建托老所两处。", signer_name="陈军",
                handler_name="王芳", phone="0519-1")
    reply_service.save_draft(world.edu_handler, second, data)
    reply_service.submit_for_signoff(world.edu_handler, second)
    reply_service.sign_reply(world.edu_signer, second)
    reply_service.deliver_reply(world.edu_handler, second)
    db.session.commit()
    assert "新建<mark>托老所</mark>两处" in browser("wangfang").page("/submissions?q=托老所")
    old = browser("luoyang").page("/submissions?q=托老所")
    assert "关于完善社区养老服务的建议" in old and "两处" not in old


@pytest.mark.parametrize("dense", [0, 10_000])
def test_many_matches_are_sought_case_by_case_and_few_fetched_both_alike(world, monkeypatch, dense):
    """Above planner.DENSE matches SQLite walks the list's order and seeks each case in the indexes; at or
    below it fetches the matches and ranks them: the cases found are the same."""
    monkeypatch.setattr(planner, "DENSE", dense)
    make_case(world, "registered", number=41, title="关于建设人才公寓的建议")
    make_case(world, "assigned", number=42, title="关于规范共享单车停放的建议")
    make_case(world, "registered", number=43, title="关于加装电梯的建议")
    db.session.commit()
    assert sorted(numbers_of(world, "人才公寓")) == ["0041"]
    assert sorted(numbers_of(world, "拓宽海外引才渠道")) == ["0041", "0042", "0043"]   # the cases' own text
    assert numbers_of(world, "人才工作领导小组") == ["0042"]                           # a department's name
    assert numbers_of(world, "电梯 建议") == ["0043"]
