"""Daily check-in streaks: consecutive UTC days; a missed day breaks the streak."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Streak:
    """``current`` counts the run ending on ``last_day``; ``best`` is the longest ever."""

    current: int = 0
    best: int = 0
    last_day: date | None = None

    def to_dict(self) -> dict[str, Any]:
        last = self.last_day.isoformat() if self.last_day else None
        return {"current": self.current, "best": self.best, "last_day": last}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Streak:
        last = data.get("last_day")
        return cls(data["current"], data["best"], date.fromisoformat(last) if last else None)


def utc_day(at: datetime) -> date:
    """The UTC calendar day of an aware datetime."""
    return at.astimezone(UTC).date()


def check_in(streak: Streak, at: datetime) -> Streak:
    """Record a check-in at ``at``. A second check-in the same UTC day changes nothing;
    the next day extends the streak; a gap of a day or more starts again at 1."""
    day = utc_day(at)
    last = streak.last_day
    if last is not None and day <= last:
        return streak  # same day, or a late duplicate: nothing to add
    current = streak.current + 1 if last is not None and day - last == timedelta(days=1) else 1
    return Streak(current=current, best=max(streak.best, current), last_day=day)


def current_streak(streak: Streak, now: datetime) -> int:
    """The streak as the player sees it now: still alive if they checked in today or
    yesterday (today's check-in may yet come), 0 once a whole day was missed."""
    if streak.last_day is None or utc_day(now) - streak.last_day > timedelta(days=1):
        return 0
    return streak.current


def checked_in_today(streak: Streak, now: datetime) -> bool:
    return streak.last_day == utc_day(now)
