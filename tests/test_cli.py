"""The command line: flask demo (and --scale), flask create-user."""
from datetime import date, datetime

from sqlalchemy import func, select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import Assignment, Member, Reply, Submission, User
from replyflow.workflow.states import ASSIGNMENT_STATES, SUBMISSION_STATES


def run(app, *args, input=None):
    result = app.test_cli_runner().invoke(args=list(args), input=input)
    db.session.expire_all()
    return result


def test_demo_loads_seed_cases_and_every_state(app, ctx):
    with clock.frozen(date(2026, 11, 23)):
        result = run(app, "demo")
    assert result.exit_code == 0, result.output
    for username in ("admin", "clerk_zx", "luoyang", "wuyin", "caoliujun"):
        assert username in result.output
    assert db.session.scalar(select(func.count(Submission.id))) >= 62
    states = set(db.session.scalars(select(Submission.state)))
    assert states == set(SUBMISSION_STATES)
    assignment_states = set(db.session.scalars(select(Assignment.state)))
    assert assignment_states == set(ASSIGNMENT_STATES)
    assert {"lead", "co", "split"} <= set(db.session.scalars(select(Assignment.role)))

    # 0294 keeps the facts of the real reply 常人才办〔2025〕24号
    s = db.session.scalar(select(Submission).where(Submission.number == "0294"))
    reply = s.assignments[0].current_reply
    assert s.sitting.name == "市政协十五届四次会议" and s.lead.name == "曹留俊"
    assert s.assignments[0].department.name == "中共常州市委人才工作领导小组办公室"
    assert (reply.doc_number, reply.answer_class, reply.disclosure, reply.signer_name, reply.handler_name,
            reply.phone, reply.cc, reply.issue_date) == (
        "常人才办〔2025〕24号", "A", "not_public", "吴寅", "罗杨", "15951228660", "市委办公室、市政协提案委",
        date(2025, 6, 16))
    assert reply.signed_at and reply.delivered_at and reply.title == "关于对市政协十五届四次会议委员提案第0294号的答复"
    assert reply.body.startswith("你们提出的《关于广纳海外高层次人才，赋能区域经济高质量发展的建议》的提案收悉")
    assert "全市累计210人入选国家级重大人才A类工程" in reply.body  # the page break of the source is joined
    assert "《新赛道侨界创新人才资源索引》" in reply.body

    # 0078: delivered and public, dated 2025年8月25日
    s = db.session.scalar(select(Submission).where(Submission.number == "0078"))
    reply = s.assignments[0].current_reply
    assert s.sitting.name == "市十六届人大五次会议" and s.lead.name == "陈姝伃"
    assert s.assignments[0].department.name == "南通市人力资源和社会保障局"
    assert (reply.disclosure, reply.issue_date, reply.salutation) == ("public", date(2025, 8, 25), "陈姝伃代表：")
    assert reply.title == "对市十六届人大五次会议第0078号建议的答复" and reply.delivered_at

    # dates relative to the day of loading: due within days, and overdue
    days_left = [(a.due_on - date(2026, 11, 23)).days for a in db.session.scalars(
        select(Assignment).where(Assignment.state.in_(["pending_ack", "drafting", "awaiting_signoff"])))]
    assert any(0 <= d <= 7 for d in days_left) and any(d < 0 for d in days_left) and any(d > 60 for d in days_left)

    # loading twice changes nothing
    before = db.session.scalar(select(func.count(Submission.id)))
    result = run(app, "demo")
    assert result.exit_code == 0 and "已存在" in result.output
    assert db.session.scalar(select(func.count(Submission.id))) == before


def test_demo_scale_adds_submissions_in_bulk(app, ctx):
    result = run(app, "demo", "--scale", "500")
    assert result.exit_code == 0, result.output
    assert "500" in result.output
    assert db.session.scalar(select(func.count(Submission.id))) >= 566


def test_demo_loads_just_after_midnight(app, ctx):
    # five minutes before 00:02 is yesterday: today's steps must still fall today, before now
    with clock.frozen(datetime(2026, 12, 3, 0, 2)):
        result = run(app, "demo", "--scale", "50")
        assert result.exit_code == 0, result.output
        assert db.session.scalar(select(func.max(Submission.submitted_on))) <= clock.today()
        assert db.session.scalar(select(func.max(Submission.created_at))) <= clock.now_utc()
    assert db.session.scalar(select(func.count(Reply.id)).where(Reply.delivered_at.is_not(None))) >= 10


def test_create_user(app, ctx, world):
    result = run(app, "create-user", "--username", "newclerk", "--password", "Long-enough1", "--role", "clerk",
                 "--body", "政协", "--name", "新工作人员", "--email", "c@example.com")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "newclerk"))
    assert user.roles == {"clerk"} and user.body == "cppcc" and user.check_password("Long-enough1")

    result = run(app, "create-user", "--username", "dep", "--password", "Long-enough1", "--role", "handler",
                 "--role", "signer", "--department", "常州市教育局")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.username == "dep")).department.name == "常州市教育局"

    result = run(app, "create-user", "--username", "wei", "--role", "member", "--body", "人大", "--name", "魏代表",
                 input="Long-enough1\nLong-enough1\n")
    assert result.exit_code == 0, result.output
    member = db.session.scalar(select(Member).where(Member.name == "魏代表"))
    assert member.body == "npc" and member.user.username == "wei"

    result = run(app, "create-user", "--username", "x", "--password", "Long-enough1", "--role", "handler",
                 "--department", "不存在")
    assert result.exit_code != 0 and "没有名为" in result.output
    result = run(app, "create-user", "--username", "x", "--password", "short", "--role", "clerk")
    assert result.exit_code != 0 and "密码至少" in result.output
    result = run(app, "create-user", "--username", "newclerk", "--password", "Long-enough1", "--role", "clerk")
    assert result.exit_code != 0 and "已被使用" in result.output


def test_commands_without_schema_say_what_to_do(tmp_path):
    from replyflow import create_app
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0 and "db upgrade" in result.output


def test_reply_count_in_demo_matches_delivered(app, ctx):
    run(app, "demo")
    delivered = db.session.scalar(select(func.count(Reply.id)).where(Reply.delivered_at.is_not(None)))
    assert delivered >= 10


def test_reset_password_sets_one_under_the_rules_and_ends_lock_and_sessions(app, ctx, world, browser):
    from replyflow.auth import lockout
    from replyflow.models import LoginThrottle

    session = browser("luoyang")
    for _ in range(5):
        lockout.failed("luoyang")
    db.session.commit()
    result = run(app, "reset-password", "--username", "luoyang", "--password", "12345678")
    assert result.exit_code == 1 and "至少三类" in result.output
    result = run(app, "reset-password", "--username", "nobody", "--password", "Reset-pass-2025")
    assert result.exit_code == 1 and "没有用户名为「nobody」" in result.output
    # asked for (twice, not echoed) when --password is left out
    result = run(app, "reset-password", "--username", "luoyang", input="Reset-pass-2025\nReset-pass-2025\n")
    assert result.exit_code == 0, result.output
    assert "Reset-pass-2025" not in result.output
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.username == "luoyang")).check_password("Reset-pass-2025")
    assert db.session.get(LoginThrottle, "luoyang") is None
    assert session.client.get("/").status_code == 302   # the old session ended
    fresh = browser()
    fresh.login("luoyang", "Reset-pass-2025")


def test_demo_shows_follow_up_with_progress_and_a_second_answer(app, ctx):
    from replyflow.models import Assignment

    with clock.frozen(date(2026, 11, 23)):
        assert run(app, "demo").exit_code == 0
    real = db.session.scalar(select(Assignment).join(Submission).where(Submission.number == "0078"))
    assert real.follow_up == "open" and real.follow_up_last_on == date(2026, 3, 16) and len(real.progress) == 2
    solved = db.session.scalars(select(Assignment).where(Assignment.follow_up == "done")).all()
    assert len(solved) == 1 and solved[0].state == "closed" and solved[0].answer_class == "A"
    assert [r.second_answer for r in solved[0].replies] == [False, True]
    assert solved[0].current_reply.feedback is not None
