"""What a journey makes of a completion and a counted log: the completion the sink hears,
and the evidence row's values (a verification batch inserts them together,
``quests.batch_writes``)."""

from __future__ import annotations

from datetime import datetime

from quests.definitions import Quest
from quests.evidence import ChainEvent
from quests.orm import Player, utcnow
from quests.ports import Completion
from quests.progress import QuestProgress
from quests.store import json_ready


def completion_of(player: Player, quest: Quest, period: str, at: datetime, progress: QuestProgress,
                  event: ChainEvent | None) -> Completion:
    return Completion(
        player_id=player.id, player=player.address, quest_id=quest.id, period=period,
        completed_at=at, rule_version=quest.rule_version, rewards=quest.rewards,
        tx_hash=event.tx_hash if event else None, block_number=event.block_number if event else None,
        log_index=event.log_index if event else None, evidence=tuple(progress.evidence))


def evidence_values(player_id: int, quest: Quest, period: str, event: ChainEvent) -> dict[str, object]:
    return dict(
        player_id=player_id, quest_id=quest.id, period=period, contract=event.contract,
        event=event.event, tx_hash=event.tx_hash, log_index=event.log_index,
        block_number=event.block_number, block_time=event.at, args=json_ready(dict(event.args)),
        rule_version=quest.rule_version, seen_at=utcnow())
