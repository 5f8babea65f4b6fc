"""Chain reorgs: forget the evidence of orphaned blocks and judge the affected quests again
from what remains, so that no quest stays completed on a transaction that is gone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from quests.catalog_store import catalog_of
from quests.definitions import Quest
from quests.engine import advance
from quests.evidence import ChainEvent
from quests.evidence import Player as Wallet
from quests.journey import completion_of, installed_sink
from quests.leaderboard import add_scores, score_deltas
from quests.objectives import CompositeObjective, EventObjective, Objective
from quests.objectives.composite import parts_progress
from quests.orm import Player, utcnow
from quests.ports import Completion, CompletionSink
from quests.progress import QuestProgress, Status
from quests.store import (
    QuestCompletion,
    QuestEvidence,
    QuestInbox,
    QuestRecord,
    QuestWithdrawal,
    WaysideLog,
)


def retract_from(session: Session, block_number: int, now: datetime | None = None, *,
                 sink: CompletionSink | None = None) -> list[Completion]:
    """Delete the evidence of blocks >= ``block_number``, recompute every affected record
    from the evidence that remains, and withdraw completions that no longer stand (the sink
    hears ``withdrawn``). Returns the withdrawn completions."""
    now = now or utcnow()
    catalog = catalog_of(session)
    affected = sorted(set(tuple(r) for r in session.execute(
        select(QuestEvidence.player_id, QuestEvidence.quest_id, QuestEvidence.period)
        .where(QuestEvidence.block_number >= block_number)).all()))
    session.execute(delete(QuestInbox).where(QuestInbox.block_number >= block_number)
                    .execution_options(synchronize_session=False))
    session.execute(delete(WaysideLog).where(WaysideLog.block_number >= block_number)
                    .execution_options(synchronize_session=False))
    session.execute(delete(QuestEvidence).where(QuestEvidence.block_number >= block_number)
                    .execution_options(synchronize_session=False))
    withdrawn: list[Completion] = []
    for player_id, quest_id, period in affected:
        row = session.scalar(select(QuestRecord).where(
            QuestRecord.player_id == player_id, QuestRecord.quest_id == quest_id,
            QuestRecord.period == period).with_for_update())
        if row is None or quest_id not in catalog:
            continue
        player = session.get_one(Player, player_id)
        quest = catalog.get(quest_id)
        before = row.to_progress()
        replayed = replay(quest, before, remaining_events(session, player_id, quest_id, period),
                          Wallet(player.address), now)
        if not before.is_done:
            row.store(replayed)
            continue
        if replayed.status is Status.COMPLETED:
            # Still complete on the evidence that remains: keep it, cite what remains.
            row.store(replace(before, objectives=replayed.objectives, evidence=replayed.evidence))
            _recite(session, player_id, quest_id, period, replayed)
            continue
        withdrawn.append(_withdraw(session, player, quest, row, replayed, block_number, now, sink))
    session.flush()
    return withdrawn


def replay(quest: Quest, before: QuestProgress, events: list[ChainEvent], wallet: Wallet,
           now: datetime) -> QuestProgress:
    """The record rebuilt from ``events``: on-chain objectives start over, the others
    (answers, readings, check-ins) keep their progress."""
    progress = QuestProgress(
        quest_id=quest.id, period=before.period, status=Status.IN_PROGRESS,
        objectives=tuple(without_events(o, before.objective(i)) for i, o in enumerate(quest.objectives)),
        rule_version=before.rule_version, started_at=before.started_at)
    for event in events:
        step = advance(quest, progress, event, wallet, now)
        progress = step.progress
        if step.completed:
            break
    return progress


def without_events(objective: Objective, progress: Mapping[str, Any]) -> dict[str, Any]:
    """``progress`` with every on-chain event objective's part reset."""
    if isinstance(objective, EventObjective):
        return {}
    if isinstance(objective, CompositeObjective):
        parts = parts_progress(objective, progress)
        return {**progress, "parts": [without_events(o, p) for o, p in zip(objective.parts, parts)]}
    return dict(progress)


def remaining_events(session: Session, player_id: int, quest_id: str, period: str) -> list[ChainEvent]:
    rows = session.scalars(select(QuestEvidence).where(
        QuestEvidence.player_id == player_id, QuestEvidence.quest_id == quest_id,
        QuestEvidence.period == period).order_by(QuestEvidence.block_number, QuestEvidence.log_index))
    return [ChainEvent(contract=r.contract, event=r.event, args=r.args, block_number=r.block_number,
                       tx_hash=r.tx_hash, log_index=r.log_index,
                       timestamp=int(r.block_time.timestamp())) for r in rows]


def _recite(session: Session, player_id: int, quest_id: str, period: str, progress: QuestProgress) -> None:
    completion = _completion_row(session, player_id, quest_id, period)
    if completion is None:
        return
    last = next((e for e in reversed(progress.evidence) if e.get("kind") == "event"), None)
    completion.evidence = [dict(e) for e in progress.evidence]
    if last is not None:
        completion.tx_hash, completion.block_number = last["tx_hash"], last["block_number"]
        completion.log_index = last["log_index"]


def _withdraw(session: Session, player: Player, quest: Quest, row: QuestRecord, replayed: QuestProgress,
              block_number: int, now: datetime, sink: CompletionSink | None) -> Completion:
    stored = _completion_row(session, player.id, quest.id, row.period)
    before = row.to_progress()
    completed_at = stored.completed_at if stored else (before.completed_at or now)
    completion = completion_of(player, quest, row.period, completed_at, before, None)
    if stored is not None:
        completion = replace(completion, tx_hash=stored.tx_hash, block_number=stored.block_number,
                             log_index=stored.log_index, evidence=tuple(stored.evidence))
        session.delete(stored)
    session.add(QuestWithdrawal(player_id=player.id, quest_id=quest.id, period=row.period,
                                completed_at=completed_at, withdrawn_at=now, from_block=block_number,
                                evidence=list(completion.evidence)))
    add_scores(session, player.id, {b: -d for b, d in score_deltas(quest.rewards).items()},
               completed_at)
    row.store(replace(replayed, completed_at=None, rewarded_at=None))
    session.flush()
    (sink or installed_sink()).withdrawn(session, completion)
    return completion


def _completion_row(session: Session, player_id: int, quest_id: str, period: str) -> QuestCompletion | None:
    return session.scalar(select(QuestCompletion).where(
        QuestCompletion.player_id == player_id, QuestCompletion.quest_id == quest_id,
        QuestCompletion.period == period))
