"""Moving one player's quest forward: refresh its record for the current period and
standing, then feed it evidence as the indexer (or a player action) delivers it."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from quests.definitions import Catalog, Quest
from quests.evidence import ChainEvent, CheckIn, Evidence, Player
from quests.objectives import (
    CompositeObjective,
    EventObjective,
    Objective,
    Outcome,
    evaluate,
)
from quests.objectives.composite import parts_progress
from quests.progress import (
    QuestProgress,
    Standing,
    Status,
    new_progress,
    period_key,
    standing,
    transition,
)
from quests.world import REGIONS, Region


@dataclass(frozen=True)
class Step:
    """What one piece of evidence did to a quest record.

    ``completed`` is True only on the step that completed the quest; ``note`` says why the
    evidence was not considered at all (quest locked, wrong period, outside the window).
    """

    progress: QuestProgress
    outcomes: tuple[Outcome, ...] = ()
    completed: bool = False
    note: str | None = None


def refresh(
    quest: Quest,
    progress: QuestProgress | None,
    *,
    completed: Set[str],
    now: datetime,
    last_completed_at: datetime | None = None,
    regions: tuple[Region, ...] = REGIONS,
    campaign: Standing | None = None,
) -> QuestProgress:
    """The record to use now: a fresh one when the period changed (daily/weekly reset),
    unlocked or locked again according to ``standing``."""
    if progress is None or progress.period != period_key(quest.recurrence, now):
        progress = new_progress(quest, now)
    gate = standing(quest, completed=completed, now=now, last_completed_at=last_completed_at,
                    regions=regions, campaign=campaign)
    if progress.status is Status.LOCKED and gate.open:
        return transition(progress, Status.AVAILABLE, now)
    if progress.status is Status.AVAILABLE and not gate.open:
        return transition(progress, Status.LOCKED, now)
    return progress


def advance(quest: Quest, progress: QuestProgress, evidence: Evidence, player: Player, now: datetime) -> Step:
    """Feed one piece of evidence to every objective of an available or started quest.

    Pure: returns the new record; completes the quest when every objective is met, recording
    the evidence that counted. Re-feeding the same evidence changes nothing.
    """
    if progress.quest_id != quest.id:
        raise ValueError(f"progress of {progress.quest_id!r} fed to quest {quest.id!r}")
    if progress.status not in (Status.AVAILABLE, Status.IN_PROGRESS):
        return Step(progress, note=f"the quest is {progress.status.value}")
    at = _when(evidence, now)
    if period_key(quest.recurrence, at) != progress.period:
        return Step(progress, note=f"this evidence belongs to another period than {progress.period}")
    if not quest.is_within_window(at):
        return Step(progress, note="this evidence falls outside the quest's availability window")
    before = [evaluate(o, progress.objective(i), None, player) for i, o in enumerate(quest.objectives)]
    after = tuple(
        evaluate(o, progress.objective(i), evidence, player) for i, o in enumerate(quest.objectives)
    )
    if [o.progress for o in after] == [o.progress for o in before]:
        return Step(progress, after)
    updated = replace(progress, objectives=tuple(o.progress for o in after))
    if updated.status is Status.AVAILABLE:
        updated = transition(updated, Status.IN_PROGRESS, now)
    if not all(o.met for o in after):
        return Step(updated, after)
    counted = tuple(
        ref
        for i, objective in enumerate(quest.objectives)
        for ref in counted_evidence(objective, updated.objective(i))
    )
    updated = replace(
        transition(updated, Status.COMPLETED, now),
        evidence=counted,
        rule_version=quest.rule_version,
    )
    return Step(updated, after, completed=True)


def counted_evidence(objective: Objective, progress: Mapping[str, Any]) -> list[dict[str, Any]]:
    """References of the evidence an objective counted (ignored evidence excluded)."""
    if isinstance(objective, CompositeObjective):
        parts = parts_progress(objective, progress)
        return [r for part, p in zip(objective.parts, parts, strict=True) for r in counted_evidence(part, p)]
    return [dict(r) for r in progress.get("evidence", [])]


def players_in(catalog: Catalog, event: ChainEvent) -> frozenset[str]:
    """Addresses this log may concern: the values of args some quest binds to ``$player``.

    The indexer feeds the event to these players' quests in ``catalog.listening_to``.
    """
    found: set[str] = set()
    for quest in catalog.listening_to(event.contract, event.event):
        for objective in quest.all_objectives():
            if isinstance(objective, EventObjective) and (objective.contract, objective.event) == (
                event.contract,
                event.event,
            ):
                found.update(
                    event.args[arg] for arg in objective.player_args if isinstance(event.args.get(arg), str)
                )
    return frozenset(found)


def _when(evidence: Evidence, now: datetime) -> datetime:
    if isinstance(evidence, ChainEvent):
        return evidence.at
    if isinstance(evidence, CheckIn):
        return evidence.at
    return now
