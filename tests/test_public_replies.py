"""政务公开: /public/replies shows the delivered 公开 replies to everyone, and nothing else, by any address."""
import pytest

from replyflow.extensions import db
from replyflow.services import replies

from .factories import make_case


@pytest.fixture
def made(world):
    """A public delivered reply, one 依申请公开, one 不公开, and a public one signed but not yet delivered."""
    def case(stage, number, disclosure, title, extra):
        s = make_case(world, "drafted", number=number, title=title, content=f"提案原文里才有的词：{extra}原文。")
        a = s.assignments[0]
        reply = a.current_reply
        reply.disclosure = disclosure
        reply.body += f"\n{extra}的答复正文。"
        replies.submit_for_signoff(world.handler, a)
        replies.sign_reply(world.signer, a)
        if stage == "delivered":
            replies.deliver_reply(world.handler, a)
        return reply

    made = {
        "public": case("delivered", 101, "public", "关于加装电梯的提案", "加装电梯"),
        "on_request": case("delivered", 102, "on_request", "关于社区养老的提案", "社区养老"),
        "not_public": case("delivered", 103, "not_public", "关于河道治理的提案", "河道治理"),
        "undelivered": case("signed", 104, "public", "关于夜间经济的提案", "夜间经济"),
    }
    db.session.commit()
    return {k: r.id for k, r in made.items()}


def test_the_list_shows_only_public_delivered_replies_without_login(browser, made):
    client = browser().client
    page = client.get("/public/replies")
    assert page.status_code == 200
    assert "加装电梯" in page.text and "第0101号提案的答复" in page.text
    for title in ("社区养老", "河道治理", "夜间经济"):
        assert title not in page.text
    assert "共 1 篇" in page.text


@pytest.mark.parametrize("kind", ["on_request", "not_public", "undelivered"])
@pytest.mark.parametrize("suffix", ["", ".txt", ".html"])
def test_other_replies_are_not_found_by_address(browser, made, kind, suffix):
    client = browser().client
    assert client.get(f"/public/replies/{made[kind]}{suffix}").status_code == 404


def test_a_reply_that_does_not_exist_is_not_found(browser, made):
    client = browser().client
    assert client.get("/public/replies/999999").status_code == 404
    assert client.get("/public/replies/99999999999").status_code == 404


def test_the_public_page_reads_like_the_published_reply(browser, made, world):
    client = browser().client
    page = client.get(f"/public/replies/{made['public']}")
    assert page.status_code == 200
    text = page.text
    assert "对市政协十五届四次会议第0101号提案的答复（关于加装电梯的提案）" in text
    assert f"来源：{world.talent.name}" in text and "曹留俊" in text
    assert "加装电梯的答复正文。" in text
    assert "提案原文里才有的词" not in text        # the proposal's own text is not published with it
    assert "签发人" not in text and "15951228660" not in text   # the document's internal lines stay internal


def test_plain_text_and_html_copies(browser, made, world):
    client = browser().client
    plain = client.get(f"/public/replies/{made['public']}.txt")
    assert plain.status_code == 200 and plain.mimetype == "text/plain"
    assert "attachment" in plain.headers["Content-Disposition"]
    lines = plain.get_data(as_text=True).splitlines()
    assert lines[0] == "对市政协十五届四次会议第0101号提案的答复（关于加装电梯的提案）"
    assert "加装电梯的答复正文。" in lines and lines[-2] == world.talent.name
    assert "<" not in plain.get_data(as_text=True)
    html = client.get(f"/public/replies/{made['public']}.html")
    assert html.status_code == 200 and html.mimetype == "text/html"
    body = html.get_data(as_text=True)
    assert body.startswith("<article") and "<p>加装电梯的答复正文。</p>" in body
    assert "<script" not in body and "<link" not in body


def test_keyword_finds_only_words_of_public_replies(browser, made):
    client = browser().client
    assert "关于加装电梯的提案" in client.get("/public/replies?q=加装电梯").text
    assert "共 1 篇" in client.get("/public/replies?q=答复正文").text
    # words of the hidden replies, and of the proposal's own text, find nothing
    for word in ("社区养老", "河道治理", "夜间经济", "提案原文"):
        page = client.get(f"/public/replies?q={word}")
        assert "共 0 篇" in page.text and "没有符合条件的公开答复" in page.text, word


def test_a_lone_character_is_explained_not_searched(browser, made):
    client = browser().client
    page = client.get("/public/replies?q=梯")
    assert page.status_code == 200 and "至少输入两个连续的汉字" in page.text and "共 0 篇" in page.text


def test_filters_by_sitting_department_and_year(browser, made, world):
    client = browser().client
    assert "共 1 篇" in client.get(f"/public/replies?sitting={world.cppcc.id}").text
    assert "共 0 篇" in client.get(f"/public/replies?sitting={world.npc.id}").text
    assert "共 1 篇" in client.get(f"/public/replies?department={world.talent.id}").text
    assert "共 0 篇" in client.get(f"/public/replies?department={world.education.id}").text
    from replyflow.models import Reply

    year = db.session.get(Reply, made["public"]).issue_date.year
    assert "共 1 篇" in client.get(f"/public/replies?year={year}").text
    assert "共 0 篇" in client.get(f"/public/replies?year={year - 3}").text
    # what is no id or year filters nothing and breaks nothing
    assert "共 1 篇" in client.get("/public/replies?sitting=abc&department=-1&year=99999&page=1").text


def test_staff_see_each_replys_disclosure_on_the_case_page(browser, made, world):
    from replyflow.models import Reply

    case = db.session.get(Reply, made["on_request"]).assignment.submission_id
    assert "依申请公开" in browser("clerk_zx").get(f"/submissions/{case}").text
