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
        assert search.clause("梯", db.engine.dialect.name) is None
        sql = _sql_of_search("加装电梯")
        assert ("@@ to_tsquery" in sql) if ON_POSTGRES else ("submission_fts MATCH" in sql)
        assert "LIKE" not in sql.upper()
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
    assert db.session.scalars(select(Submission.id).where(search.clause("城市绿道", db.engine.dialect.name))).all() == []


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
