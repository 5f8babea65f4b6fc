"""What a player sees: the world map with its regions and quests, the quest list and one
quest in detail, each with the player's status now. Anonymous visitors see every region
and quest, all locked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quests.catalog_store import catalog_of
from quests.definitions import Quest
from quests.engine import refresh
from quests.evidence import Player as Wallet
from quests.explain import explain
from quests.journey import Journey
from quests.levels import level_progress
from quests.objectives import AnswerObjective, EventObjective
from quests.orm import Player
from quests.progress import QuestProgress, Standing, Status, new_progress, next_reset, period_key
from quests.service import quest_or_404
from quests.store import QuestRecord
from quests.world import REGIONS

SIGN_IN = "sign in with your wallet to begin"


class Board:
    """The statuses of every quest for one player (or an anonymous visitor) at ``now``."""

    def __init__(self, session: Session, player: Player | None, now: datetime) -> None:
        self.catalog = catalog_of(session)
        self.player, self.now = player, now
        self.journey = Journey(session, self.catalog, player, now) if player else None
        self.rows: dict[tuple[str, str], QuestRecord | None] = (
            self.journey.records() if self.journey else {})

    @property
    def completed(self) -> set[str]:
        return set(self.journey.completed) if self.journey else set()

    def state(self, quest: Quest) -> tuple[QuestProgress, Standing, QuestRecord | None]:
        if self.journey is None:
            return new_progress(quest, self.now), Standing(False, SIGN_IN), None
        row = self.rows.get((quest.id, period_key(quest.recurrence, self.now)))
        progress = refresh(quest, row.to_progress() if row else None, completed=self.completed,
                           now=self.now, last_completed_at=self.journey.completed.get(quest.id),
                           campaign=self.journey.campaign_gate(quest))
        return progress, self.journey.standing(quest), row

    def card(self, quest: Quest) -> dict[str, Any]:
        progress, gate, row = self.state(quest)
        return {
            "id": quest.id, "region": quest.region, "title": quest.title,
            "recurrence": quest.recurrence.value, "status": progress.status.value,
            "period": progress.period,
            "reason": gate.reason if progress.status is Status.LOCKED else None,
            "rewards": rewards_of(quest), "on_chain": _on_chain(quest),
            "checks_state": bool(quest.state_checks()), "asks": _question(quest) is not None,
            "accepted_block": row.accepted_block if row else None,
        }

    def detail(self, quest: Quest) -> dict[str, Any]:
        progress, gate, _ = self.state(quest)
        wallet = Wallet(self.player.address if self.player else "0x" + "0" * 40)
        report = explain(quest, progress, wallet, gate)
        reset = next_reset(quest.recurrence, self.now)
        return {
            **self.card(quest), "story": quest.story,
            "prerequisites": sorted(quest.prerequisites), "campaign": quest.campaign,
            "available_from": _iso(quest.available_from), "available_until": _iso(quest.available_until),
            "cooldown_seconds": int(quest.cooldown.total_seconds()), "next_reset": _iso(reset),
            "question": _question(quest),
            "objectives": [{"title": o.title, "type": o.type_name, "met": o.met, "reason": o.reason}
                           for o in report.objectives],
            "completed_at": _iso(progress.completed_at), "rewarded_at": _iso(progress.rewarded_at),
        }


def quest_list(session: Session, player: Player | None, now: datetime,
               region: str | None = None) -> list[dict[str, Any]]:
    board = Board(session, player, now)
    return [board.card(q) for q in board.catalog if region is None or q.region == region]


def quest_detail(session: Session, player: Player | None, quest_id: str, now: datetime) -> dict[str, Any]:
    board = Board(session, player, now)
    return board.detail(quest_or_404(board.catalog, quest_id))


def world(session: Session, player: Player | None, now: datetime) -> dict[str, Any]:
    """Regions in map order with their unlock state and their quests."""
    board = Board(session, player, now)
    completed = board.completed
    regions = []
    for region in REGIONS:
        unlocked = region.is_unlocked(completed)  # the Gate is open to every visitor
        regions.append({
            "key": region.key, "number": region.number, "name": region.name,
            "teaches": region.teaches, "guardian": region.guardian,
            "shard_id": region.shard_id, "guardian_id": region.guardian_id,
            "unlocked": unlocked, "unlock_after": sorted(region.unlock_after),
            "missing": sorted(region.unlock_after - completed),
            "quests": [board.card(q) for q in board.catalog.in_region(region.key)],
        })
    return {"regions": regions, "player": player_summary(session, player)}


def player_summary(session: Session, player: Player | None) -> dict[str, Any] | None:
    if player is None:
        return None
    xp = session.scalar(select(Player.xp).where(Player.id == player.id)) or 0
    level = level_progress(xp)
    return {"address": player.address, "xp": xp, "level": level.level, "rank": level.rank,
            "next_level_xp": level.next_level_xp}


def rewards_of(quest: Quest) -> dict[str, Any]:
    return {"shards": dict(quest.rewards.shards), "sahara": quest.rewards.sahara, "xp": quest.rewards.xp}


def _question(quest: Quest) -> dict[str, Any] | None:
    for objective in quest.all_objectives():
        if isinstance(objective, AnswerObjective):
            return {"question": objective.question, "choices": list(objective.choices)}
    return None


def _on_chain(quest: Quest) -> bool:
    return any(isinstance(o, EventObjective) for o in quest.all_objectives())


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None
