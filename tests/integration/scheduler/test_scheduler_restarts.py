"""The scheduler's jobs live in the database: after a restart they are still there and
fire once; what was missed while it was down runs per its misfire policy; and of two
scheduler processes started at once, one runs every job exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from legends.scheduler.store import JobRun, ScheduledJob

ROOT = Path(__file__).resolve().parents[3]


def plan(start: datetime, end: datetime, note_at: datetime) -> dict:
    return {"name": "Restart Season", "starts_at": start.isoformat(), "ends_at": end.isoformat(),
            "quests": ["gate.daily-checkin"],
            "announcements": [{"send_at": note_at.isoformat(), "text": "Sandstorm at noon"}]}


def stored_jobs(app) -> set[str]:  # type: ignore[no-untyped-def]
    with app.extensions["legends.db"].sessions() as session:
        return set(session.scalars(select(ScheduledJob.id)))


def test_jobs_survive_a_restart_and_missed_ones_run_by_their_policy(sched_app, driver, admin):
    now = driver.clock.at
    body = plan(now + timedelta(days=1), now + timedelta(days=5), now + timedelta(days=1, hours=1))
    cid = admin.post("/api/admin/campaigns", json=body).get_json()["id"]
    assert admin.post(f"/api/admin/campaigns/{cid}/publish").status_code == 200
    first = driver.start()
    assert {f"campaign:{cid}:open", f"campaign:{cid}:close", "announcement:1"} <= stored_jobs(sched_app)
    first.shutdown(wait=True)
    driver.running.clear()

    # Down for two days: the opening (no grace: runs however late) and the announcement
    # (an hour's grace: stale news is dropped) were both due meanwhile.
    driver.clock.at = now + timedelta(days=3)
    assert {f"campaign:{cid}:open", "announcement:1"} <= stored_jobs(sched_app)
    driver.start()
    opened = driver.wait_for(f"campaign:{cid}:open")
    missed = driver.wait_for("announcement:1")
    assert [r.outcome for r in opened] == ["done"]
    assert [r.outcome for r in missed] == ["missed"]
    assert f"campaign:{cid}:open" not in stored_jobs(sched_app)
    driver.travel_to(now + timedelta(days=3, seconds=30))  # reconciling does not bring them back
    time.sleep(1.5)  # the reconciler ran (it writes no row when nothing changes)
    assert len(driver.runs(f"campaign:{cid}:open")) == 1 and len(driver.runs("announcement:1")) == 1
    assert f"campaign:{cid}:close" in stored_jobs(sched_app)


def test_two_scheduler_processes_fire_each_job_once(sched_app, admin, tmp_path):
    real_now = datetime.now(UTC)
    sched_app.extensions["legends.clock"].at = real_now
    body = plan(real_now + timedelta(seconds=4), real_now + timedelta(seconds=9),
                real_now + timedelta(seconds=6))
    cid = admin.post("/api/admin/campaigns", json=body).get_json()["id"]
    assert admin.post(f"/api/admin/campaigns/{cid}/publish").status_code == 200
    env = {**os.environ, "LEGENDS_ENV": "testing", "INSTANCE_PATH": sched_app.instance_path,
           "DATABASE_URL": sched_app.config["DATABASE_URL"] or "", "SCHEDULER_RECONCILE_SECONDS": "1",
           "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-c", "from legends.cli import main; main()", "scheduler"]
    logs = [open(tmp_path / f"scheduler-{i}.log", "w+") for i in range(2)]
    procs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
             for log in logs]
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and len(runs(sched_app, f"campaign:{cid}:close")) < 1:
            time.sleep(0.25)
        time.sleep(1.5)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(20)
    output = [log.seek(0) or log.read() for log in logs]
    assert sum("standing by" in text for text in output) == 1, output
    # Each job does its work once. Under load the reconciler may re-add a one-shot job that
    # APScheduler removed at dispatch before the job's transaction committed; that second run
    # finds the work done and is recorded as skipped (the jobs are idempotent by design).
    for job_id in (f"campaign:{cid}:open", "announcement:1", f"campaign:{cid}:close"):
        outcomes = [r.outcome for r in runs(sched_app, job_id)]
        assert outcomes.count("done") == 1 and set(outcomes) <= {"done", "skipped"}, (job_id, output)


def runs(app, job_id: str) -> list[JobRun]:  # type: ignore[no-untyped-def]
    with app.extensions["legends.db"].sessions() as session:
        return list(session.scalars(select(JobRun).where(JobRun.job_id == job_id)))
