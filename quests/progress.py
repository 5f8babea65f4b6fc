"""One player's progress on one quest in one period, and what may move it.

The state machine::

    locked -> available -> in_progress -> completed -> rewarded
                 |
                 +-> locked   (the window closed, a cooldown began)

A daily or weekly quest gets a fresh record for each period (``period_key``); a record
never moves backwards, so a reset is a new record, not a transition.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from quests.definitions import Quest, Recurrence
from quests.errors import IllegalTransition
from quests.world import REGIONS, Region


class Status(StrEnum):
    LOCKED = "locked"
    AVAILABLE = "available"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REWARDED = "rewarded"


TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    Status.LOCKED: frozenset({Status.AVAILABLE}),
    Status.AVAILABLE: frozenset({Status.LOCKED, Status.IN_PROGRESS}),
    Status.IN_PROGRESS: frozenset({Status.COMPLETED}),
    Status.COMPLETED: frozenset({Status.REWARDED}),
    Status.REWARDED: frozenset(),
}
DONE = frozenset({Status.COMPLETED, Status.REWARDED})


@dataclass(frozen=True)
class QuestProgress:
    """A player's record for (quest, period). ``objectives`` holds each top-level
    objective's progress dict; ``evidence`` is the completion evidence (tx hash, block,
    log index, ...) judged under ``rule_version``."""

    quest_id: str
    period: str
    status: Status = Status.LOCKED
    objectives: tuple[Mapping[str, Any], ...] = ()
    evidence: tuple[Mapping[str, Any], ...] = ()
    rule_version: int = 1
    started_at: datetime | None = None
    completed_at: datetime | None = None
    rewarded_at: datetime | None = None

    def objective(self, index: int) -> Mapping[str, Any]:
        """Progress of the ``index``-th top-level objective (``{}`` if untouched)."""
        return self.objectives[index] if index < len(self.objectives) else {}

    @property
    def is_done(self) -> bool:
        return self.status in DONE

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, for persistence."""

        def iso(at: datetime | None) -> str | None:
            return at.isoformat() if at else None

        return {
            "quest_id": self.quest_id,
            "period": self.period,
            "status": self.status.value,
            "objectives": [dict(o) for o in self.objectives],
            "evidence": [dict(e) for e in self.evidence],
            "rule_version": self.rule_version,
            "started_at": iso(self.started_at),
            "completed_at": iso(self.completed_at),
            "rewarded_at": iso(self.rewarded_at),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuestProgress:
        def at(key: str) -> datetime | None:
            return datetime.fromisoformat(data[key]) if data.get(key) else None

        return cls(
            quest_id=data["quest_id"],
            period=data["period"],
            status=Status(data["status"]),
            objectives=tuple(data.get("objectives", ())),
            evidence=tuple(data.get("evidence", ())),
            rule_version=data.get("rule_version", 1),
            started_at=at("started_at"),
            completed_at=at("completed_at"),
            rewarded_at=at("rewarded_at"),
        )


def transition(progress: QuestProgress, target: Status, at: datetime) -> QuestProgress:
    """Move along one edge of the state machine; ``IllegalTransition`` otherwise."""
    if target not in TRANSITIONS[progress.status]:
        raise IllegalTransition(progress.quest_id, progress.status.value, target.value)
    stamps: dict[str, datetime] = {}
    if target is Status.IN_PROGRESS:
        stamps["started_at"] = at
    elif target is Status.COMPLETED:
        stamps["completed_at"] = at
    elif target is Status.REWARDED:
        stamps["rewarded_at"] = at
    return replace(progress, status=target, **stamps)


def new_progress(quest: Quest, now: datetime) -> QuestProgress:
    """A fresh, locked record for the period containing ``now``."""
    return QuestProgress(
        quest_id=quest.id,
        period=period_key(quest.recurrence, now),
        rule_version=quest.rule_version,
    )


def period_key(recurrence: Recurrence, at: datetime) -> str:
    """``"once"``, the UTC day ``"2026-11-22"`` or the ISO week ``"2026-W47"``."""
    if recurrence is Recurrence.ONCE:
        return "once"
    day = at.astimezone(UTC).date()
    if recurrence is Recurrence.DAILY:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def next_reset(recurrence: Recurrence, at: datetime) -> datetime | None:
    """When the period containing ``at`` ends (``None`` for once quests)."""
    if recurrence is Recurrence.ONCE:
        return None
    midnight = datetime.combine(at.astimezone(UTC).date(), datetime.min.time(), UTC)
    if recurrence is Recurrence.DAILY:
        return midnight + timedelta(days=1)
    return midnight + timedelta(days=7 - midnight.weekday())  # next Monday 00:00 UTC


def grant_key(player_address: str, quest_id: str, period: str) -> str:
    """Idempotency key of the reward for one completion: (player, quest, period)."""
    return f"{player_address.lower()}:{quest_id}:{period}"


@dataclass(frozen=True)
class Standing:
    """Whether a quest is open to the player right now, and if not, why."""

    open: bool
    reason: str | None = None
    opens_at: datetime | None = None


def standing(
    quest: Quest,
    *,
    completed: Set[str],
    now: datetime,
    last_completed_at: datetime | None = None,
    regions: tuple[Region, ...] = REGIONS,
    campaign: Standing | None = None,
    titles: Mapping[str, str] | None = None,
) -> Standing:
    """Region unlocked, prerequisites completed, inside the window, not cooling down?

    ``completed`` holds every quest id the player has ever completed; ``campaign`` is what
    the campaign calendar says about the quest (None: it is in no campaign); ``titles``
    (quest id -> title), when given, names the missing quests as the player knows them.
    """
    def names(ids: list[str]) -> str:
        return " and ".join(f"“{titles[i]}”" if titles and i in titles else i for i in ids)

    home = next(r for r in regions if r.key == quest.region)
    missing = sorted(home.unlock_after - completed)
    if missing:
        return Standing(False, f"{home.name} is still sealed: finish {names(missing)} first")
    missing = sorted(quest.prerequisites - completed)
    if missing:
        return Standing(False, f"finish {names(missing)} first")
    if quest.available_from is not None and now < quest.available_from:
        return Standing(False, f"opens at {_show(quest.available_from)}", quest.available_from)
    if quest.available_until is not None and now >= quest.available_until:
        return Standing(False, f"closed at {_show(quest.available_until)}")
    if campaign is not None and not campaign.open:
        return campaign
    if last_completed_at is not None and quest.cooldown:
        ready = last_completed_at + quest.cooldown
        if now < ready:
            return Standing(False, f"cooling down until {_show(ready)}", ready)
    return Standing(True)


def _show(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
