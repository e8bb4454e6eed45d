"""The outbox drain at volume, against a real SMTP server on localhost: one connection for many messages,
a refused recipient or a dropped connection costs only its own message, two drains never send one twice."""
import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import event, func, insert, select

from replyflow import clock
from replyflow.extensions import db
from replyflow.models import OutboxMessage
from replyflow.notifications import outbox
from replyflow.notifications.outbox import BACKOFF_MINUTES, drain

from .conftest import free_port


class Server:
    """Records each message with the connection (aiosmtpd session) it came over; refuses some recipients
    at RCPT; can drop the connection instead of answering the DATA of the n-th message."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received = []   # (recipient, session)
        self.refuse = set()
        self.drop_at = None
        self.data_commands = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_commands += 1
            if self.data_commands == self.drop_at:
                server.transport.close()   # as a server that went away mid-message: no 250, nothing kept
                return "421 4.3.0 closing"
            self.received.extend((r, session) for r in envelope.rcpt_tos)
        return "250 OK"

    @property
    def connections(self):
        return len({id(session) for _, session in self.received})

    @property
    def per_recipient(self):
        return Counter(r for r, _ in self.received)


@pytest.fixture
def server(app):
    handler = Server()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SECURITY="none",
                      MAIL_SENDER="提案建议办理系统 <noreply@replyflow.test>")
    handler.controller, handler.port = controller, port
    yield handler
    handler.controller.stop()
    app.config.update(SMTP_HOST="")


def queue(n):
    now = clock.now_utc()
    db.session.execute(insert(OutboxMessage), [dict(
        to_address=f"user{i:04d}@example.com", subject=f"【提醒】第{i:04d}号", body="请登录系统查看。",
        status="pending", attempts=0, next_attempt_at=now, created_at=now) for i in range(n)])
    db.session.commit()
    return [f"user{i:04d}@example.com" for i in range(n)]


def messages():
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_many_messages_go_over_one_connection_with_a_commit_a_batch(ctx, server):
    addresses = queue(250)
    commits = []
    listener = lambda session: commits.append(1)  # noqa: E731
    event.listen(db.session(), "after_commit", listener)
    try:
        assert drain() == {"sent": 250, "failed": 0, "retry": 0}
    finally:
        event.remove(db.session(), "after_commit", listener)
    assert server.per_recipient == Counter(addresses)
    assert server.connections == 1
    # the stale-claim sweep, then a claim and a result for each of the 3 batches: not one per message
    assert len(commits) == 1 + 2 * 3
    assert {(m.status, m.attempts) for m in messages()} == {("sent", 1)}


def test_a_refused_recipient_in_the_middle_is_retried_alone(ctx, server):
    with clock.frozen(datetime(2025, 6, 11, 8, 30)):
        addresses = queue(5)
        server.refuse = {addresses[2]}
        assert drain() == {"sent": 4, "failed": 0, "retry": 1}
        moment = clock.now_utc()
    assert server.per_recipient == Counter(addresses[:2] + addresses[3:])
    assert server.connections == 1   # the refusal did not cost the connection
    refused = messages()[2]
    assert (refused.status, refused.attempts) == ("pending", 1)
    assert refused.next_attempt_at == moment + timedelta(minutes=BACKOFF_MINUTES[0])
    assert "SMTPRecipientsRefused" in refused.last_error and "mailbox unavailable" in refused.last_error
    assert [m.status for m in messages()] == ["sent", "sent", "pending", "sent", "sent"]
    # accepted at the next try, once its backoff is over
    server.refuse = set()
    with clock.frozen(datetime(2025, 6, 11, 8, 30 + BACKOFF_MINUTES[0])):
        assert drain() == {"sent": 1, "failed": 0, "retry": 0}
    assert server.per_recipient == Counter(addresses)


def test_a_connection_dropped_mid_batch_is_opened_again_once(ctx, server):
    addresses = queue(6)
    server.drop_at = 3
    assert drain() == {"sent": 6, "failed": 0, "retry": 0}
    assert server.per_recipient == Counter(addresses)   # the third went out on the new connection, once
    assert server.connections == 2
    assert {(m.status, m.attempts, m.last_error) for m in messages()} == {("sent", 1, None)}


def test_an_unreachable_server_costs_one_try_and_leaves_the_rest_pending(ctx, server):
    queue(150)
    server.controller.stop()
    assert drain() == {"sent": 0, "failed": 0, "retry": 1}
    first, *rest = messages()
    assert (first.status, first.attempts) == ("pending", 1) and "ConnectionRefused" in first.last_error
    assert {(m.status, m.attempts, m.claimed_at) for m in rest} == {("pending", 0, None)}
    server.controller = Controller(server, hostname="127.0.0.1", port=server.port)
    server.controller.start()
    assert drain() == {"sent": 149, "failed": 0, "retry": 0}   # the first waits for its backoff


def test_two_drains_at_once_never_send_a_message_twice(app, ctx, server, monkeypatch):
    monkeypatch.setattr(outbox, "BATCH", 10)   # many small claims, so the two drains interleave
    addresses = queue(300)
    db.session.remove()
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        with app.app_context():
            try:
                start.wait()
                results.append(drain())
            except Exception as exc:  # reported below: an exception in a thread would be lost
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sum(r["sent"] for r in results) == 300 and not any(r["retry"] or r["failed"] for r in results)
    assert server.per_recipient == Counter(addresses)   # every one exactly once
    assert db.session.scalar(select(func.count()).where(OutboxMessage.status != "sent")) == 0


def test_an_address_beyond_ascii_goes_out_by_smtputf8(ctx, server):
    queue(2)
    db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.id == messages()[0].id)
                       .values(to_address="罗杨@例子.中国"))
    db.session.commit()
    assert drain() == {"sent": 2, "failed": 0, "retry": 0}
    assert server.per_recipient == Counter(["罗杨@例子.中国", "user0001@example.com"])
    assert server.connections == 1
