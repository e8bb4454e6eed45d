"""Review by the clerk: 不立案, 退回修改 and resubmission, 并案, 转为意见, editing the registration."""
from datetime import date

from sqlalchemy import select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import Event, Notification, Submission

from .conftest import flashes
from .factories import make_case


def fresh(s):
    db.session.expire_all()
    return db.session.get(Submission, s.id)


def notes(user):
    return [n.message for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))]


def test_reject_needs_a_ground_and_tells_the_proposer(world, browser):
    s = make_case(world)
    db.session.commit()
    clerk = browser("clerk_zx")
    url = f"/submissions/{s.id}"
    page = clerk.follow(clerk.submit(url, f"{url}/reject", {"ground_id": "", "note": "x"}))
    assert "请选择不立案理由" in " ".join(flashes(page)) and fresh(s).state == "registered"
    clerk.submit(url, f"{url}/reject", {"ground_id": world.grounds[0].id, "note": "请向有关部门反映。"})
    s = fresh(s)
    assert s.state == "rejected" and s.rejection_ground_id == world.grounds[0].id
    assert any("不予立案" in n and "不属于本级职权范围" in n for n in notes(world.member_user))
    assert "不属于本级职权范围" in browser("caoliujun").page(url)


def test_return_for_revision_then_the_proposer_resubmits(world, browser):
    s = make_case(world)
    db.session.commit()
    clerk, member = browser("clerk_zx"), browser("caoliujun")
    url = f"/submissions/{s.id}"
    page = clerk.follow(clerk.submit(url, f"{url}/return", {"comment": ""}))
    assert "请填写退回修改意见" in " ".join(flashes(page)) and fresh(s).state == "registered"
    clerk.submit(url, f"{url}/return", {"comment": "请补充具体建议。"})
    assert fresh(s).state == "returned"
    assert "退回修改" in member.page("/")
    # a co-signer may read it but only the lead proposer resubmits
    assert browser("fengjianguo").client.get(f"{url}/resubmit").status_code == 403
    member.submit(f"{url}/resubmit", f"{url}/resubmit", {"title": "关于广纳海外高层次人才的建议（修改稿）",
                                                         "content": "补充了具体建议。", "comment": "已补充"})
    s = fresh(s)
    assert s.state == "registered" and s.title == "关于广纳海外高层次人才的建议（修改稿）"
    assert any("重新提交" in n for n in notes(world.clerk))


def test_merge_into_host_and_merged_proposer_receives_the_answer(world, browser):
    w = world
    host = make_case(w, "delivered", number=294)
    merged = make_case(w, number=301, lead=w.other_member_user.member, cosigners=[], title="关于吸引海外人才的建议")
    db.session.commit()
    clerk = browser("clerk_zx")
    url = f"/submissions/{merged.id}"
    page = clerk.follow(clerk.submit(url, f"{url}/merge", {"host_number": "999"}))
    assert "没有编号为「999」的件" in " ".join(flashes(page)) and fresh(merged).state == "registered"
    page = clerk.follow(clerk.submit(url, f"{url}/merge", {"host_number": "301"}))
    assert "不能并入自身" in " ".join(flashes(page))
    # a delivered host cannot take new merges; an open one can
    page = clerk.follow(clerk.submit(url, f"{url}/merge", {"host_number": "294"}))
    assert "不能作为并案主件" in " ".join(flashes(page)) and fresh(merged).state == "registered"
    open_host = make_case(w, "assigned", number=310)
    db.session.commit()
    clerk.submit(url, f"{url}/merge", {"host_number": "310", "comment": "内容相近"})
    merged = fresh(merged)
    assert merged.state == "merged" and merged.merged_into_id == open_host.id
    assert any("已并入提案第0310号" in n for n in notes(w.other_member_user))
    # the merged proposer follows the host and gets its answer
    a = open_host.assignments[0]
    from replyflow.services import assignments as assignment_service
    from replyflow.services import replies as reply_service
    assignment_service.acknowledge(w.handler, a)
    data = reply_service.draft_defaults(w.handler, a)
    data.update(answer_class="A", body="答复正文", signer_name="吴寅", handler_name="罗杨", phone="1")
    reply_service.save_draft(w.handler, a, data)
    reply_service.submit_for_signoff(w.handler, a)
    reply_service.sign_reply(w.signer, a)
    reply_service.deliver_reply(w.handler, a)
    db.session.commit()
    other = browser("shenyaqin")
    page = other.page(f"/submissions/{merged.id}")
    assert "已并入" in page and a.current_reply.doc_number in page
    assert other.get(f"/replies/{a.current_reply.id}/download").status_code == 200
    assert any("已答复" in n for n in notes(w.other_member_user))
    assert other.page(f"/submissions/{open_host.id}")  # they may open the host case too
    listed = other.page("/submissions")   # and their list shows both: their own and the host
    assert f"/submissions/{merged.id}\"" in listed and f"/submissions/{open_host.id}\"" in listed
    assert f"/submissions/{host.id}\"" not in listed
    # but they do not rate it: the host's lead proposer does
    assert f"/assignments/{a.id}/feedback" not in other.page(f"/submissions/{open_host.id}")
    assert host.state == "answered"


def test_convert_to_opinion(world, browser):
    s = make_case(world)
    db.session.commit()
    clerk = browser("clerk_zx")
    url = f"/submissions/{s.id}"
    clerk.submit(url, f"{url}/convert", {"comment": "转有关部门参考。"})
    assert fresh(s).state == "converted"
    assert any("转为意见" in n for n in notes(world.member_user))
    page = clerk.page(url)
    assert f"{url}/accept" not in page and f"{url}/assign" not in page  # nothing more to do


def test_clerk_edits_registration(world, browser):
    s = make_case(world)
    db.session.commit()
    clerk = browser("clerk_zx")
    url = f"/submissions/{s.id}/edit"
    form = clerk.page(url)
    assert "曹留俊" in form and "冯建国" in form
    clerk.submit(url, url, {
        "sitting_id": world.cppcc.id, "kind": "proposal", "number": "295", "title": "新标题", "content": "新正文",
        "category_id": world.categories["科教"].id, "lead_name": "曹留俊", "cosigner_names": "许振宇，冯建国",
        "submitted_on": "2025-01-11", "disclosure_wish": "public"})
    s = fresh(s)
    assert (s.number, s.title, s.category.name) == ("0295", "新标题", "科教")
    assert [m.name for m in s.members] == ["曹留俊", "许振宇", "冯建国"]
    assert db.session.scalar(select(Event).where(Event.action == "edit_submission")) is not None


def test_clerk_registers_a_group_submission(world, browser):
    clerk = browser("clerk_zx")
    with clock.frozen(date(2025, 1, 20)):
        new = clerk.page("/submissions/new")
        clerk.post("/submissions/new", {
            "sitting_id": world.cppcc.id, "kind": "proposal", "number": "12", "title": "关于加强非遗保护的建议",
            "content": "正文", "category_id": world.categories["其他"].id, "lead_name": "民盟常州市委",
            "cosigner_names": "", "submitted_on": "2025-01-20", "disclosure_wish": "public"}, expect=302,
            token=clerk.token(new))
    s = db.session.scalar(select(Submission).where(Submission.number == "0012"))
    assert s.lead.kind == "group" and s.lead.display_name == "民盟常州市委"
