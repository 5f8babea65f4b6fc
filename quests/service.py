"""The quest engine's service API, for the indexer loop and the views.

Every function takes the caller's ``Session`` and plain values, raises domain errors from
``quests.errors`` and never commits: the caller's transaction holds the evidence, the
progress, the completion and (through the ``CompletionSink``) the reward grants together.
``sink`` defaults to the one the composition root installed (``install_sink``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quests.catalog_store import catalog_of, load_catalog_into
from quests.checkins import check_in, referral_report
from quests.definitions import Catalog, Quest
from quests.engine import players_in
from quests.errors import NotApplicable, QuestAlreadyDone, QuestLocked, UnknownQuest
from quests.evidence import Answer, ChainEvent, StateReading
from quests.explain import explain
from quests.journey import Journey, install_sink
from quests.objectives import AnswerObjective, EventObjective
from quests.orm import Player, utcnow
from quests.ports import Completion, CompletionSink
from quests.progress import QuestProgress, Status, period_key, transition
from quests.reorg import retract_from
from quests.store import QuestEvidence, QuestRecord

__all__ = [
    "Move", "accept", "answer", "apply_chain_events", "awaiting_reward", "catalog_of",
    "check_in", "check_state", "install_sink", "load_catalog_into", "mark_rewarded",
    "quest_or_404", "referral_report", "retract_from", "why",
]


@dataclass(frozen=True)
class Move:
    """What a player's action did: the record now, the completions it caused (the quest's
    and any that followed, e.g. a referrer's), and the reasons objectives are still unmet."""

    progress: QuestProgress
    completions: list[Completion] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        return any(c.quest_id == self.progress.quest_id for c in self.completions)


def quest_or_404(catalog: Catalog, quest_id: str) -> Quest:
    if quest_id not in catalog:
        raise UnknownQuest(quest_id)
    return catalog.get(quest_id)


def accept(session: Session, player: Player, quest_id: str, now: datetime, head_block: int, *,
           sink: CompletionSink | None = None) -> Move:
    """Take an available quest: available -> in_progress, remembering the chain head. Only
    logs in blocks after ``head_block`` (and inside the quest's window) count for it.
    Accepting a quest in progress again changes nothing."""
    if isinstance(head_block, bool) or not isinstance(head_block, int) or head_block < 0:
        raise NotApplicable("head_block", f"expected a block number, got {head_block!r}")
    catalog = catalog_of(session)
    quest = quest_or_404(catalog, quest_id)
    journey = Journey(session, catalog, player, now, sink)
    row, progress = journey.current(quest, lock=True)
    if progress.is_done:
        raise QuestAlreadyDone(quest.id, progress.period)
    if progress.status is Status.LOCKED:
        raise QuestLocked(quest.id, journey.standing(quest).reason or "not open to you yet")
    if progress.status is Status.AVAILABLE:
        progress = transition(progress, Status.IN_PROGRESS, now)
    row = journey.save(quest, row, progress)
    if row.accepted_block is None:
        row.accepted_block = head_block
    completions = journey.catch_up_referrals()
    return Move(row.to_progress(), completions)


def apply_chain_events(session: Session, events: Sequence[ChainEvent], now: datetime, *,
                       sink: CompletionSink | None = None) -> list[Completion]:
    """Feed indexed logs to the accepted quests of the players they concern. Logs of
    players who never signed in are ignored; a log fed twice counts once."""
    catalog = catalog_of(session)
    done: list[Completion] = []
    for event in sorted(events, key=lambda e: (e.block_number, e.log_index)):
        quests = {q.id: q for q in catalog.listening_to(event.contract, event.event)}
        addresses = players_in(catalog, event) if quests else frozenset()
        if not addresses:
            continue
        periods = {q.id: period_key(q.recurrence, event.at) for q in quests.values()}
        players = session.scalars(select(Player).where(Player.address.in_(sorted(addresses)))
                                  .order_by(Player.id))
        for player in players.all():
            rows = session.scalars(
                select(QuestRecord)
                .where(QuestRecord.player_id == player.id, QuestRecord.quest_id.in_(sorted(quests)),
                       QuestRecord.status == Status.IN_PROGRESS.value)
                .order_by(QuestRecord.id).with_for_update()).all()
            journey = Journey(session, catalog, player, now, sink)
            for row in rows:
                if row.period == periods[row.quest_id]:
                    done += journey.feed_event(quests[row.quest_id], row, event)
    return done


def check_state(session: Session, player: Player, quest_id: str, readings: list[StateReading],
                now: datetime, *, sink: CompletionSink | None = None) -> Move:
    """Judge the on-chain state readings (balance, stake, ownership...) the caller made for
    the player against the quest's state objectives."""
    catalog = catalog_of(session)
    quest = quest_or_404(catalog, quest_id)
    if not quest.state_checks():
        raise NotApplicable("quest_id", f"{quest.id} has no on-chain state to check; it completes "
                                        "as the indexer sees your transactions")
    return _act(session, catalog, player, quest, list(readings), now, sink)


def answer(session: Session, player: Player, quest_id: str, text: str, now: datetime, *,
           sink: CompletionSink | None = None) -> Move:
    """Answer the quest's quiz question."""
    catalog = catalog_of(session)
    quest = quest_or_404(catalog, quest_id)
    if not any(isinstance(o, AnswerObjective) for o in quest.all_objectives()):
        raise NotApplicable("quest_id", f"{quest.id} asks no question")
    return _act(session, catalog, player, quest, [Answer(text)], now, sink)


def _act(session: Session, catalog: Catalog, player: Player, quest: Quest, evidence: list[Any],
         now: datetime, sink: CompletionSink | None) -> Move:
    journey = Journey(session, catalog, player, now, sink)
    _, progress = journey.current(quest)
    if progress.is_done:
        raise QuestAlreadyDone(quest.id, progress.period)
    if progress.status is Status.LOCKED:
        raise QuestLocked(quest.id, journey.standing(quest).reason or "not open to you yet")
    completions: list[Completion] = []
    reasons: list[str] = []
    for item in evidence:
        step, done = journey.feed(quest, item)
        completions += done
        reasons = [o.reason for o in step.outcomes if not o.met and o.reason]
        progress = step.progress
    return Move(progress, completions, reasons)


def why(session: Session, player: Player, quest_id: str, indexer_lag: int | None,
        now: datetime | None = None) -> dict[str, Any]:
    """Why the quest is (not yet) complete: the explanation per objective, every log seen
    for it (counted, or ignored and why), and how far behind the chain head the indexer is
    (``indexer_lag`` in blocks; None: unknown)."""
    now = now or utcnow()
    catalog = catalog_of(session)
    quest = quest_or_404(catalog, quest_id)
    journey = Journey(session, catalog, player, now)
    row, progress = journey.current(quest)
    report = explain(quest, progress, journey.wallet, journey.standing(quest)).to_dict()
    counted, ignored = _judged(progress.objectives)
    seen = session.scalars(select(QuestEvidence).where(
        QuestEvidence.player_id == player.id, QuestEvidence.quest_id == quest.id,
        QuestEvidence.period == progress.period).order_by(QuestEvidence.block_number,
                                                          QuestEvidence.log_index))
    report["evidence_seen"] = [_seen(e, counted, ignored) for e in seen]
    report["accepted_block"] = row.accepted_block if row else None
    report["indexer"] = {"lag_blocks": indexer_lag,
                         "caught_up": indexer_lag is not None and indexer_lag <= 0}
    report["hints"] = _hints(quest, row, indexer_lag)
    return report


def _judged(objectives: Sequence[Any]) -> tuple[set[str], dict[str, str]]:
    counted: set[str] = set()
    ignored: dict[str, str] = {}

    def visit(p: Any) -> None:
        if isinstance(p, dict):
            for ref in p.get("evidence", []) or []:
                if isinstance(ref, dict) and "key" in ref:
                    counted.add(ref["key"])
            for ref in p.get("ignored", []) or []:
                if isinstance(ref, dict) and "key" in ref:
                    ignored[ref["key"]] = ref.get("why", "")
            for part in p.get("parts", []) or []:
                visit(part)

    for p in objectives:
        visit(p)
    return counted, ignored


def _seen(e: QuestEvidence, counted: set[str], ignored: dict[str, str]) -> dict[str, Any]:
    key = f"{e.tx_hash.lower()}:{e.log_index}"
    verdict = "counted" if key in counted else "ignored" if key in ignored else "seen"
    return {"contract": e.contract, "event": e.event, "tx_hash": e.tx_hash,
            "block_number": e.block_number, "log_index": e.log_index, "args": e.args,
            "verdict": verdict, "why": ignored.get(key)}


def _hints(quest: Quest, row: QuestRecord | None, lag: int | None) -> list[str]:
    hints = []
    on_chain = any(isinstance(o, EventObjective) for o in quest.all_objectives())
    if on_chain and (row is None or row.accepted_block is None):
        hints.append("accept the quest first: only transactions in blocks after you accept count")
    elif on_chain and row is not None and row.status == Status.IN_PROGRESS.value:
        hints.append(f"counting your transactions in blocks after #{row.accepted_block}")
    if lag is not None and lag > 0:
        hints.append(f"the indexer is {lag} block{'' if lag == 1 else 's'} behind the chain head; "
                     "your latest transactions may not be seen yet")
    elif lag is None and on_chain:
        hints.append("the indexer has not reported its position yet")
    return hints


def awaiting_reward(session: Session, *, player_id: int | None = None, after: int = 0,
                    limit: int = 500) -> list[tuple[int, str, str, str]]:
    """Completed (not yet rewarded) records with an id above ``after``, by id: (record id,
    player address, quest id, period). The (status, id) index answers it in ``limit`` rows."""
    query = (select(QuestRecord.id, Player.address, QuestRecord.quest_id, QuestRecord.period)
             .join(Player, Player.id == QuestRecord.player_id)
             .where(QuestRecord.status == Status.COMPLETED.value, QuestRecord.id > after))
    if player_id is not None:
        query = query.where(QuestRecord.player_id == player_id)
    return [tuple(r) for r in session.execute(query.order_by(QuestRecord.id).limit(limit))]  # type: ignore[misc]


def mark_rewarded(session: Session, record_ids: Sequence[int], now: datetime) -> int:
    """completed -> rewarded, once every on-chain grant of the completion is confirmed."""
    changed = 0
    for row in session.scalars(select(QuestRecord).where(QuestRecord.id.in_(list(record_ids)),
                                                         QuestRecord.status == Status.COMPLETED.value)):
        row.store(transition(row.to_progress(), Status.REWARDED, now))
        changed += 1
    session.flush()
    return changed
