"""短信提醒 through the office's HTTP gateway (tests.conftest.SmsGateway on 127.0.0.1): queued in the outbox with
the change, sent once, retried through an outage without loss or doubles, off when not configured."""
from datetime import timedelta

from sqlalchemy import select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import OutboxMessage
from replyflow.notifications import outbox, reminders
from replyflow.notifications import sms as sms_module
from replyflow.services import replies

from .factories import make_case


def _texts():
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms")
                              .order_by(OutboxMessage.id)).all()


def _deliver(world):
    case = make_case(world, "signed")
    replies.deliver_reply(world.handler, case.assignments[0])
    db.session.commit()
    return case


def _later(minutes):
    """The clock `minutes` on (frozen() takes Beijing time)."""
    return clock.frozen(clock.to_local(clock.now_utc() + timedelta(minutes=minutes)).replace(tzinfo=None))


def test_the_answer_notice_goes_by_sms_once(world, sms):
    world.member_user.mobile = "13812345678"
    db.session.commit()
    _deliver(world)
    queued = _texts()
    assert [(m.to_address, m.user_id) for m in queued] == [("13812345678", world.member_user.id)]
    assert outbox.drain() == {"sent": 1, "failed": 0, "retry": 0}
    assert outbox.drain() == {"sent": 0, "failed": 0, "retry": 0}     # nothing goes twice
    (method, fields), = sms.requests
    assert method == "POST" and fields["mobile"] == "13812345678" and fields["msgid"] == f"rf{queued[0].id}"
    assert fields["content"].startswith("【市政协】") and "已答复您的提案第0294号，请查阅并评价" in fields["content"]
    db.session.expire_all()
    assert _texts()[0].status == "sent"


def test_an_outage_is_retried_without_loss_or_doubles(world, sms):
    world.member_user.mobile = "13812345678"
    db.session.commit()
    _deliver(world)
    sms.outage = 1
    assert outbox.drain() == {"sent": 0, "failed": 0, "retry": 1}
    db.session.expire_all()
    message = _texts()[0]
    assert (message.status, message.attempts) == ("pending", 1) and "503" in message.last_error
    assert outbox.drain()["sent"] == 0           # not due again before its backoff
    with _later(2):
        assert outbox.drain() == {"sent": 1, "failed": 0, "retry": 0}
    assert len(sms.requests) == 2 and len(sms.texts) == 1


def test_an_answer_lost_on_the_way_is_sent_again_with_the_same_key(world, sms):
    world.member_user.mobile = "13812345678"
    db.session.commit()
    _deliver(world)
    sms.silent = 1          # the gateway takes it, its answer never arrives in time
    assert outbox.drain()["retry"] == 1
    with _later(2):
        assert outbox.drain()["sent"] == 1
    keys = [fields["msgid"] for _, fields in sms.requests]
    assert len(keys) == 2 and len(set(keys)) == 1           # the same key both times ...
    assert len(sms.texts) == 1                                # ... so the member got one text


def test_an_unreachable_gateway_leaves_the_rest_pending_without_a_try(world, sms, app):
    for user, number in ((world.member_user, "13812345678"), (world.cosigner_user, "13912345678")):
        user.mobile = number
    db.session.commit()
    _deliver(world)
    app.config["SMS_URL"] = "http://127.0.0.1:9/nothing-listens-here"
    assert outbox.drain() == {"sent": 0, "failed": 0, "retry": 1}
    db.session.expire_all()
    assert sorted(m.attempts for m in _texts()) == [0, 1] and {m.status for m in _texts()} == {"pending"}
    app.config["SMS_URL"] = sms.url
    with _later(2):
        assert outbox.drain()["sent"] == 2
    assert len(sms.texts) == 2


def test_opted_out_or_without_a_number_gets_no_sms(world, sms):
    world.member_user.mobile, world.member_user.sms_enabled = "13812345678", False
    db.session.commit()
    _deliver(world)
    assert _texts() == []


def test_off_when_not_configured_and_the_admin_page_says_so(world, browser):
    world.member_user.mobile = "13812345678"
    db.session.commit()
    _deliver(world)
    assert _texts() == []
    page = browser("admin").get("/admin/mail").text
    assert "短信未启用" in page and "REPLYFLOW_SMS_URL" in page


def test_the_admin_page_shows_the_gateway_when_on(world, browser, sms):
    page = browser("admin").get("/admin/mail").text
    assert "短信未启用" not in page and sms.url in page


def test_reminders_go_by_sms_to_the_handler(world, sms):
    world.handler.mobile = "13700001111"
    case = make_case(world, "acknowledged")
    db.session.commit()
    due = case.assignments[0].due_on
    reminders.scan(today=due - timedelta(days=3))
    (text,) = [m for m in _texts() if m.user_id == world.handler.id]
    assert "提案第0294号办理答复还剩3天" in text.body and "退订" in text.body
    assert outbox.drain()["sent"] >= 1


def test_a_json_template_and_get_method(app):
    settings = sms_module.SmsSettings(url="http://gw.example/api", method="GET",
                                      params="account=rf&mobile={mobile}&content={content}&serial={key}")
    request = sms_module.build_request(settings, "13812345678", "答复：第0294号 & 其他", "rf7")
    assert request.get_method() == "GET" and "content=%E7%AD%94" in request.full_url and "%26" in request.full_url
    settings = sms_module.SmsSettings(url="http://gw.example/api", params='{"to":"{mobile}","text":"{content}","id":"{key}"}',
                                      signature="【市人大】")
    request = sms_module.build_request(settings, "13812345678", '他说"好"\n', "rf8")
    import json

    assert json.loads(request.data) == {"to": "13812345678", "text": '【市人大】他说"好"\n', "id": "rf8"}


def test_my_settings_take_a_mobile_number_or_explain(world, browser):
    me = browser("caoliujun")
    page = me.get("/account")
    assert "手机号码" in page.text and "尚未接入短信平台" in page.text
    response = me.post("/account", {"email": "", "mobile": "1381234", "sms_enabled": "y"})
    assert "手机号码应为 11 位数字" in response.text
    db.session.expire_all()
    assert world.member_user.mobile is None
    me.post("/account", {"email": "", "mobile": "+86 138-1234-5678"})
    db.session.expire_all()
    assert (world.member_user.mobile, world.member_user.sms_enabled) == ("13812345678", False)
