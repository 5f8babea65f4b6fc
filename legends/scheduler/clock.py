"""The scheduler tells the time by the app's clock.

APScheduler 3 reads ``datetime.now`` in two places (the scheduler deciding what is due and
the executor judging misfires) and offers no clock to plug in; here both read the game
clock instead, so a frozen and advanced clock in tests drives real APScheduler runs, and in
production (``SystemClock``) nothing changes. One scheduler runs per process, so a
process-wide hook is enough.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

import apscheduler.executors.base as executor_base
import apscheduler.schedulers.base as scheduler_base

from quests.ports import Clock


def follow(clock: Clock) -> None:
    class GameDateTime(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            at = clock.now()
            return at.astimezone(tz) if tz is not None else at.replace(tzinfo=None)

    scheduler_base.datetime = GameDateTime  # type: ignore[misc]
    executor_base.datetime = GameDateTime  # type: ignore[misc]
