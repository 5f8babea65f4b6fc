"""Building and running the one scheduler: APScheduler's BackgroundScheduler in UTC, its
job store the ``scheduler_job`` table of the app's database, its clock the app's clock,
held by the database's "scheduler" lock (a second scheduler stands by: a job store must
never be shared by two schedulers).

On start it reconciles the admins' rows into jobs, and again every RECONCILE_SECONDS.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import select

from legends.scheduler import clock as scheduler_clock
from legends.scheduler import jobs
from legends.scheduler.plan import (
    DAILY_RESET,
    HOUSEKEEPING,
    JOBS,
    MANAGED_PREFIXES,
    RECONCILE,
    WEEKLY_RESET,
    CampaignRow,
    OneShot,
    campaign_jobs,
)
from legends.scheduler.store import JOB_TABLE, JobRun
from legends.workers.locks import run_as_only_one
from legends.workers.threads import start_daemon
from quests.campaign_store import Campaign

log = logging.getLogger(__name__)
ROLE = "scheduler"
DEFAULT_RECONCILE_SECONDS = 10
HOUSEKEEPING_HOURS = 1
_current: BackgroundScheduler | None = None
_current_app: Flask | None = None


def build_scheduler(app: Flask, *, executor: Any = None) -> BackgroundScheduler:
    """A scheduler for ``app`` (not started). ``executor`` defaults to a small thread pool."""
    scheduler_clock.follow(app.extensions["legends.clock"])
    engine = app.extensions["legends.db"].engine
    scheduler = BackgroundScheduler(
        timezone=UTC,
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)},
        executors={"default": executor or ThreadPoolExecutor(4)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None})
    scheduler.add_listener(lambda event: _log_trouble(app, event), EVENT_JOB_MISSED | EVENT_JOB_ERROR)
    return scheduler


def _log_trouble(app: Flask, event: JobExecutionEvent) -> None:
    """A missed run (past its grace) or a failed one is a row too."""
    outcome = "missed" if event.code == EVENT_JOB_MISSED else "failed"
    detail = {"scheduled_for": event.scheduled_run_time.isoformat()}
    if event.exception is not None:
        detail["error"] = repr(event.exception)[:300]
    with app.extensions["legends.db"].sessions.begin() as session:
        session.add(JobRun(job_id=event.job_id, ran_at=app.extensions["legends.clock"].now(),
                           outcome=outcome, detail=detail))


def start(app: Flask, scheduler: BackgroundScheduler) -> None:
    """Start ``scheduler`` for ``app``: bind the jobs, start, add the standing jobs, reconcile."""
    global _current, _current_app
    jobs.bind(app)
    _current, _current_app = scheduler, app
    scheduler.start()
    standing_jobs(app, scheduler)
    reconcile_jobs()


def standing_jobs(app: Flask, scheduler: BackgroundScheduler) -> None:
    """Resets, housekeeping and the reconciler; re-adding them keeps their next run time."""
    now = app.extensions["legends.clock"].now()
    every = int(app.config.get("SCHEDULER_RECONCILE_SECONDS") or DEFAULT_RECONCILE_SECONDS)
    wanted: list[tuple[str, str, Any, tuple[Any, ...], Any]] = [
        ("reset:daily", f"{JOBS}:reset_recurring", CronTrigger(hour=0, minute=0, timezone=UTC),
         ("daily",), DAILY_RESET),
        ("reset:weekly", f"{JOBS}:reset_recurring", CronTrigger(day_of_week="mon", hour=0, minute=0,
                                                                timezone=UTC), ("weekly",), WEEKLY_RESET),
        ("housekeeping", f"{JOBS}:housekeeping", IntervalTrigger(
            hours=HOUSEKEEPING_HOURS, start_date=now, timezone=UTC), (), HOUSEKEEPING),
        ("reconcile", f"{JOBS}:reconcile", IntervalTrigger(
            seconds=every, start_date=now + timedelta(seconds=every), timezone=UTC), (), RECONCILE),
    ]
    for job_id, func, trigger, args, policy in wanted:
        if scheduler.get_job(job_id) is None:
            scheduler.add_job(func, trigger, args=args, id=job_id, name=job_id, **policy.options())


def reconcile_jobs() -> dict[str, int]:
    """Make the job store hold exactly the one-shot jobs the campaign rows need."""
    scheduler, app = _current, _current_app
    if scheduler is None or app is None:
        return {}
    now = app.extensions["legends.clock"].now()
    with app.extensions["legends.db"].sessions() as session:
        rows = [_row(c) for c in session.scalars(select(Campaign).order_by(Campaign.id))]
    desired = {job.id: job for job in campaign_jobs(rows)}
    existing = {job.id: job for job in scheduler.get_jobs() if job.id.startswith(MANAGED_PREFIXES)}
    added = moved = removed = 0
    for job_id, job in desired.items():
        current = existing.get(job_id)
        if current is None:
            if not job.stale(now):
                _add(scheduler, job)
                added += 1
        elif current.trigger.run_date != job.run_date:
            scheduler.reschedule_job(job_id, trigger=DateTrigger(run_date=job.run_date, timezone=UTC))
            moved += 1
    for job_id in existing.keys() - desired.keys():
        scheduler.remove_job(job_id)
        removed += 1
    if added or moved or removed:
        log.info("scheduler reconciled: %d added, %d moved, %d removed", added, moved, removed)
    return {"added": added, "moved": moved, "removed": removed}


def _add(scheduler: BackgroundScheduler, job: OneShot) -> None:
    scheduler.add_job(job.func, DateTrigger(run_date=job.run_date, timezone=UTC), args=job.args,
                      id=job.id, name=job.id, replace_existing=True, **job.policy.options())


def _row(c: Campaign) -> CampaignRow:
    return CampaignRow(c.id, c.status, c.starts_at, c.ends_at, c.opened_at, c.closed_at,
                       tuple((w.position, w.ends_at, w.paid_at) for w in c.windows),
                       tuple((a.id, a.send_at, a.sent_at) for a in c.announcements))


def run_scheduler(app: Flask, stop: threading.Event, say: Callable[[str], None] = log.info) -> None:
    """Hold the lock and run the scheduler until ``stop``; stand by while another holds it."""

    def serve(held: threading.Event) -> None:  # held: stop, or the lock was lost
        scheduler = build_scheduler(app)
        start(app, scheduler)
        say(f"scheduler running ({len(scheduler.get_jobs())} jobs)")
        try:
            held.wait()
        finally:
            scheduler.shutdown(wait=True)

    run_as_only_one(app.extensions["legends.db"].engine, ROLE, stop, serve, say)


def start_scheduler(app: Flask) -> Callable[[], None]:
    """The scheduler as a daemon thread of ``legends up`` (not of a web worker)."""
    return start_daemon(app, run_scheduler, "legends-scheduler")
