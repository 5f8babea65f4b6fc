"""The scheduler's jobs: module-level functions taking ids (APScheduler stores them by
reference in the job store), each idempotent by the domain's own unique keys, each writing
one ``scheduler_run`` row of what it did. Their misfire policies are in ``plan``.

``bind(app)`` tells the jobs which app (database, clock) they serve; the scheduler runner
calls it before starting.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from legends.auth.players import purge_nonces
from legends.auth.session import purge_sessions
from legends.realtime import purge_events
from legends.scheduler.broadcast import announce
from legends.scheduler.store import JobRun
from legends.wiring.campaigns import pay_window
from quests import campaign_service
from quests.campaign_store import CampaignAnnouncement
from quests.definitions import Recurrence
from quests.progress import period_key

log = logging.getLogger(__name__)
_app: Flask | None = None

NONCE_KEEP = timedelta(hours=1)  # expired nonces linger an hour (for the sign-in errors)
RUNS_KEEP = timedelta(days=30)


def bind(app: Flask) -> None:
    global _app
    _app = app


@contextmanager
def _work(job_id: str) -> Iterator[tuple[Session, datetime, dict[str, Any]]]:
    """One transaction for the job, with its run row in it (and the time by the app's clock)."""
    if _app is None:
        raise RuntimeError("legends.scheduler.jobs.bind(app) was not called")
    app = _app
    now = app.extensions["legends.clock"].now()
    detail: dict[str, Any] = {}
    with app.app_context(), app.extensions["legends.db"].sessions.begin() as session:
        yield session, now, detail
        outcome = detail.pop("outcome", "done")
        session.add(JobRun(job_id=job_id, ran_at=now, outcome=outcome, detail=detail))


def open_campaign(campaign_id: int) -> None:
    with _work(f"campaign:{campaign_id}:open") as (db, now, detail):
        if not campaign_service.mark_opened(db, campaign_id, now):
            detail["outcome"] = "skipped"
            return
        campaign = campaign_service.get(db, campaign_id)
        detail.update(campaign=campaign.name, quests=[q.quest_id for q in campaign.quests])
        announce(db, f"{campaign.name} has begun", "campaign.opened", now,
                 campaign_id=campaign_id, quests=detail["quests"])


def close_campaign(campaign_id: int) -> None:
    with _work(f"campaign:{campaign_id}:close") as (db, now, detail):
        if not campaign_service.mark_closed(db, campaign_id, now):
            detail["outcome"] = "skipped"
            return
        detail["campaign"] = campaign_service.get(db, campaign_id).name
        announce(db, f"{detail['campaign']} is over", "campaign.closed", now, campaign_id=campaign_id)


def close_window(campaign_id: int, position: int) -> None:
    """Pay the window's prizes through the rewards ledger (once: grant keys per campaign
    and window, and ``paid_at`` in the same transaction)."""
    with _work(f"campaign:{campaign_id}:window:{position}") as (db, now, detail):
        result = pay_window(db, campaign_id, position, now)
        detail.update(result)
        if not result["paid"]:
            detail["outcome"] = "skipped"
            return
        name = campaign_service.get(db, campaign_id).name
        announce(db, f"{name}: leaderboard window {position} is closed and its prizes are on their way",
                 "leaderboard.closed", now, campaign_id=campaign_id, window=position,
                 winners=result["winners"])


def send_announcement(announcement_id: int) -> None:
    with _work(f"announcement:{announcement_id}") as (db, now, detail):
        note = db.scalar(select(CampaignAnnouncement).where(CampaignAnnouncement.id == announcement_id)
                         .with_for_update())
        if note is None or note.sent_at is not None:
            detail["outcome"] = "skipped"
            return
        note.sent_at = now
        detail.update(campaign_id=note.campaign_id, text=note.text)
        announce(db, note.text, "announcement", now, campaign_id=note.campaign_id)


def reset_recurring(recurrence: str) -> None:
    """Daily and weekly quests start a fresh period (their records are per period, so the
    reset is the period key rolling over); this tells the players, once per period."""
    kind = Recurrence(recurrence)
    job_id = f"reset:{kind.value}"
    with _work(job_id) as (db, now, detail):
        period = period_key(kind, now)
        done = db.scalars(select(JobRun.detail).where(JobRun.job_id == job_id, JobRun.outcome == "done"))
        if any(d.get("period") == period for d in done):
            detail.update(outcome="skipped", period=period)
            return
        detail["period"] = period
        announce(db, f"{kind.value.capitalize()} quests start afresh", "quests.reset", now,
                 recurrence=kind.value, period=period)


def housekeeping() -> None:
    """Expired sign-in nonces (``legends.auth.players.purge_nonces``, an hour after expiry,
    for the sign-in errors), sign-in sessions an hour after they expired or ended
    (``legends.auth.session.purge_sessions``), the realtime event log past
    REALTIME_RETENTION_DAYS (``legends.realtime.purge_events``), old run rows."""
    with _work("housekeeping") as (db, now, detail):
        nonces = purge_nonces(db, now - NONCE_KEEP)
        sessions = purge_sessions(db, NONCE_KEEP)  # by the wall clock sessions are judged by
        runs = db.execute(delete(JobRun).where(JobRun.ran_at < now - RUNS_KEEP))
        detail.update(nonces=nonces, sessions=sessions, runs=runs.rowcount,
                      realtime_events=purge_events(db, now))


def reconcile() -> None:
    """Turn the admins' rows into jobs (see ``legends.scheduler.runner.reconcile_jobs``)."""
    from legends.scheduler.runner import reconcile_jobs

    reconcile_jobs()
