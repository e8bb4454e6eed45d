"""我的提案 / 我的建议: every case the member leads or co-signed (or whose host answers theirs), its state in
plain words, the departments, the due date, the contacts with them, each delivered reply as .docx and PDF."""
import io
import re
from datetime import date

from docx import Document

from replyflow import clock
from replyflow.extensions import db
from replyflow.services import assignments as assignment_service
from replyflow.services import submissions as submission_service

from .factories import make_case


def _card(html, title):
    """The text of the member's card of the case titled `title`."""
    cards = re.split(r'<div class="card mb-3 mine-case">', html)[1:]
    found = [re.sub(r"<[^>]+>", " ", c) for c in cards if title in c]
    assert len(found) == 1, (title, len(found))
    return re.sub(r"\s+", " ", found[0])


def test_each_stage_in_plain_words_with_departments_due_date_contacts_and_replies(world, browser):
    w = world
    member = browser("caoliujun")
    stages = [("registered", "已提交，待立案"), ("accepted", "已立案"), ("assigned", "已交办"),
              ("acknowledged", "办理中"), ("delivered", "已答复")]
    titles = {}
    with clock.frozen(date(2025, 3, 1)):
        for n, (stage, _) in enumerate(stages):
            titles[stage] = f"关于第{n + 1}件事项的提案"
            make_case(w, stage, number=400 + n, title=titles[stage])
    db.session.commit()
    with clock.frozen(date(2025, 3, 2)):
        page = member.page("/mine")
    assert "我的提案" in page
    for stage, words in stages:
        assert words in _card(page, titles[stage]), stage
    assigned = _card(page, titles["assigned"])
    assert "中共常州市委人才工作领导小组办公室" in assigned and "主办" in assigned and "办理期限" in assigned

    # a contact logged with them shows on their card
    s = next(x for x in _cases(w) if x.title == titles["acknowledged"])
    with clock.frozen(date(2025, 3, 5)):
        assignment_service.record_contact(w.handler, s.assignments[0], date(2025, 3, 5), "phone", "电话听取曹委员意见。")
    db.session.commit()
    with clock.frozen(date(2025, 3, 6)):
        assert "电话听取曹委员意见" in _card(member.page("/mine"), titles["acknowledged"])

    # the delivered reply: its Word and (where LibreOffice is) PDF, and an invitation to rate it
    delivered = _card(member.page("/mine"), titles["delivered"])
    assert "常人才办〔2025〕" in delivered and "Word" in delivered and "待评价" in delivered
    reply = next(x for x in _cases(w) if x.title == titles["delivered"]).assignments[0].current_reply
    page = member.page("/mine")
    assert f"/replies/{reply.id}/download" in page
    document = Document(io.BytesIO(member.get(f"/replies/{reply.id}/download").data))
    assert any("关于对市政协十五届四次会议委员提案" in p.text.replace("\n", "") for p in document.paragraphs)


def _cases(w):
    from sqlalchemy import select

    from replyflow.models import Submission
    db.session.expire_all()
    return db.session.scalars(select(Submission)).all()


def test_cosigners_and_merged_cases_are_theirs_others_are_not(world, browser):
    w = world
    with clock.frozen(date(2025, 3, 1)):
        make_case(w, "registered", number=500, title="关于建设人才公寓的提案", cosigners=[])
        merged = make_case(w, "registered", number=501, title="关于人才住房保障的提案", lead=w.cosigner, cosigners=[])
        submission_service.merge(w.clerk, merged, "500")
        make_case(w, "registered", number=502, title="沈委员的提案", lead=w.other_member_user.member, cosigners=[])
    db.session.commit()
    cosigner_page = browser("fengjianguo").page("/mine")
    card = _card(cosigner_page, "关于人才住房保障的提案")
    assert "已并入" in card and "关于建设人才公寓的提案" in card
    assert "沈委员的提案" not in cosigner_page
    lead_page = browser("caoliujun").page("/mine")
    assert "领衔" in _card(lead_page, "关于建设人才公寓的提案")
    assert "关于人才住房保障的提案" not in lead_page and "沈委员的提案" not in lead_page
    assert "共 1 件" in browser("shenyaqin").page("/mine")


def test_a_deputy_reads_my_suggestions(world, browser):
    with clock.frozen(date(2025, 3, 1)):
        make_case(world, "accepted", number=10040017, sitting=world.npc, title="关于完善技能人才评价的建议")
    db.session.commit()
    page = browser("chenshuyu").page("/mine")
    assert "我的建议" in page and "第10040017号" in page and "已立案" in _card(page, "关于完善技能人才评价的建议")


def test_a_group_account_reads_its_collective_proposals(world, browser):
    from .factories import make_user

    # the admin links the group's record to its account (管理 → 委员/代表 → 登录账号)
    user = make_user("minmeng", ["member"], "民盟常州市委", body="cppcc")
    db.session.delete(user.member)
    db.session.flush()
    world.group.user = user
    with clock.frozen(date(2025, 3, 1)):
        make_case(world, "accepted", number=600, title="关于发展银发经济的提案", lead=world.group, cosigners=[])
    db.session.commit()
    card = _card(browser("minmeng").page("/mine"), "关于发展银发经济的提案")
    assert "集体提出" in card and "已立案" in card


def test_contacts_with_the_host_are_not_shown_to_a_merged_cases_proposer(world, browser):
    w = world
    with clock.frozen(date(2025, 3, 1)):
        host = make_case(w, "accepted", number=700, title="关于建设人才公寓的提案", cosigners=[])
        merged = make_case(w, "registered", number=701, title="关于人才住房保障的提案", lead=w.cosigner, cosigners=[])
        submission_service.merge(w.clerk, merged, "700")
        assignment_service.assign(w.clerk, host, mode="lead", lead=w.talent)
        assignment_service.acknowledge(w.handler, host.assignments[0])
        assignment_service.record_contact(w.handler, host.assignments[0], date(2025, 3, 1), "phone", "与曹委员电话沟通。")
    db.session.commit()
    assert "与曹委员电话沟通" in browser("caoliujun").page("/mine")
    assert "与曹委员电话沟通" in browser("caoliujun").page(f"/submissions/{host.id}")
    cosigner = browser("fengjianguo")
    assert "与曹委员电话沟通" not in cosigner.page("/mine")
    assert "与曹委员电话沟通" not in cosigner.page(f"/submissions/{merged.id}")
    assert "与曹委员电话沟通" in browser("clerk_zx").page(f"/submissions/{merged.id}")
