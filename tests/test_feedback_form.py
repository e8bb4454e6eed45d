"""征询意见表 as offices print it: 办理工作 and 办理结果, whether and how the department got in touch before
answering, a reason for 不满意; each co-signer's opinion beside it, read by the clerk."""
from sqlalchemy import func, select

from replyflow.extensions import db
from replyflow.models import CosignerOpinion, Feedback

from .conftest import flashes
from .factories import make_case


def said(html) -> str:
    return " ".join(flashes(html))


def _url(case):
    return f"/assignments/{case.assignments[0].id}/feedback"


def test_the_form_asks_contact_and_its_way(world, browser):
    case = make_case(world, "delivered")
    db.session.commit()
    member = browser("caoliujun")
    page = member.get(f"/submissions/{case.id}").text
    for words in ("对办理工作", "对办理结果", "答复前，承办单位是否与您联系", "面商", "电话", "书面"):
        assert words in page, words
    refused = member.post(_url(case), {"handling_rating": "satisfied", "result_rating": "satisfied", "contacted": "yes"})
    assert "联系的方式" in said(member.client.get(refused.headers["Location"]).text)
    member.post(_url(case), {"handling_rating": "satisfied", "result_rating": "basically_satisfied", "contacted": "yes",
                             "contact_method": "face", "comment": "沟通及时。"}, expect=302)
    db.session.expire_all()
    feedback = db.session.scalars(select(Feedback)).one()
    assert (feedback.contacted, feedback.contact_method, feedback.contact_label) == (True, "face", "办理前联系：面商")
    assert "办理前联系：面商" in browser("clerk_zx").get(f"/submissions/{case.id}").text


def test_dissatisfied_needs_a_reason_and_nothing_is_saved_without(world, browser):
    case = make_case(world, "delivered")
    db.session.commit()
    member = browser("caoliujun")
    refused = member.post(_url(case), {"handling_rating": "satisfied", "result_rating": "dissatisfied",
                                       "contacted": "no", "comment": "  "})
    assert "写明理由" in said(member.client.get(refused.headers["Location"]).text)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0
    assert case.assignments[0].state == "delivered"
    member.post(_url(case), {"handling_rating": "satisfied", "result_rating": "dissatisfied", "contacted": "no",
                             "comment": "没有时间表。"}, expect=302)
    db.session.expire_all()
    assert db.session.scalars(select(Feedback)).one().contacted is False


def test_a_cosigner_adds_an_opinion_once_the_clerk_reads_it(world, browser):
    case = make_case(world, "delivered")
    db.session.commit()
    url = f"/assignments/{case.assignments[0].id}/cosigner-opinion"
    cosigner = browser("fengjianguo")
    assert "提出联名人意见" in cosigner.get(f"/submissions/{case.id}").text
    # the lead rates; others may not add a co-signer's opinion
    for other in ("caoliujun", "shenyaqin", "luoyang", "clerk_zx"):
        assert browser(other).post(url, {"opinion": "x"}).status_code in (403, 404), other
    cosigner.post(url, {"opinion": "希望明确完成时限。"}, expect=302)
    db.session.expire_all()
    (opinion,) = db.session.scalars(select(CosignerOpinion)).all()
    assert opinion.member_id == world.cosigner.id and opinion.opinion == "希望明确完成时限。"
    assert "希望明确完成时限" in browser("clerk_zx").get(f"/submissions/{case.id}").text
    # once a reply
    assert "提出联名人意见" not in cosigner.get(f"/submissions/{case.id}").text
    again = cosigner.post(url, {"opinion": "再说一次"})
    assert again.status_code in (302, 403)
    assert db.session.scalar(select(func.count()).select_from(CosignerOpinion)) == 1


def test_a_member_cannot_reach_another_members_reply_or_form(world, browser):
    case = make_case(world, "delivered")
    db.session.commit()
    reply = case.assignments[0].current_reply
    other = browser("shenyaqin")
    for path in (f"/submissions/{case.id}", f"/replies/{reply.id}", f"/replies/{reply.id}/download"):
        assert other.client.get(path).status_code == 404, path
    assert other.post(_url(case), {"handling_rating": "satisfied", "result_rating": "satisfied",
                                   "contacted": "no"}).status_code in (403, 404)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0
