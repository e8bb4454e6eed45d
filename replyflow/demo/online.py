"""The demo's 网上提交 and 撤回: the sitting of this year open for online submission, drafts with co-signers who
agreed, declined or have not answered, a case submitted online, one withdrawn and one whose withdrawal waits."""
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Member, Sitting
from ..online import service as online
from ..services import assignments as assignment_service
from ..services import submissions as submission_service
from ..services import withdrawal as withdrawal_service


def _member_user(demo, name):
    member = db.session.scalar(select(Member).where(Member.body == "cppcc", Member.name == name))
    if member.user is None:
        demo.user(f"m{member.id:04d}", name, ["member"], body="cppcc", member_name=name)
    return member.user


def online_cases(demo):
    today = demo.today
    sitting = db.session.scalars(select(Sitting).where(Sitting.body == "cppcc").order_by(Sitting.year.desc())).first()
    sitting.submission_opens_on, sitting.submission_closes_on = today - timedelta(days=10), today + timedelta(days=20)
    db.session.flush()
    cao, shen = _member_user(demo, "曹留俊"), _member_user(demo, "沈雅琴")
    jiang, feng = _member_user(demo, "蒋文涛"), _member_user(demo, "冯建国")
    category = demo.categories["社会"].id

    def draft(lead, title, invitees, day):
        with demo.at(today - timedelta(days=day)):
            made = online.create_draft(lead, sitting, online.DraftData(
                title=title, content=demo.content_for(title), category_id=category, period="recess",
                disclosure_wish="public", suggested_departments="市民政局"))
            for invitee, answer in invitees:
                online.invite(lead, made, invitee.member.id)
                if answer is not None:
                    online.answer(invitee, made.invitations[-1], answer)
        return made

    # submitted online: one co-signer agreed, one declined; it waits in 待立案 with its mark
    submitted = draft(shen, "关于推进社区嵌入式养老服务设施建设的提案", [(cao, True), (jiang, False)], 4)
    with demo.at(today - timedelta(days=3)):
        online.submit(shen, submitted)
    # 曹留俊's own draft: 沈雅琴 agreed, 冯建国 not yet; and 蒋文涛 asks him to co-sign
    draft(cao, "关于加强城市更新中历史街区保护的提案", [(shen, True), (feng, None)], 2)
    draft(jiang, "关于完善科技成果转化收益分配机制的提案", [(cao, None)], 1)

    # 撤回: one agreed by the clerk after assignment, one waiting
    clerk = demo.clerk_for(sitting)
    for title, confirm, day in (("关于规范校外培训机构收费管理的提案", True, 40),
                                ("关于建设城市慢行交通系统的提案", False, 30)):
        case = demo.register(sitting, None, title, None, "社会", cao.member, [], today - timedelta(days=day))
        with demo.at(today - timedelta(days=day - 3)):
            submission_service.accept(clerk, case)
        with demo.at(today - timedelta(days=day - 5)):
            assignment_service.assign(clerk, case, mode="lead", lead=demo.departments[3])
        with demo.at(today - timedelta(days=day - 8)):
            withdrawal_service.request_withdrawal(cao, case, "相关工作已由市政府专题部署推进，提案内容已不适用。")
        if confirm:
            with demo.at(today - timedelta(days=day - 10)):
                withdrawal_service.confirm_withdrawal(clerk, case, "经与提出人沟通，同意撤回。")
    db.session.flush()
