"""The evidence row's values of a counted log (a verification batch inserts them together,
``quests.batch_writes``; the completion a sink hears is ``quests.ports.completion_of``)."""

from __future__ import annotations

from quests.definitions import Quest
from quests.evidence import ChainEvent
from quests.orm import utcnow
from quests.store import json_ready


def evidence_values(player_id: int, quest: Quest, period: str, event: ChainEvent) -> dict[str, object]:
    return dict(
        player_id=player_id, quest_id=quest.id, period=period, contract=event.contract,
        event=event.event, tx_hash=event.tx_hash, log_index=event.log_index,
        block_number=event.block_number, block_time=event.at, args=json_ready(dict(event.args)),
        rule_version=quest.rule_version, seen_at=utcnow())
