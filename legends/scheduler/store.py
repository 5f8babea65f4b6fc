"""Persistence of the scheduler: APScheduler's job store table (declared here so that
Alembic, not APScheduler, creates it) and the log of every job run.

``scheduler_job`` has exactly the columns ``SQLAlchemyJobStore(tablename="scheduler_job")``
expects. ``scheduler_run`` has no UNIQUE key on purpose: the tests count its rows to prove
that each job fired exactly once; the jobs' own idempotency lives in the domain tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, LargeBinary, String, Unicode, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from quests.orm import Base, intpk
from quests.store import UtcDateTime

JOB_TABLE = "scheduler_job"


class ScheduledJob(Base):
    __tablename__ = JOB_TABLE

    id: Mapped[str] = mapped_column(Unicode(191), primary_key=True)
    next_run_time: Mapped[float | None] = mapped_column(Float(25), index=True)
    job_state: Mapped[bytes] = mapped_column(LargeBinary)


class JobRun(Base):
    __tablename__ = "scheduler_run"

    id: Mapped[intpk]
    job_id: Mapped[str] = mapped_column(String(191), index=True)
    ran_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # done | skipped | missed | failed
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


def status(session: Session, runs: int = 50) -> dict[str, Any]:
    """The jobs held (by next run) and the latest runs, for the admins."""
    from datetime import UTC

    jobs = [{"id": job_id, "next_run_time": datetime.fromtimestamp(t, UTC).isoformat() if t else None}
            for job_id, t in session.execute(select(ScheduledJob.id, ScheduledJob.next_run_time)
                                             .order_by(ScheduledJob.next_run_time))]
    recent = [{"job_id": r.job_id, "ran_at": r.ran_at.isoformat(), "outcome": r.outcome, "detail": r.detail}
              for r in session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(runs))]
    return {"jobs": jobs, "runs": recent}
