"""E-mail through a real SMTP server on localhost (aiosmtpd): delivery, outage, retry, none lost or doubled."""
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from aiosmtpd.controller import Controller
from sqlalchemy import select

from replyflow import clock, jobs
from replyflow.extensions import db
from replyflow.models import OutboxMessage
from replyflow.notifications.outbox import BACKOFF_MINUTES, MAX_ATTEMPTS, drain

from .factories import make_case


@contextmanager
def mail_off(app):
    """Set a case up without e-mail, so a test sees only the e-mails of what it does next."""
    host, app.config["SMTP_HOST"] = app.config["SMTP_HOST"], ""
    try:
        yield
    finally:
        app.config["SMTP_HOST"] = host


def at(day, hour=8, minute=30):
    return clock.frozen(datetime.combine(day, time(hour, minute)))


def test_reminder_e_mails_arrive_in_chinese(world, ctx, smtp, app):
    with at(date(2025, 3, 18), 10), mail_off(app):
        make_case(world, "acknowledged")
    db.session.commit()
    with at(date(2025, 6, 11)):
        queued, sent, failed = jobs.run_once(echo=lambda *_: None)
    assert (queued, sent, failed) == (1, 1, 0)
    (recipients, message), = smtp["inbox"].messages
    assert recipients == ["luoyang@example.com"]
    assert message["Subject"] == "【提醒】市政协十五届四次会议提案第0294号：办理答复还剩7天"
    assert "noreply@replyflow.test" in message["From"]
    body = message.get_content()
    for expected in ("市政协十五届四次会议 提案第0294号《关于广纳海外高层次人才，赋能区域经济高质量发展的建议》",
                     "承办单位：中共常州市委人才工作领导小组办公室（主办）", "事项：办理答复",
                     "期限：2025年6月18日（还剩7天）", "https://tajy.example.gov.cn/submissions/1"):
        assert expected in body, expected
    # overdue: the signers and the clerk get it too
    with at(date(2025, 6, 21)):
        jobs.run_once(echo=lambda *_: None)
    overdue = [(r, m) for r, m in smtp["inbox"].messages if "已超期3天" in m["Subject"]]
    assert sorted(r[0] for r, _ in overdue) == ["both@example.com", "clerk_zx@example.com", "luoyang@example.com",
                                               "wuyin@example.com"]


def test_users_may_switch_e_mail_off_and_e_mail_off_means_in_app_only(world, browser, ctx, smtp, app):
    handler = browser("luoyang")
    handler.submit("/account", "/account", {"email": "luoyang@example.com", "new_password": ""})  # box unticked
    db.session.expire_all()
    assert world.handler.email_enabled is False
    with at(date(2025, 3, 18), 10), mail_off(app):
        make_case(world, "acknowledged")
    db.session.commit()
    with at(date(2025, 6, 11)):
        assert jobs.run_once(echo=lambda *_: None) == (1, 0, 0)
    assert smtp["inbox"].messages == []
    app.config.update(SMTP_HOST="")
    assert "邮件未启用" in browser("admin").page("/admin/mail")


def test_urge_goes_by_e_mail_too(world, browser, smtp, ctx, app):
    with mail_off(app):
        s = make_case(world, "acknowledged")
    db.session.commit()
    browser("clerk_zx").submit(f"/submissions/{s.id}", f"/assignments/{s.assignments[0].id}/urge",
                               {"comment": "请于本周内报送答复件。"})
    assert drain() == {"sent": 3, "failed": 0, "retry": 0}   # 罗杨, and the signers 吴寅 and 兼职
    subjects = {m["Subject"] for _, m in smtp["inbox"].messages}
    assert subjects == {"【催办】市政协十五届四次会议提案第0294号：关于广纳海外高层次人才，赋能区域经济高质量发展的建议"}
    assert all("催办意见：请于本周内报送答复件。" in m.get_content() for _, m in smtp["inbox"].messages)


def test_server_down_then_back_nothing_lost_nothing_doubled(world, ctx, smtp, app):
    with at(date(2025, 3, 18), 10), mail_off(app):
        make_case(world, "acknowledged")
    db.session.commit()
    smtp["controller"].stop()
    with at(date(2025, 6, 11)):
        assert jobs.run_once(echo=lambda *_: None) == (1, 0, 0)
    message = db.session.scalar(select(OutboxMessage))
    assert (message.status, message.attempts) == ("pending", 1) and "ConnectionRefused" in message.last_error
    # still down one minute later: the second try, then a longer wait
    with at(date(2025, 6, 11), 8, 32):
        assert drain()["retry"] == 1
    db.session.expire_all()
    assert message.attempts == 2
    with at(date(2025, 6, 11), 8, 33):
        assert drain() == {"sent": 0, "failed": 0, "retry": 0}  # not due again yet: backoff
    # the server comes back on the same port; the message goes out once, even if drained twice
    smtp["controller"] = Controller(smtp["inbox"], hostname="127.0.0.1", port=smtp["port"])
    smtp["controller"].start()
    with at(date(2025, 6, 11), 9, 0):
        assert drain()["sent"] == 1
        assert drain()["sent"] == 0
    assert len(smtp["inbox"].messages) == 1
    db.session.expire_all()
    assert (message.status, message.attempts) == ("sent", 3)


def test_after_the_last_try_a_message_is_failed_and_shown(world, ctx, smtp, browser, app):
    with at(date(2025, 3, 18), 10), mail_off(app):
        make_case(world, "acknowledged")
    db.session.commit()
    smtp["controller"].stop()
    moment = datetime.combine(date(2025, 6, 11), time(8, 30))
    with clock.frozen(moment):
        jobs.run_once(echo=lambda *_: None)
    for minutes in BACKOFF_MINUTES:
        moment += timedelta(minutes=minutes)
        with clock.frozen(moment):
            drain()
    message = db.session.scalar(select(OutboxMessage))
    db.session.refresh(message)
    assert (message.status, message.attempts) == ("failed", MAX_ATTEMPTS)
    page = browser("admin").page("/admin/mail")
    assert "luoyang@example.com" in page and "重新发送" in page
    smtp["controller"] = Controller(smtp["inbox"], hostname="127.0.0.1", port=smtp["port"])
    smtp["controller"].start()
    browser("admin").submit("/admin/mail", f"/admin/mail/{message.id}/retry")
    assert drain()["sent"] == 1 and len(smtp["inbox"].messages) == 1
