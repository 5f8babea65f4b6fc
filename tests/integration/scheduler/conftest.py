"""Fixtures of the scheduler tests: the admin app on a frozen clock, and a scheduler built
for it whose jobs run in its own thread (APScheduler's DebugExecutor), driven by moving the
clock and waking it up."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from admin_support import ADMIN_KEY, account, csrf, sign_in
from quest_game import FrozenClock
from sqlalchemy import select

from legends.scheduler.store import JobRun
from legends.wiring.catalog import load_quests

MONDAY_NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


class Driver:
    """Starts schedulers for the app and moves the game clock under them."""

    def __init__(self, app, clock: FrozenClock) -> None:
        self.app, self.clock, self.running = app, clock, []

    def start(self):  # type: ignore[no-untyped-def]
        from apscheduler.executors.debug import DebugExecutor

        from legends.scheduler.runner import build_scheduler, start

        scheduler = build_scheduler(self.app, executor=DebugExecutor())
        start(self.app, scheduler)
        self.running.append(scheduler)
        return scheduler

    def stop(self) -> None:
        while self.running:
            self.running.pop().shutdown(wait=True)

    def travel_to(self, at: datetime) -> None:
        self.clock.at = at
        for scheduler in self.running:
            scheduler.wakeup()

    def runs(self, job_id: str, outcome: str | None = None) -> list[JobRun]:
        with self.app.extensions["legends.db"].sessions() as session:
            query = select(JobRun).where(JobRun.job_id == job_id)
            if outcome:
                query = query.where(JobRun.outcome == outcome)
            return list(session.scalars(query.order_by(JobRun.id)))

    def wait_for(self, job_id: str, count: int = 1, outcome: str | None = None,
                 timeout: float = 20.0) -> list[JobRun]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            runs = self.runs(job_id, outcome)
            if len(runs) >= count:
                time.sleep(0.2)  # nothing more should come
                return self.runs(job_id, outcome)
            time.sleep(0.05)
        raise AssertionError(f"{job_id} did not run {count}x ({outcome}); runs: {self.runs(job_id)}")


@pytest.fixture
def sched_app(make_app):
    app = make_app(ADMIN_ADDRESSES=account(ADMIN_KEY).address)
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    app.extensions["legends.clock"] = FrozenClock(MONDAY_NOON)
    return app


@pytest.fixture
def driver(sched_app):
    d = Driver(sched_app, sched_app.extensions["legends.clock"])
    yield d
    d.stop()


@pytest.fixture
def admin(sched_app):
    client = sched_app.test_client()
    sign_in(client, ADMIN_KEY)
    client.environ_base["HTTP_X_CSRF_TOKEN"] = csrf(client)["X-CSRF-Token"]
    return client
