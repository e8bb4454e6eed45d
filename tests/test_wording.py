"""A reply starts as its proposer expects: salutation, first line and title, read back from the .docx."""
import io

import pytest
from docx import Document

from replyflow.extensions import db
from replyflow.services import replies as reply_service

from .docx_tools import styled_texts
from .factories import make_case, make_member


def _group(body, name, kind, address_as=None):
    member = make_member(body, name, kind="group")
    member.group_kind, member.address_as = kind, address_as
    return member


def _deputies(w, *names):
    return [make_member("npc", n) for n in names]


# (id, how the case is set up → make_case keywords, sitting settings, salutation, first line, title)
CASES = [
    ("one member", lambda w: dict(cosigners=[]), {"joint_salutation": "lead_count"},
     "曹留俊委员：", "您提出的《关于广纳海外高层次人才，赋能区域经济高质量发展的建议》的提案收悉，现答复如下：",
     "关于对市政协十五届四次会议委员提案第0294号的答复"),
    ("lead answered for all, as the seed reply", lambda w: dict(cosigners=[w.cosigner, w.cosigner2]),
     {"joint_salutation": "lead"}, "曹留俊委员：",
     "你们提出的《关于广纳海外高层次人才，赋能区域经济高质量发展的建议》的提案收悉，现答复如下：",
     "关于对市政协十五届四次会议委员提案第0294号的答复"),
    ("lead and the count", lambda w: dict(cosigners=[w.cosigner, w.cosigner2]), {"joint_salutation": "lead_count"},
     "曹留俊等3位委员：", "你们提出的《关于广纳海外高层次人才，赋能区域经济高质量发展的建议》的提案收悉，现答复如下：",
     "关于对市政协十五届四次会议委员提案第0294号的答复"),
    ("every deputy named (人大)", lambda w: dict(sitting=w.npc, number=78, cosigners=_deputies(w, "王建平", "刘晓梅"),
                                          title="关于加强海外留学人才引进权益工作的建议"), {"joint_salutation": "each"},
     "陈姝伃、王建平、刘晓梅代表：", "你们提出的关于加强海外留学人才引进权益工作的建议收悉，现答复如下：",
     "对市十六届人大五次会议第0078号建议的答复"),
    ("the co-signers agreed to the lead", lambda w: dict(sitting=w.npc, number=78, reply_to_lead=True,
                                                         cosigners=_deputies(w, "王建平", "刘晓梅"),
                                                         title="关于加强海外留学人才引进权益工作的建议"),
     {"joint_salutation": "each"}, "陈姝伃等3位代表：", "你们提出的关于加强海外留学人才引进权益工作的建议收悉，现答复如下：",
     "对市十六届人大五次会议第0078号建议的答复"),
    ("等5名代表, the others not named", lambda w: dict(sitting=w.npc, number=78, proposer_count=5,
                                                  cosigners=_deputies(w, "王建平"),
                                                  title="关于加强海外留学人才引进权益工作的建议"),
     {"joint_salutation": "each"}, "陈姝伃等5位代表：", "你们提出的关于加强海外留学人才引进权益工作的建议收悉，现答复如下：",
     "对市十六届人大五次会议第0078号建议的答复"),
    ("a party proposing collectively", lambda w: dict(number=12, cosigners=[], lead=_group("cppcc", "九三学社常州市委", "party"),
                                                      title="关于加快集聚青年科技人才的建议"), {},
     "九三学社常州市委：", "贵会提出的《关于加快集聚青年科技人才的建议》的提案收悉，现答复如下：",
     "关于对市政协十五届四次会议集体提案第0012号的答复"),
    ("a special committee", lambda w: dict(number=12, cosigners=[], lead=_group("cppcc", "县政协提案与法治委", "committee"),
                                           title="关于规范行政执法的提案"), {},
     "县政协提案与法治委：", "贵委提出的《关于规范行政执法的提案》收悉，现答复如下：",
     "关于对市政协十五届四次会议集体提案第0012号的答复"),
    ("a collective addressed as its record says", lambda w: dict(
        number=12, cosigners=[], lead=_group("cppcc", "民进常州市委", "party", address_as="贵委"),
        title="关于发展托育服务的建议"), {}, "民进常州市委：", "贵委提出的《关于发展托育服务的建议》的提案收悉，现答复如下：",
     "关于对市政协十五届四次会议集体提案第0012号的答复"),
    ("a title already ending in 提案", lambda w: dict(cosigners=[w.cosigner], title="关于加强校园食品安全的提案"),
     {"joint_salutation": "lead"}, "曹留俊委员：", "你们提出的《关于加强校园食品安全的提案》收悉，现答复如下：",
     "关于对市政协十五届四次会议委员提案第0294号的答复"),
    ("a suggestion without a number, made 闭会期间", lambda w: dict(
        sitting=w.npc, number=None, period="recess", title="关于加强农村寄递物流网点建设的建议"), {"auto_numbering": "none"},
     "陈姝伃代表：", "您提出的关于加强农村寄递物流网点建设的建议收悉，现答复如下：",
     "对市十六届人大五次会议闭会期间关于加强农村寄递物流网点建设的建议的答复"),
]


def _styled(document, style_name):
    return [p for p in document.paragraphs if p.style.name == style_name]


@pytest.mark.parametrize("setup,settings,salutation,opening,title", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_reply_starts_as_its_proposer_expects(world, browser, setup, settings, salutation, opening, title):
    keywords = setup(world)
    the_sitting = keywords.get("sitting", world.cppcc)
    for key, value in settings.items():
        setattr(the_sitting, key, value)
    s = make_case(world, "acknowledged", **keywords)
    a = s.assignments[0]
    data = reply_service.draft_defaults(world.handler, a)
    assert (data["salutation"], data["body"].strip(), data["title"]) == (salutation, opening, title)
    reply_service.save_draft(world.handler, a, data)
    db.session.commit()
    document = Document(io.BytesIO(browser("luoyang").get(f"/replies/{a.current_reply.id}/download").data))
    assert [p.text for p in _styled(document, "公文-主送机关")] == [salutation]
    assert styled_texts(document, "公文-正文")[0] == opening
    assert "".join(p.text.replace("\n", "") for p in _styled(document, "公文-标题")) == title
    assert "的提案》的提案" not in opening and "的建议》的建议" not in opening
