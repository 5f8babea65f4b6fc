"""Why a quest is (not yet) complete, and why one of the player's transactions did or did not
count for it: the quest engine's side of ``GET /api/quests/<id>/why`` and
``POST /api/quests/<id>/explain``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quests.catalog_store import catalog_of, quest_or_404
from quests.definitions import Quest
from quests.evidence import ChainEvent
from quests.explain import explain
from quests.journey import Journey
from quests.objectives import EventObjective
from quests.objectives.event import concerns
from quests.orm import Player, utcnow
from quests.progress import QuestProgress, Standing
from quests.receipts import Judged, TxFacts, explain_tx
from quests.store import QuestEvidence
from quests.words import deed


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
    gate = journey.standing(quest)
    opening = journey.opening_block(quest) if gate.open else None
    report["evidence_seen"] += [_before(e, opening) for e in _too_early(journey, quest, opening)]
    report["accepted_block"] = row.accepted_block if row else None
    report["opening_block"] = opening
    report["indexer"] = {"lag_blocks": indexer_lag,
                         "caught_up": indexer_lag is not None and indexer_lag <= 0}
    report["hints"] = _hints(quest, progress, gate, opening, indexer_lag)
    return report


def _too_early(journey: Journey, quest: Quest, opening: int | None) -> list[ChainEvent]:
    """The player's kept logs this quest would have counted, made before it opened."""
    pairs = quest.listens_to()
    if not pairs or not opening:
        return []
    early = [e for e in journey.kept(pairs, 0) if e.block_number < opening]
    return [e for e in early if any(concerns(o, e, journey.wallet) for o in quest.all_objectives()
                                    if isinstance(o, EventObjective))]


def _before(e: ChainEvent, opening: int | None) -> dict[str, Any]:
    words = deed(e.contract, e.event)
    return {"contract": e.contract, "event": e.event, "tx_hash": e.tx_hash,
            "block_number": e.block_number, "log_index": e.log_index, "args": dict(e.args),
            "verdict": "before_opening",
            "why": f"your {words.noun} in block #{e.block_number} came before this quest opened to "
                   f"you (block #{opening}); only what you do from then on counts"}


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


def _hints(quest: Quest, progress: QuestProgress, gate: Standing, opening: int | None,
           lag: int | None) -> list[str]:
    hints = []
    on_chain = any(isinstance(o, EventObjective) for o in quest.all_objectives())
    if progress.is_done:
        pass
    elif not gate.open:
        hints.append(f"not open to you yet: {gate.reason}; what you do for it before it opens "
                     "does not count")
    elif on_chain and opening:
        hints.append(f"counting your transactions from block #{opening}, when this quest opened "
                     "to you; there is no need to accept it first")
    elif on_chain:
        hints.append("open to you from the start: every transaction of yours counts, "
                     "no need to accept it first")
    if lag is not None and lag > 0:
        hints.append(f"the indexer is {lag} block{'' if lag == 1 else 's'} behind the chain head; "
                     "your latest transactions may not be seen yet")
    elif lag is None and on_chain:
        hints.append("the indexer has not reported its position yet")
    return hints


def explain_transaction(session: Session, player: Player, quest_id: str, facts: TxFacts,
                        indexed_to: int | None, now: datetime) -> dict[str, Any]:
    """Explain one of the player's transactions for the quest (``quests.receipts``), with the
    engine's verdict on each of its logs."""
    catalog = catalog_of(session)
    quest = quest_or_404(catalog, quest_id)
    journey = Journey(session, catalog, player, now)
    _, progress = journey.current(quest)
    counted, ignored = _judged(progress.objectives)
    judged = {key: Judged("counted") for key in counted}
    judged.update({key: Judged("ignored", why) for key, why in ignored.items()})
    gate = journey.standing(quest)
    return explain_tx(quest, facts, journey.wallet, is_open=gate.open, locked_reason=gate.reason,
                      opening_block=journey.opening_block(quest), judged=judged,
                      indexed_to=indexed_to, now=now)
