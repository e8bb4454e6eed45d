"""Scheduled work: the daily reminder scan, the outbox drain, and the scheduler process."""
from datetime import date, datetime, time

from . import clock
from .extensions import db
from .maintenance import refresh_planner_statistics
from .notifications.outbox import drain
from .notifications.reminders import scan


def run_once(today: date | None = None, echo=print) -> tuple[int, int, int]:
    """One scan and one drain, reported line by line; returns (queued, sent, failed)."""
    queued = scan(today)
    for item in queued:
        echo(f"queued {item.key} → {'、'.join(item.recipients) or '（无收件人）'}")
    counts = drain()
    if counts["retry"]:
        echo(f"{counts['retry']} e-mail(s) failed this time and will be retried")
    return len(queued), counts["sent"], counts["failed"]


def _in_context(app, fn):
    def job():
        with app.app_context():
            try:
                fn()
            finally:
                db.session.remove()
    return job


def build_scheduler(app, background: bool = False):
    """APScheduler: the scan every day at SCAN_TIME (Asia/Shanghai), the outbox every minute, the planner's
    statistics every night."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    hour, minute = (int(x) for x in app.config["SCAN_TIME"].split(":"))
    scheduler = (BackgroundScheduler if background else BlockingScheduler)(timezone=clock.LOCAL_TZ)
    defaults = dict(coalesce=True, max_instances=1, misfire_grace_time=6 * 3600)
    scheduler.add_job(_in_context(app, lambda: scan()), CronTrigger(hour=hour, minute=minute, timezone=clock.LOCAL_TZ),
                      id="reminder-scan", **defaults)
    scheduler.add_job(_in_context(app, lambda: drain()), IntervalTrigger(minutes=1), id="outbox-drain", **defaults)
    scheduler.add_job(_in_context(app, refresh_planner_statistics), CronTrigger(hour=3, minute=30, timezone=clock.LOCAL_TZ),
                      id="planner-statistics", **defaults)
    # a (re)start after today's scan time catches up at once: the keys keep it from repeating anything
    now = datetime.now(clock.LOCAL_TZ)
    if now.time() >= time(hour, minute):
        scheduler.add_job(_in_context(app, lambda: scan()), id="catch-up-scan", **defaults)
    return scheduler
