"""Journeys of many players read together: a verification batch's players, their records
of the current periods and their completions in two statements for all of them (instead of
two per player). For reads at the end of a batch, when the batch's writes are done."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from quests import queries
from quests.definitions import Catalog, Recurrence
from quests.journey import Journey
from quests.orm import Player
from quests.ports import CompletionSink
from quests.progress import period_key
from quests.store import QuestRecord


def journeys_of(session: Session, catalog: Catalog, players: Sequence[Player], now: datetime, *,
                lock: bool = False, sink: CompletionSink | None = None) -> dict[int, Journey]:
    """Player id -> a journey holding what the database says now: for reads, or with
    ``lock`` (the records read under their row locks) for a batch in which nothing but the
    journey itself changes the player's quests."""
    ids = sorted({p.id for p in players})
    if not ids:
        return {}
    periods = sorted({period_key(r, now) for r in Recurrence})
    records: dict[int, dict[tuple[str, str], QuestRecord]] = {}
    statement = queries.RECORDS_OF_PLAYERS_LOCKED if lock else queries.RECORDS_OF_PLAYERS
    for row in session.scalars(statement, {"players": ids, "periods": periods}):
        records.setdefault(row.player_id, {})[(row.quest_id, row.period)] = row
    completed: dict[int, list[tuple[str, datetime, int | None]]] = {}
    for player_id, quest_id, at, block in session.execute(queries.COMPLETED_OF_PLAYERS, {"players": ids}):
        completed.setdefault(player_id, []).append((quest_id, at, block))
    return {p.id: Journey(session, catalog, p, now, sink).preload(
        records.get(p.id, {}), completed.get(p.id, []), locked=lock) for p in players}
