"""What jobs the scheduler should hold, from the campaigns' rows (pure), each with its
misfire policy written next to it.

Policies: ``coalesce`` folds several missed runs of one job into one; ``misfire_grace_time``
is how late (seconds) a run may still start — None means however late, for jobs whose
effect must happen even after downtime (they are idempotent and check the time
themselves); ``max_instances=1`` everywhere: a job never overlaps itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

JOBS = "legends.scheduler.jobs"


@dataclass(frozen=True)
class Policy:
    coalesce: bool = True
    misfire_grace_time: int | None = None
    max_instances: int = 1

    def options(self) -> dict[str, Any]:
        return {"coalesce": self.coalesce, "misfire_grace_time": self.misfire_grace_time,
                "max_instances": self.max_instances}


# Opening and closing a campaign and paying a window must happen however late: a campaign
# opened late is better than never (it will not open after its end: the job checks).
OPEN_CLOSE = Policy(coalesce=True, misfire_grace_time=None)
PAYOUT = Policy(coalesce=True, misfire_grace_time=None)
# An announcement more than an hour late is stale news: dropped, and logged as missed.
ANNOUNCEMENT = Policy(coalesce=True, misfire_grace_time=3600)
# Resets: several missed midnights are one reset; a reset more than 6 h (daily) or a day
# (weekly) late is skipped, the periods roll over by themselves.
DAILY_RESET = Policy(coalesce=True, misfire_grace_time=6 * 3600)
WEEKLY_RESET = Policy(coalesce=True, misfire_grace_time=24 * 3600)
# Housekeeping and reconciling: run once on start-up after any downtime, then periodically.
HOUSEKEEPING = Policy(coalesce=True, misfire_grace_time=None)
RECONCILE = Policy(coalesce=True, misfire_grace_time=None)


@dataclass(frozen=True)
class OneShot:
    """A job that runs once at ``run_date`` (a ``date`` trigger)."""

    id: str
    func: str
    args: tuple[Any, ...]
    run_date: datetime
    policy: Policy = field(default=OPEN_CLOSE)

    def stale(self, now: datetime) -> bool:
        """Too late to add at all (its grace is over before it was ever scheduled)."""
        grace = self.policy.misfire_grace_time
        return grace is not None and self.run_date + timedelta(seconds=grace) < now


@dataclass(frozen=True)
class CampaignRow:
    """What the plan needs of a campaign row (``quests.campaign_store.Campaign``)."""

    id: int
    status: str
    starts_at: datetime
    ends_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    windows: tuple[tuple[int, datetime, datetime | None], ...]  # (position, ends_at, paid_at)
    announcements: tuple[tuple[int, datetime, datetime | None], ...]  # (id, send_at, sent_at)


def campaign_jobs(campaigns: Iterable[CampaignRow]) -> list[OneShot]:
    """The one-shot jobs the campaigns still need. Drafts need none; what is done (opened,
    closed, paid, sent) needs none."""
    jobs: list[OneShot] = []
    for c in campaigns:
        if c.status == "draft":
            continue
        if c.status == "published" and c.opened_at is None:
            jobs.append(OneShot(f"campaign:{c.id}:open", f"{JOBS}:open_campaign", (c.id,), c.starts_at))
        if c.closed_at is None:
            jobs.append(OneShot(f"campaign:{c.id}:close", f"{JOBS}:close_campaign", (c.id,), c.ends_at))
        for position, ends_at, paid_at in c.windows:
            if paid_at is None:
                jobs.append(OneShot(f"campaign:{c.id}:window:{position}", f"{JOBS}:close_window",
                                    (c.id, position), ends_at, PAYOUT))
        if c.status in ("published", "ended"):
            for note_id, send_at, sent_at in c.announcements:
                if sent_at is None:
                    jobs.append(OneShot(f"announcement:{note_id}", f"{JOBS}:send_announcement",
                                        (note_id,), send_at, ANNOUNCEMENT))
    return jobs


MANAGED_PREFIXES = ("campaign:", "announcement:")
