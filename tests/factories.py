"""Factories: reference data, accounts per role, and cases moved to a given state via the services."""
from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from replyflow.extensions import db
from replyflow.models import Category, Department, Member, RejectionGround, Sitting, User
from replyflow.services import admin as admin_service
from replyflow.services import assignments as assignment_service
from replyflow.services import feedback as feedback_service
from replyflow.services import replies as reply_service
from replyflow.services import submissions as submission_service
from replyflow.services.reference_data import install_defaults

PASSWORD = "secret-pass-1"


def make_user(username, roles, name=None, department=None, body=None, member_name=None):
    return admin_service.save_user(None, username=username, name=name or username, email=f"{username}@example.com",
                                   password=PASSWORD, roles=roles, department=department, body=body,
                                   member_name=member_name, must_change=False)


def make_department(name, prefix, phone="0519-00000000"):
    d = Department(name=name, doc_prefix=prefix, header_title=f"{name}文件", phone=phone)
    db.session.add(d)
    db.session.flush()
    return d


def make_member(body, name, kind="person"):
    m = Member(body=body, name=name, kind=kind)
    db.session.add(m)
    db.session.flush()
    return m


def build_world():
    """Two sittings, four departments, and a user for every role and every way of being wrong."""
    w = SimpleNamespace()
    install_defaults()  # what the migration installs; the tables are emptied after every test
    w.categories = {c.name: c for c in db.session.scalars(select(Category))}
    w.grounds = db.session.scalars(select(RejectionGround).order_by(RejectionGround.position)).all()
    # the 0294 reply answers its lead for all: 曹留俊委员： … 你们提出的…
    w.cppcc = Sitting(body="cppcc", name="市政协十五届四次会议", year=2025, opened_on=date(2025, 1, 8),
                      joint_salutation="lead")
    w.npc = Sitting(body="npc", name="市十六届人大五次会议", year=2025, opened_on=date(2025, 1, 6),
                    joint_salutation="each")
    db.session.add_all([w.cppcc, w.npc])
    w.talent = make_department("中共常州市委人才工作领导小组办公室", "常人才办", "15951228660")
    w.talent.header_title = "中共常州市委人才工作领导小组办公室文件"
    w.scitech = make_department("常州市科学技术局", "常科")
    w.hrss = make_department("南通市人力资源和社会保障局", "通人社")
    w.education = make_department("常州市教育局", "常教")

    w.admin = make_user("admin", ["admin"], "管理员")
    w.security = make_user("security", ["security_admin"], "安全管理员")
    w.clerk = make_user("clerk_zx", ["clerk"], "孙丽", body="cppcc")
    w.clerk_npc = make_user("clerk_rd", ["clerk"], "周敏", body="npc")
    w.handler = make_user("luoyang", ["handler"], "罗杨", department=w.talent)
    w.signer = make_user("wuyin", ["signer"], "吴寅", department=w.talent)
    w.co_handler = make_user("zhanglei", ["handler"], "张磊", department=w.scitech)
    w.co_signer = make_user("liuwei", ["signer"], "刘伟", department=w.scitech)
    w.hrss_handler = make_user("guxiaoyan", ["handler"], "顾晓燕", department=w.hrss)
    w.hrss_signer = make_user("qianjianhua", ["signer"], "钱建华", department=w.hrss)
    w.edu_handler = make_user("wangfang", ["handler"], "王芳", department=w.education)
    w.edu_signer = make_user("chenjun", ["signer"], "陈军", department=w.education)
    #: a department head who also drafts: may sign others' drafts but never their own
    w.handler_signer = make_user("both", ["handler", "signer"], "兼职", department=w.talent)

    w.member_user = make_user("caoliujun", ["member"], "曹留俊", body="cppcc")
    w.member = w.member_user.member
    w.cosigner_user = make_user("fengjianguo", ["member"], "冯建国", body="cppcc")
    w.cosigner = w.cosigner_user.member
    w.cosigner2 = make_member("cppcc", "许振宇")
    w.other_member_user = make_user("shenyaqin", ["member"], "沈雅琴", body="cppcc")
    w.deputy_user = make_user("chenshuyu", ["member"], "陈姝伃", body="npc")
    w.deputy = w.deputy_user.member
    w.group = make_member("cppcc", "民盟常州市委", kind="group")
    db.session.flush()
    return w


def submission_data(w, number=294, sitting=None, lead=None, cosigners=None, **overrides):
    sitting = sitting or w.cppcc
    data = dict(
        sitting=sitting, kind=sitting.submission_kind, number=None if number is None else str(number),
        title=overrides.pop("title", "关于广纳海外高层次人才，赋能区域经济高质量发展的建议"),
        content="建议拓宽海外引才渠道。", category=w.categories["经济"], submitted_on=date(2025, 1, 10),
        is_key=False, disclosure_wish="public",
        lead=lead or (w.member if sitting.body == "cppcc" else w.deputy),
        cosigners=[w.cosigner] if cosigners is None and sitting.body == "cppcc" else (cosigners or []))
    data.update(overrides)
    return submission_service.SubmissionData(**data)


def clerk_of(w, submission):
    return w.clerk if submission.sitting.body == "cppcc" else w.clerk_npc


STAGES = ["registered", "accepted", "assigned", "acknowledged", "drafted", "awaiting_signoff", "signed",
          "delivered", "dissatisfied"]


def make_case(w, stage="registered", number=294, mode="lead", answer_class="A", **data):
    """A case in `stage`, moved there by the services as the real users would (flushes, no commit)."""
    registrar = w.clerk_npc if data.get("sitting") is w.npc else w.clerk
    s = submission_service.register_submission(registrar, submission_data(w, number=number, **data))
    target = STAGES.index(stage)
    clerk = clerk_of(w, s)
    if target >= 1:
        submission_service.accept(clerk, s)
    if target >= 2:
        if mode == "split":
            assignment_service.assign(clerk, s, mode="split", split=[w.talent, w.education])
        else:
            assignment_service.assign(clerk, s, mode="lead", lead=w.talent, co=[w.scitech] if mode == "co" else [])
    answering = [a for a in s.assignments if a.answers]
    handlers = {w.talent.id: w.handler, w.education.id: w.edu_handler, w.scitech.id: w.co_handler}
    signers = {w.talent.id: w.signer, w.education.id: w.edu_signer}
    if target >= 5:  # the 主办 sends for sign-off once the 会办 opinion is in
        for co in (a for a in s.assignments if a.role == "co"):
            assignment_service.acknowledge(handlers[co.department_id], co)
            assignment_service.submit_opinion(handlers[co.department_id], co, "同意主办单位的答复意见。")
    for a in answering:
        h = handlers[a.department_id]
        if target >= 3:
            assignment_service.acknowledge(h, a)
        if target >= 4:
            data = reply_service.draft_defaults(h, a)
            data.update(answer_class=answer_class, body=data["body"] + "一、基本情况\n我们高度重视。", signer_name="吴寅",
                        handler_name=h.name, phone="15951228660")
            reply_service.save_draft(h, a, data)
        if target >= 5:
            reply_service.submit_for_signoff(h, a)
        if target >= 6:
            reply_service.sign_reply(signers[a.department_id], a)
        if target >= 7:
            reply_service.deliver_reply(h, a)
        if target >= 8:
            feedback_service.give_feedback(w.member_user, a, "basically_satisfied", "dissatisfied", "不够具体")
    db.session.flush()
    return s


def all_users(w):
    return {name: getattr(w, name) for name in vars(w) if isinstance(getattr(w, name), User)}
