"""Would this transaction count for this player's quest, and why? A dry run of the engine:
the player's record as it stands is fed the transaction's events, and the engine's own
explanation (``quests.explain``) says what each objective made of them. Pure; nothing is
written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quests.definitions import Quest
from quests.engine import advance
from quests.evidence import ChainEvent, Player
from quests.explain import explain
from quests.progress import QuestProgress, Standing, Status, transition


@dataclass(frozen=True)
class DryRun:
    counts: bool  # at least one event moved the quest
    completes: bool
    why: list[str]
    report: dict[str, Any]


def dry_run(quest: Quest, progress: QuestProgress, standing: Standing, opening_block: int,
            events: Sequence[ChainEvent], wallet: Player, now: datetime,
            in_window: Callable[[datetime], bool]) -> DryRun:
    """``opening_block``: the first block whose logs count for the player (the counting rule,
    docs/world.md: accepted or not, from the block that opened the quest)."""
    why: list[str] = []
    if progress.is_done:
        why.append(f"the player already completed this quest for {progress.period}")
    elif progress.status is Status.LOCKED:
        why.append(f"the quest is not open to the player: {standing.reason or 'locked'}; "
                   "shown as if it were")
        progress = transition(progress, Status.AVAILABLE, now)
    listened = quest.listens_to()
    relevant = [e for e in events if (e.contract, e.event) in listened]
    if not events:
        why.append("the transaction emitted none of the suite's events")
    elif not relevant:
        names = ", ".join(sorted({f"{e.contract}.{e.event}" for e in events}))
        wanted = ", ".join(sorted(f"{c}.{e}" for c, e in listened)) or "no on-chain events"
        why.append(f"it emitted {names}; this quest listens to {wanted}")
    moved = completes = False
    for event in relevant:
        label = f"{event.contract}.{event.event} (block {event.block_number}, log {event.log_index})"
        if event.block_number < opening_block:
            why.append(f"{label}: mined before the quest opened to the player (block #{opening_block})")
            continue
        if not in_window(event.at):
            why.append(f"{label}: falls outside the quest's campaign window")
            continue
        step = advance(quest, progress, event, wallet, now)
        if step.note:
            why.append(f"{label}: {step.note}")
        if step.progress != progress:
            moved = True
            why.append(f"{label}: counted")
        else:
            reasons = [o.reason for o in step.outcomes if not o.met and o.reason]
            why.append(f"{label}: did not move the quest" + (f" ({'; '.join(reasons)})" if reasons else ""))
        completes = completes or step.completed
        progress = step.progress
    if completes:
        why.append("with it the quest would be complete")
    report = explain(quest, progress, wallet, standing).to_dict()
    return DryRun(moved, completes, why, report)
