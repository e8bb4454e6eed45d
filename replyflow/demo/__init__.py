"""The demo: real seed cases plus 64 cases in every state, replayed through the services.

Every case is played step by step with the clock set to the day the step happened, so dates,
events, deadlines and notifications are exactly what real use would have produced.
"""
import itertools
import random
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select

from .. import clock
from ..documents.reply import HEADINGS
from ..extensions import db
from ..models import Category, Department, Member, RejectionGround, Sitting, Submission, User
from ..services import admin as admin_service
from ..services import assignments as assignment_service
from ..services import feedback as feedback_service
from ..services import replies as reply_service
from ..services import reply_wording
from ..services import submissions as submission_service
from ..services import supervision as supervision_service
from ..services.reference_data import install_defaults
from ..vocab import JOINT_SALUTATION_OF_BODY
from . import catalog
from .follow_up import follow_ups
from .online import online_cases

SEEDS = Path(__file__).parent / "seeds"
CN_DIGITS = "〇一二三四五六七八九十"


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def reply_paragraphs(text: str, start: str, end: str) -> list[str]:
    """The paragraphs between two markers, with lines broken by page ends joined again."""
    body = text.split(start, 1)[1].split(end, 1)[0]
    pieces = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    paragraphs = []
    for piece in pieces:
        heading = paragraphs and any(pattern.match(paragraphs[-1]) for _, pattern in HEADINGS)
        if paragraphs and not heading and not re.search(r"[。：；！？”:]$", paragraphs[-1]):
            paragraphs[-1] += piece
        else:
            paragraphs.append(piece)
    return paragraphs


def is_loaded() -> bool:
    return db.session.scalar(select(func.count(User.id)).where(User.username == "clerk_zx")) > 0


class Demo:
    def __init__(self, today: date, out=print):
        self.today = today
        #: when loading began (by the app's clock): a step of today is put before it
        self.loaded_at = clock.now_utc()
        self.loaded_on = clock.today()
        self.out = out
        self.users: dict[str, User] = {}
        self.departments: list[Department] = []
        self.rng = random.Random(20250616)

    # -- helpers -----------------------------------------------------------------------------
    def at(self, day: date, hour: int = 10):
        day = min(day, self.today)
        moment = datetime.combine(day, time(hour, self.rng.randint(0, 59)))
        if self.today == self.loaded_on:
            # never in the future: today's steps happened before now, yet still today (just after
            # midnight, five minutes back would be yesterday, and a case "submitted today" in the future)
            now = clock.to_local(self.loaded_at).replace(tzinfo=None)
            moment = min(moment, max(now - timedelta(minutes=5), datetime.combine(day, time(0, 0))))
        return clock.frozen(moment)

    def user(self, username, name, roles, department=None, body=None, member_name=None):
        user = admin_service.save_user(
            None, username=username, name=name, email=f"{username}@example.com", password=catalog.PASSWORD,
            roles=roles, department=department, body=body, member_name=member_name, must_change=False)
        self.users[username] = user
        return user

    def handler_of(self, department):
        return next(u for u in self.users.values() if u.department_id == department.id and u.has_role("handler"))

    def signer_of(self, department):
        return next(u for u in self.users.values() if u.department_id == department.id and u.has_role("signer"))

    def clerk_for(self, sitting):
        return self.users["clerk_zx" if sitting.body == "cppcc" else "clerk_rd"]

    # -- reference data ---------------------------------------------------------------------------
    def base(self):
        install_defaults()  # a fresh install has them from its migration; kept for databases made otherwise
        self.categories = {c.name: c for c in db.session.scalars(select(Category))}
        for name, prefix, header, phone, (h_user, h_name), (s_user, s_name) in catalog.DEPARTMENTS:
            department = Department(name=name, doc_prefix=prefix, header_title=header, phone=phone,
                                    # one department answers in the letter format (信函格式)
                                    doc_format="letter" if name == "常州市交通运输局" else "file")
            db.session.add(department)
            db.session.flush()
            self.departments.append(department)
            self.user(h_user, h_name, ["handler"], department=department)
            self.user(s_user, s_name, ["signer"], department=department)
        self.user("admin", "系统管理员", ["admin"])
        self.user("security", "安全管理员", ["security_admin"])
        self.user("auditor", "审计管理员", ["audit_admin"])
        self.user("clerk_zx", "孙丽", ["clerk"], body="cppcc")
        self.user("clerk_rd", "周敏", ["clerk"], body="npc")
        for body, people, groups in (("cppcc", catalog.CPPCC_MEMBERS, catalog.CPPCC_GROUPS),
                                     ("npc", catalog.NPC_DEPUTIES, [])):
            for name, affiliation, username in people:
                if username:
                    user = self.user(username, name, ["member"], body=body)
                    user.member.affiliation = affiliation
                else:
                    db.session.add(Member(body=body, kind="person", name=name, affiliation=affiliation))
            for name, affiliation, group_kind in groups:
                db.session.add(Member(body=body, kind="group", name=name, affiliation=affiliation, group_kind=group_kind))
        # namesakes, told apart by 界别 and unit, and a name published masked
        for name, affiliation, unit in catalog.CPPCC_NAMESAKES:
            db.session.add(Member(body="cppcc", kind="person", name=name, affiliation=affiliation, unit=unit))
        db.session.flush()

    def sitting(self, body, year, opened_on, days=4, **settings):
        if body == "cppcc":
            name = f"市政协十五届{CN_DIGITS[year - 2021]}次会议"
        else:
            name = f"市十六届人大{CN_DIGITS[year - 2020]}次会议"
        existing = db.session.scalar(select(Sitting).where(Sitting.name == name))
        if existing:
            return existing
        settings = {"joint_salutation": JOINT_SALUTATION_OF_BODY[body], **settings}
        sitting = Sitting(body=body, name=name, year=year, opened_on=opened_on,
                          closed_on=opened_on + timedelta(days=days - 1), **settings)
        db.session.add(sitting)
        db.session.flush()
        return sitting

    def member(self, body, name):
        return db.session.scalar(select(Member).where(Member.body == body, Member.name == name))

    # -- playing a case ------------------------------------------------------------------------
    def register(self, sitting, number, title, content, category, lead, cosigners, day, key=False, wish="public",
                 **more):
        period = "session" if sitting.closed_on is None or day <= sitting.closed_on else "recess"
        content = content or self.content_for(title)
        with self.at(day, 9):
            return submission_service.register_submission(self.clerk_for(sitting), submission_service.SubmissionData(
                sitting=sitting, kind=sitting.submission_kind, number=number, title=title, content=content,
                category=self.categories[category], submitted_on=day, is_key=key, disclosure_wish=wish,
                lead=lead, cosigners=cosigners, period=period, **more))

    def draft(self, assignment, day, **fields):
        handler = self.handler_of(assignment.department)
        with self.at(day):
            data = reply_service.draft_defaults(handler, assignment, assignment.current_reply
                                                if assignment.current_reply and assignment.round > 1 else None)
            data.update(fields)
            reply_service.save_draft(handler, assignment, data)

    def seed_cases(self):
        # the real 0294 reply answers its lead for all three proposers: 曹留俊委员：… 你们提出的…
        cppcc = self.sitting("cppcc", 2025, date(2025, 1, 8), joint_salutation="lead")
        npc = self.sitting("npc", 2025, date(2025, 1, 12))
        talent, scitech, hrss = self.departments[0], self.departments[2], self.departments[1]

        # 市政协十五届四次会议 提案第0294号: the real reply 常人才办〔2025〕24号
        lead = self.member("cppcc", "曹留俊")
        cosigners = [self.member("cppcc", "冯建国"), self.member("cppcc", "许振宇")]
        s = self.register(cppcc, "0294", "关于广纳海外高层次人才，赋能区域经济高质量发展的建议",
                          "海外高层次人才是推动区域经济高质量发展的重要力量。当前我市在海外引才渠道、平台载体、"
                          "服务保障等方面仍有提升空间。\n一、拓宽海外引才渠道，用好海外联谊组织和市场化机构。\n"
                          "二、建强海外平台载体，做大做强国际合作园区和离岸创新中心。\n"
                          "三、优化人才服务，解决海外人才在出入境、医疗、子女入学等方面的后顾之忧。",
                          "经济", lead, cosigners, date(2025, 1, 10), key=True, wish="not_public")
        self._accept_and_assign(s, date(2025, 1, 20), date(2025, 3, 18), "lead", [talent, scitech],
                                due=date(2025, 6, 18))
        # a 重点提案 with its 督办: the leader, the office, a visit
        clerk = self.clerk_for(cppcc)
        with self.at(date(2025, 3, 19)):
            supervision_service.set_supervision(clerk, s, True, "市政协副主席 王建国", "市委人才办")
        with self.at(date(2025, 5, 8)):
            supervision_service.record_supervision(
                clerk, s, "visit", date(2025, 5, 8), "王建国副主席带队赴中以常州创新园调研海外人才引进工作，"
                "听取市委人才办、市科技局办理情况汇报。")
        main, co = s.assignments
        paragraphs = reply_paragraphs(seed_text("reply_0294.txt"), "曹留俊委员：", "签发人：")
        self._handle(main, date(2025, 3, 20), contact=(date(2025, 4, 15), "phone",
                                                       "电话联系曹留俊委员，介绍海外引才工作思路，听取意见建议。"))
        self._ack(co, date(2025, 3, 21))
        with self.at(date(2025, 4, 25)):
            assignment_service.submit_opinion(self.handler_of(scitech), co,
                                              "我局将继续实施“揭榜挂帅”科技攻关，深化国际科技创新合作“一区一名片”建设，"
                                              "支持中以常州创新园等国际合作园区引进海外人才。")
        self.draft(main, date(2025, 5, 20), answer_class="A", disclosure="not_public", doc_number="常人才办〔2025〕24号",
                   body="\n".join(paragraphs), signer_name="吴寅", handler_name="罗杨", phone="15951228660",
                   cc="市委办公室、市政协提案委", issue_date=date(2025, 6, 16))
        self._signoff_and_deliver(main, date(2025, 6, 10), date(2025, 6, 16), date(2025, 6, 17))

        # 市十六届人大五次会议 第0078号建议: published reply of 2025年8月25日
        lead = self.member("npc", "陈姝伃")
        s = self.register(npc, "0078", "关于加强海外留学人才引进权益工作的建议",
                          "建议围绕海外留学人才的就业岗位供给、实习留用、补贴支持和专属服务通道，"
                          "系统保障归国留学人才的引进权益。", "经济", lead, [], date(2025, 1, 15))
        self._accept_and_assign(s, date(2025, 2, 5), date(2025, 6, 3), "lead", [hrss])
        main = s.assignments[0]
        self._handle(main, date(2025, 6, 5), contact=(date(2025, 7, 10), "visit",
                                                      "走访陈姝伃代表，沟通海外留学人才引进权益保障的具体举措。"))
        paragraphs = reply_paragraphs(seed_text("reply_0078.txt"), "陈姝伃代表:", "南通市人力资源和社会保障局\n\n2025年")
        self.draft(main, date(2025, 8, 10), answer_class="B", disclosure="public", doc_number="通人社〔2025〕112号",
                   body="\n".join(paragraphs), signer_name="钱建华", handler_name="顾晓燕",
                   issue_date=date(2025, 8, 25))
        self._signoff_and_deliver(main, date(2025, 8, 20), date(2025, 8, 25), date(2025, 8, 26))

    def varied_cases(self):
        """Submissions as real offices hold them: namesakes, a collective proposal, a masked name,
        "等5名代表", codes for numbers and an item published without one."""
        cppcc = self.sitting("cppcc", 2025, date(2025, 1, 8))
        npc = self.sitting("npc", 2025, date(2025, 1, 12))
        talent, scitech = self.departments[0], self.departments[2]
        wang = db.session.scalar(select(Member).where(Member.name == "王伟", Member.unit == "常州大学"))
        self.register(cppcc, "0012", "关于建设高校科技成果转化中试基地的建议", None,
                      "科教", wang, [self.member("cppcc", "殷俊")], date(2025, 1, 9))
        # a collective proposal of this year, being answered: 九三学社常州市委： … 贵会提出的…
        current = self.sitting("cppcc", (self.today - timedelta(days=200)).year, None)
        group, day = self.member("cppcc", "九三学社常州市委"), self.today - timedelta(days=40)
        s = self.register(current, None, "关于加快集聚青年科技人才的提案", None, "科教", group, [], day, key=True)
        self._accept_and_assign(s, day + timedelta(days=5), day + timedelta(days=10), "lead", [scitech, talent])
        self._handle(s.assignments[0], day + timedelta(days=12))
        self.draft(s.assignments[0], day + timedelta(days=30), answer_class="B", body=self.body_for(s))
        self.register(cppcc, None, "关于规范医疗机构检查检验结果互认的建议", None,
                      "社会", self.member("cppcc", "许**"), [self.member("cppcc", "钱立新")], date(2025, 1, 10))
        self.register(npc, "0105", "关于加快江海联运港区集疏运体系建设的建议",
                      self.content_for("关于加快江海联运港区集疏运体系建设的建议"), "城建",
                      self.member("npc", "王建平"), [self.member("npc", "刘晓梅")], date(2025, 1, 14), proposer_count=5)
        recess = db.session.scalar(select(Sitting).where(Sitting.name == "市十六届人大五次会议闭会期间"))
        if recess is None:
            recess = Sitting(body="npc", name="市十六届人大五次会议闭会期间", year=2025, number_style="code",
                             number_width=0, auto_numbering="none", joint_salutation="each")
            db.session.add(recess)
            db.session.flush()
        self.register(recess, "2025D048", "关于完善城市社区嵌入式养老服务的建议",
                      self.content_for("关于完善城市社区嵌入式养老服务的建议"), "社会", self.member("npc", "吴海燕"),
                      [self.member("npc", "黄志强"), self.member("npc", "孙美玲")], date(2025, 6, 18))
        self.register(recess, None, "关于加强农村寄递物流网点建设的建议", None,
                      "农业", self.member("npc", "郭敏"), [], date(2025, 7, 2))

    def _accept_and_assign(self, s, accepted_on, assigned_on, mode, departments, due=None):
        clerk = self.clerk_for(s.sitting)
        with self.at(accepted_on, 15):
            submission_service.accept(clerk, s)
        with self.at(assigned_on, 11):
            if mode == "split":
                assignment_service.assign(clerk, s, mode="split", split=departments, due_on=due)
            else:
                assignment_service.assign(clerk, s, mode="lead", lead=departments[0], co=departments[1:], due_on=due)

    def _ack(self, assignment, day):
        with self.at(day, 9):
            assignment_service.acknowledge(self.handler_of(assignment.department), assignment)

    def _handle(self, assignment, ack_day, contact=None):
        self._ack(assignment, ack_day)
        if contact:
            day, method, summary = contact
            with self.at(day, 16):
                assignment_service.record_contact(self.handler_of(assignment.department), assignment, day,
                                                  method, summary)

    def _signoff_and_deliver(self, assignment, submit_day, sign_day, deliver_day, reviewed=False):
        with self.at(submit_day, 17):
            reply_service.submit_for_signoff(self.handler_of(assignment.department), assignment)
        if sign_day:
            with self.at(sign_day, 10):
                reply_service.sign_reply(self.signer_of(assignment.department), assignment, "同意。")
        sitting = assignment.submission.sitting
        if sign_day and sitting.review_replies and (deliver_day or reviewed):
            with self.at(sign_day, 16):
                reply_service.pass_review(self.clerk_for(sitting), assignment, "格式规范，答复针对所提问题，已与提出人沟通。")
        if deliver_day:
            with self.at(deliver_day, 14):
                reply_service.deliver_reply(self.handler_of(assignment.department), assignment)

    # -- generated cases --------------------------------------------------------------------------
    SCENARIOS = (
        [("registered", d, None) for d in (0, 1, 1, 2, 3, 5)]
        + [("resubmitted", 12, None), ("returned", 6, None), ("returned", 9, None),
           ("rejected", 12, None), ("rejected", 15, None), ("converted", 14, None),
           ("merged", 10, None), ("merged", 11, None)]
        + [("accepted", d, None) for d in (3, 4, 6, 8)]
        + [("pending_ack", 0, "lead"), ("pending_ack", 1, "co"), ("pending_ack", 1, "split"),
           ("pending_ack", 2, "lead"), ("pending_ack", 3, "lead"), ("pending_ack", 96, "lead")]
        + [("adjustment_requested", 2, "lead"), ("adjustment_requested", 3, "co"), ("reassigned", 4, "lead")]
        + [("drafting", d, m) for d, m in ((10, "co"), (15, "lead"), (20, "lead"), (30, "split"), (45, "lead"),
                                           (60, "co"), (84, "lead"), (87, "co"), (89, "lead"))]
        + [("drafting", d, m) for d, m in ((95, "lead"), (100, "co"), (110, "split"), (120, "lead"))]
        + [("awaiting_signoff", d, m) for d, m in ((50, "lead"), (70, "co"), (85, "lead"), (93, "lead"))]
        + [("signed", 60, "lead"), ("approved", 62, "lead"), ("signed", 75, "co"), ("signed", 65, "lead")]
        + [("delivered", d, m) for d, m in ((50, "lead"), (60, "co"), (75, "split"), (90, "lead"), (100, "lead"))]
        + [("closed", d, m) for d, m in ((80, "lead"), (95, "co"), (100, "split"), (110, "lead"), (120, "co"),
                                         (130, "lead"), (140, "lead"), (150, "co"), (160, "lead"))]
        + [("dissatisfied", 70, "lead"), ("dissatisfied", 90, "co"), ("rehandling", 100, "lead"),
           ("rehandling", 120, "co")]
    )

    def generated_cases(self):
        start_year = (self.today - timedelta(days=200)).year
        # the 人大 sitting reviews signed replies before they go out (答复审核)
        sittings = {body: self.sitting(body, start_year, date(start_year, 1, 10), review_replies=body == "npc")
                    for body in ("cppcc", "npc")}
        topics = [t for pair in itertools.zip_longest(
            [("cppcc", *t) for t in catalog.PROPOSAL_TOPICS], [("npc", *t) for t in catalog.SUGGESTION_TOPICS])
            for t in pair if t]
        people = {
            "cppcc": [self.member("cppcc", n) for n, _, _ in catalog.CPPCC_MEMBERS]
            + [self.member("cppcc", n) for n, _, _ in catalog.CPPCC_GROUPS],
            "npc": [self.member("npc", n) for n, _, _ in catalog.NPC_DEPUTIES],
        }
        numbers = {body: itertools.count(1) for body in sittings}
        hosts = {}
        for i, ((body, title, category, dept_index), (stage, days_ago, mode)) in enumerate(
                zip(topics, self.SCENARIOS)):
            sitting = sittings[body]
            candidates = people[body][i % len(people[body]):] + people[body]
            rated = stage in ("closed", "dissatisfied", "rehandling")
            lead = next(m for m in candidates if m.kind == "person" or not rated)
            cosigners = [] if lead.kind == "group" else [
                m for m in self.rng.sample(people[body], 3) if m.id != lead.id and m.kind == "person"][: i % 3]
            number = next(numbers[body])
            if number in (78, 294):
                number = next(numbers[body])
            number = f"{number:04d}"
            assigned_on = self.today - timedelta(days=days_ago)
            submitted_on = assigned_on - timedelta(days=25 if mode else 0)
            s = self.register(sitting, number, title, self.content_for(title), category, lead, cosigners,
                              submitted_on, key=(i % 9 == 0), wish="not_public" if i % 7 == 0 else "public")
            self.play(s, stage, mode, assigned_on, dept_index, hosts)
            if s.state in ("registered", "accepted", "assigned"):
                hosts.setdefault(sitting.id, s)
        db.session.flush()

    @staticmethod
    def topic(title):
        return re.sub(r"^关于|的(建议|提案)$", "", title)

    def content_for(self, title):
        topic = self.topic(title)
        return (f"近年来，我市围绕“{topic}”做了大量工作，取得了一定成效，但仍存在统筹不够、投入不足、"
                f"政策落实不到位等问题，群众反映较多。\n"
                f"一、加强统筹协调。建议由市政府牵头建立工作专班，明确责任分工和时间节点。\n"
                f"二、加大政策支持。建议设立专项资金，完善配套政策，引导社会力量参与。\n"
                f"三、强化督查考核。建议将相关工作纳入年度考核，定期通报进展情况。")

    def body_for(self, s):
        topic, you = self.topic(s.title), reply_wording.you(s)
        return "\n".join([
            reply_wording.opening(s),
            f"近年来，我单位高度重视{topic}工作，结合{you}的建议，认真研究、积极推进，取得了阶段性成效。",
            "一、基本情况",
            "（一）完善工作机制。成立工作专班，明确责任分工，定期会商推进重点事项。",
            "（二）加大政策支持。出台配套政策措施，统筹安排专项资金，支持重点项目建设。",
            "二、下一步工作",
            "1. 持续加强统筹协调，推动各项措施落地见效。",
            "2. 主动加强与提出人的沟通联系，及时通报办理进展。",
            f"感谢{you}对{topic}工作的关心和支持。",
        ])

    def play(self, s, stage, mode, assigned_on, dept_index, hosts):
        clerk = self.clerk_for(s.sitting)
        submitted = s.submitted_on
        if stage == "registered":
            return
        if stage in ("returned", "resubmitted"):
            with self.at(submitted + timedelta(days=2)):
                submission_service.return_for_revision(clerk, s, "请补充具体的问题分析和可操作的建议措施。")
            if stage == "resubmitted":
                with self.at(submitted + timedelta(days=6)):
                    submission_service.resubmit(s.lead.user or clerk, s, s.title, s.content + "\n（已补充具体措施）",
                                                "已按要求补充")
            return
        if stage == "rejected":
            ground = db.session.scalars(select(RejectionGround).order_by(RejectionGround.position)).all()[3]
            with self.at(submitted + timedelta(days=3)):
                submission_service.reject(clerk, s, ground, "建议补充具体问题后以社情民意信息形式反映。")
            return
        if stage == "converted":
            with self.at(submitted + timedelta(days=3)):
                submission_service.convert(clerk, s, "内容适合作为意见转有关部门参考。")
            return
        if stage == "merged":
            host = hosts[s.sitting_id]
            with self.at(submitted + timedelta(days=2)):
                submission_service.merge(clerk, s, host.number, "内容相近，并案办理。")
            return
        with self.at(submitted + timedelta(days=5), 15):
            submission_service.accept(clerk, s)
        if stage == "accepted":
            return
        departments = self.departments
        main = departments[dept_index]
        other = departments[(dept_index + 3) % len(departments)]
        plan = {"lead": [main], "co": [main, other], "split": [main, other]}[mode]
        with self.at(assigned_on, 11):
            if mode == "split":
                assignment_service.assign(clerk, s, mode="split", split=plan)
            else:
                assignment_service.assign(clerk, s, mode="lead", lead=plan[0], co=plan[1:])
        if stage == "pending_ack":
            return
        if stage in ("adjustment_requested", "reassigned"):
            a = s.assignments[0]
            with self.at(assigned_on + timedelta(days=1)):
                assignment_service.request_adjustment(self.handler_of(a.department), a,
                                                      "该事项主要职能不在我单位，建议调整由更相关的单位主办。")
            if stage == "reassigned":
                with self.at(assigned_on + timedelta(days=2)):
                    assignment_service.grant_adjustment(clerk, a, departments[(dept_index + 5) % len(departments)])
            return
        day = lambda n: assigned_on + timedelta(days=n)  # noqa: E731
        answering = [a for a in s.assignments if a.answers]
        for a in s.assignments:
            self._ack(a, day(2))
        for a in answering:
            if self.today >= day(10):
                with self.at(day(10), 16):
                    assignment_service.record_contact(self.handler_of(a.department), a, day(10), "phone",
                                                      self.rng.choice(catalog.CONTACT_SUMMARIES))
        for a in s.assignments:
            if a.role == "co" and self.today >= day(20):
                with self.at(day(20)):
                    assignment_service.submit_opinion(self.handler_of(a.department), a,
                                                      "我单位将积极配合主办单位做好相关工作，具体意见如下：加强部门协同，"
                                                      "按职责抓好落实。")
        if stage == "drafting" and self.today < day(35):
            return
        for a in answering:
            self.draft(a, day(30), answer_class=self.rng.choice("AAB"), body=self.body_for(s))
        if stage == "drafting":
            return
        for a in answering:
            self._signoff_and_deliver(a, day(40), day(44) if stage != "awaiting_signoff" else None,
                                      day(46) if stage not in ("awaiting_signoff", "signed", "approved") else None,
                                      reviewed=stage == "approved")
        if stage in ("awaiting_signoff", "signed", "approved", "delivered"):
            return
        member_user = s.lead.user
        if member_user is None:  # the demo's proposers without a login rate through their own account later
            member_user = self.user(f"m{s.lead.id:04d}", s.lead.name, ["member"], body=s.sitting.body,
                                    member_name=s.lead.name) if s.lead.kind == "person" else None
        if member_user is None:
            return
        satisfied = stage == "closed"
        for a in answering:
            with self.at(day(55), 20):
                feedback_service.give_feedback(
                    member_user, a, "satisfied" if satisfied else "basically_satisfied",
                    "satisfied" if satisfied else "dissatisfied",
                    self.rng.choice(catalog.FEEDBACK_COMMENTS) if satisfied else "答复措施不够具体，希望进一步研究落实。")
        if stage == "rehandling":
            for a in answering:
                with self.at(day(58)):
                    feedback_service.order_rehandling(clerk, a, comment="请进一步研究，提出具体可行的措施。")


def load_demo(today: date | None = None, out=print) -> Demo:
    demo = Demo(today or clock.today(), out)
    demo.base()
    demo.seed_cases()
    demo.generated_cases()
    demo.varied_cases()
    online_cases(demo)
    follow_ups(demo)
    return demo


LOGINS = [
    ("系统管理员", "admin"),
    ("安全管理员（授权管理）", "security"),
    ("审计管理员（安全审计日志）", "auditor"),
    ("政协提案委工作人员", "clerk_zx"),
    ("人大代表工委工作人员", "clerk_rd"),
    ("经办人（市委人才办）", "luoyang"),
    ("签发人（市委人才办）", "wuyin"),
    ("委员（曹留俊）", "caoliujun"),
    ("代表（陈姝伃）", "chenshuyu"),
]


def print_logins(out=print):
    out("演示账号（密码均为 %s）：" % catalog.PASSWORD)
    for role, username in LOGINS:
        out(f"  {role:<16} {username}")


def count_submissions() -> int:
    return db.session.scalar(select(func.count(Submission.id)))
