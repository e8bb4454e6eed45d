"""Reminders: a fixed clock walking a case through its life, the CLI, the scheduler, exactly once."""
import threading
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from replyflow import clock, jobs
from replyflow.extensions import db
from replyflow.models import Notification, Reminder, User
from replyflow.notifications import reminders
from replyflow.services import assignments as assignment_service
from replyflow.services import replies as reply_service

from .conftest import ON_POSTGRES
from .factories import make_case


def at(day, hour=10):
    return clock.frozen(datetime.combine(day, time(hour)))


def scan_on(day):
    with at(day, 8):
        return reminders.scan()


def test_a_case_walked_day_by_day_gets_the_right_reminders(world, ctx):
    w = world
    with at(date(2025, 3, 18)):
        s = make_case(w, "assigned", mode="co")   # reply due 6-18, 会办意见 due 4-18
    lead, co = s.assignments
    db.session.commit()
    actions = {
        date(2025, 3, 20): lambda: (assignment_service.acknowledge(w.handler, lead),
                                    assignment_service.acknowledge(w.co_handler, co)),
        date(2025, 4, 16): lambda: assignment_service.submit_opinion(w.co_handler, co, "会办意见"),
        date(2025, 6, 20): lambda: _draft_and_send(w, lead),
        date(2025, 6, 28): lambda: reply_service.sign_reply(w.signer, lead),
        date(2025, 6, 29): lambda: reply_service.deliver_reply(w.handler, lead),
    }
    seen = {}
    day = date(2025, 3, 18)
    while day <= date(2025, 7, 31):
        queued = scan_on(day)
        if queued:
            seen[day] = {q.key.split(":")[0] + ":" + q.key.split(":")[2]: set(q.recipients) for q in queued}
        if day in actions:
            with at(day):
                actions[day]()
            db.session.commit()
        day += timedelta(days=1)

    late = {"罗杨", "吴寅", "兼职", "孙丽"}   # overdue: the handler, the department's signers, the clerk
    assert seen == {
        date(2025, 4, 3): {"opinion:before-15": {"张磊"}},
        date(2025, 4, 11): {"opinion:before-7": {"张磊"}},
        date(2025, 4, 15): {"opinion:before-3": {"张磊"}},
        date(2025, 6, 3): {"reply:before-15": {"罗杨"}},
        date(2025, 6, 11): {"reply:before-7": {"罗杨"}},
        date(2025, 6, 15): {"reply:before-3": {"罗杨"}},
        date(2025, 6, 17): {"reply:before-1": {"罗杨"}},
        date(2025, 6, 18): {"reply:due": {"罗杨"}},
        date(2025, 6, 21): {"reply:overdue-3": late},
        date(2025, 6, 24): {"reply:overdue-6": late},
        date(2025, 6, 27): {"reply:overdue-9": late, "signoff:due": {"吴寅", "兼职"}},
        date(2025, 7, 14): {"feedback:after-15": {"曹留俊"}},
    }
    # the in-app side: the handler's bell shows them, in Chinese, with the due date
    messages = db.session.scalars(select(Notification.message).where(
        Notification.user_id == w.handler.id, Notification.message.like("提醒%"))).all()
    assert "提醒：市政协十五届四次会议 提案第0294号办理答复还剩7天（期限2025年6月18日）" in messages
    assert "提醒：市政协十五届四次会议 提案第0294号办理答复已超期3天（期限2025年6月18日）" in messages


def _draft_and_send(w, assignment):
    data = reply_service.draft_defaults(w.handler, assignment)
    data.update(answer_class="A", body="答复正文", signer_name="吴寅", handler_name="罗杨", phone="1")
    reply_service.save_draft(w.handler, assignment, data)
    reply_service.submit_for_signoff(w.handler, assignment)


def test_a_missed_day_is_caught_up_once(world, ctx):
    with at(date(2025, 3, 18)):
        make_case(world, "acknowledged")
    db.session.commit()
    assert [q.key for q in scan_on(date(2025, 6, 13))] == ["reply:1:before-7:2025-06-18"]  # 6-11 was missed
    assert scan_on(date(2025, 6, 13)) == [] and scan_on(date(2025, 6, 14)) == []
    assert [q.key for q in scan_on(date(2025, 6, 15))] == ["reply:1:before-3:2025-06-18"]


def test_an_extension_starts_new_reminders(world, ctx):
    from replyflow.services import deadlines as deadline_service
    with at(date(2025, 3, 18)):
        s = make_case(world, "acknowledged")
    a = s.assignments[0]
    db.session.commit()
    assert len(scan_on(date(2025, 6, 18))) == 1
    with at(date(2025, 6, 18)):
        deadline_service.request_extension(world.handler, a, date(2025, 7, 18), "调研")
        deadline_service.grant_extension(world.clerk, a)
    db.session.commit()
    assert scan_on(date(2025, 6, 21)) == []  # no "overdue" any more
    assert [q.key for q in scan_on(date(2025, 7, 3))] == ["reply:1:before-15:2025-07-18"]


def test_a_rating_is_asked_for_only_within_the_feedback_period(world, ctx):
    """A reply delivered on 6-29 is rated within a month (the sitting's feedback_months): a scan that first
    runs after 7-29 (a server down for weeks, or an office bringing in past years) asks nobody to rate it."""
    with at(date(2025, 6, 29)):
        make_case(world, "delivered", number=10)
        make_case(world, "delivered", number=11)
    db.session.commit()
    assert scan_on(date(2025, 7, 13)) == []   # 14 days: not yet
    assert [q.key.split(":")[2] for q in scan_on(date(2025, 7, 29))] == ["after-15", "after-15"]
    db.session.execute(db.delete(Reminder))
    db.session.commit()
    assert scan_on(date(2025, 7, 30)) == []   # the period is over: forgotten, not nagged years later


def test_reminders_run_command(app, world, ctx):
    with at(date(2025, 3, 18)):
        make_case(world, "acknowledged")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reminders", "run", "--today", "2025-06-11"])
    assert result.exit_code == 0, result.output
    assert "queued reply:1:before-7:2025-06-18 → 罗杨" in result.output
    assert result.output.strip().splitlines()[-1] == "queued 1, sent 0, failed 0"
    again = runner.invoke(args=["reminders", "run", "--today", "2025-06-11"])
    assert again.output.strip().splitlines()[-1] == "queued 0, sent 0, failed 0"


def test_demo_has_reminders_due_on_the_day_it_is_loaded(app, ctx):
    with clock.frozen(date(2026, 11, 23)):
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        queued = reminders.scan()
    kinds = {q.key.split(":")[2].split("-")[0] for q in queued}
    assert {"before", "overdue"} <= kinds or {"due", "overdue"} <= kinds
    assert all(u.email for u in db.session.scalars(select(User)) if u.has_role("handler", "signer", "clerk"))


def test_scheduler_jobs(app):
    scheduler = jobs.build_scheduler(app, background=True)
    by_id = {job.id: job for job in scheduler.get_jobs()}
    assert "reminder-scan" in by_id and "outbox-drain" in by_id
    trigger = by_id["reminder-scan"].trigger
    assert str(trigger) == "cron[hour='8', minute='30']" and str(trigger.timezone) == "Asia/Shanghai"
    assert by_id["outbox-drain"].trigger.interval == timedelta(minutes=1)
    assert str(by_id["planner-statistics"].trigger) == "cron[hour='3', minute='30']"


def test_the_nightly_job_gives_the_planner_its_statistics(world, ctx):
    from sqlalchemy import text

    from replyflow.maintenance import refresh_planner_statistics

    make_case(world, "assigned")
    db.session.commit()
    refresh_planner_statistics()
    if ON_POSTGRES:
        assert db.session.scalar(text("SELECT last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL "
                                      "FROM pg_stat_user_tables WHERE relname = 'submission'"))
    else:
        assert db.session.scalar(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'submission'")) > 0


def test_two_scans_at_once_queue_each_reminder_once(app, world, ctx):
    """Two scans started together on the same database (SQLite or PostgreSQL): each reminder once."""
    with at(date(2025, 3, 18)):
        for number in range(1, 13):
            make_case(world, "acknowledged", number=number, mode="co" if number % 2 else "lead")
    db.session.commit()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                barrier.wait()
                results.append(reminders.scan())   # 会办意见 before-7 and nothing else
                db.session.remove()
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    with at(date(2025, 4, 11), 8):  # frozen here, not in the threads: the clock is one for the process
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert not errors, errors
    keys = [q.key for batch in results for q in batch]
    assert len(keys) == len(set(keys)) == 6
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Reminder.id))) == 6
    per_user = db.session.execute(select(Notification.user_id, Notification.message, func.count())
                                  .group_by(Notification.user_id, Notification.message)).all()
    assert all(count == 1 for _, _, count in per_user)
    assert ON_POSTGRES or app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def test_scheduler_process_scans_on_start_after_scan_time(app, world, ctx):
    """`flask scheduler` as production runs it: a separate process on the same database."""
    import os
    import subprocess
    import sys
    import time as timer
    from pathlib import Path

    with at(clock.today() - timedelta(days=80)):
        make_case(world, "acknowledged")      # due in about ten days: the 15-day reminder is due
    db.session.commit()
    env = {**os.environ, "REPLYFLOW_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "REPLYFLOW_SCAN_TIME": "00:00", "REPLYFLOW_SMTP_HOST": ""}
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "scheduler"], env=env,
                               cwd=Path(__file__).resolve().parents[1], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        deadline = timer.monotonic() + 30
        count = 0
        while timer.monotonic() < deadline and not count:
            timer.sleep(0.5)
            db.session.expire_all()
            count = db.session.scalar(select(func.count(Reminder.id)))
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert count == 1, output
    assert "scheduler started" in output


def test_embedded_scheduler_only_when_asked(app):
    from replyflow import create_app
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    plain = create_app("testing", SQLALCHEMY_DATABASE_URI=uri)
    plain.test_client().get("/healthz")
    assert "scheduler" not in plain.extensions
    served = create_app("testing", SQLALCHEMY_DATABASE_URI=uri, EMBEDDED_SCHEDULER=True, SCAN_TIME="23:59")
    assert "scheduler" not in served.extensions          # not for commands: only once serving
    served.test_client().get("/healthz")
    scheduler = served.extensions["scheduler"]
    try:
        assert scheduler.running and {job.id for job in scheduler.get_jobs()} >= {"reminder-scan", "outbox-drain"}
        served.test_client().get("/healthz")
        assert served.extensions["scheduler"] is scheduler   # one per process
    finally:
        scheduler.shutdown(wait=False)


def test_two_schedulers_on_one_database_run_one_and_the_other_takes_over(app):
    """Several hosts may start `flask scheduler`: one runs the jobs (an advisory lock on PostgreSQL, a file
    lock on SQLite), the other stands by and takes over when the first stops."""
    import os
    import subprocess
    import sys
    import threading
    import time as timer
    from pathlib import Path

    env = {**os.environ, "REPLYFLOW_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "PYTHONUNBUFFERED": "1",
           "REPLYFLOW_SCAN_TIME": "23:59", "REPLYFLOW_SMTP_HOST": "", "REPLYFLOW_SCHEDULER_LOCK_RETRY_SECONDS": "0.3"}
    outputs, processes = [], []

    def start():
        process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "scheduler"], env=env,
                                   cwd=Path(__file__).resolve().parents[1], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        lines = []
        threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True).start()
        processes.append(process)
        outputs.append(lines)

    def wait_for(predicate, seconds=30):
        deadline = timer.monotonic() + seconds
        while timer.monotonic() < deadline and not predicate():
            timer.sleep(0.2)
        return predicate()

    def started(i):
        return any("scheduler started" in line for line in outputs[i])

    try:
        start()
        assert wait_for(lambda: started(0)), outputs[0]
        start()
        assert wait_for(lambda: any("standing by" in line for line in outputs[1])), outputs[1]
        timer.sleep(1)
        assert not started(1), "two schedulers ran at once"
        processes[0].kill()
        processes[0].wait(10)
        assert wait_for(lambda: started(1)), outputs[1]
    finally:
        for process in processes:
            process.kill()
            process.wait(10)


def _reads_of_a_scan(day):
    """The SELECTs one scan runs, and all its statements."""
    from sqlalchemy import event

    statements = []
    listener = lambda conn, cursor, statement, *rest: statements.append(statement)   # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        queued = scan_on(day)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    statements = [s for s in statements if not s.startswith("SET LOCAL")]   # PostgreSQL's plan mode, a batch
    return len(queued), sum(s.lstrip().upper().startswith("SELECT") for s in statements), len(statements)


def test_the_scan_reads_in_a_fixed_number_of_statements_however_many_duties(world, ctx):
    """Duties are read as rows, keys looked up together, what a batch needs loaded for the batch and its
    reminders, notifications and e-mails inserted a table at a time: the statements do not grow with the
    duties, and a rerun only reads."""
    first = {}
    for n, start in ((2, 10), (8, 20)):
        with at(date(2025, 3, 18)):
            for i in range(n):
                make_case(world, "assigned", number=start + i, mode="co" if i % 2 else "lead")
        db.session.commit()
        first[n] = _reads_of_a_scan(date(2025, 6, 10))
        queued, _, rerun = _reads_of_a_scan(date(2025, 6, 10))
        assert queued == 0 and rerun <= 6   # four reads of duties, the longest feedback period, the keys
    assert first[8][0] > first[2][0] > 0
    assert first[8][1:] == first[2][1:]
