"""Reading the ledger: a player's open grants, totals per token, counts per outbox state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nft.batching import OutboxState
from nft.outbox import GrantRecord, record_of
from nft.store import RewardBatch, RewardGrant


@dataclass(frozen=True, slots=True)
class OpenGrant:
    """A player's on-chain grant that is not minted yet, as the inventory shows it."""

    record: GrantRecord
    tx_hash: str | None
    next_attempt_at: datetime | None
    last_error: str | None


def open_grants_for(session: Session, player: str, limit: int = 100) -> list[OpenGrant]:
    """A player's grants that are pending, sending or failed, newest first."""
    query = (select(RewardGrant, RewardBatch)
             .outerjoin(RewardBatch, RewardGrant.batch_ref == RewardBatch.id)
             .where(RewardGrant.player == player.lower(),
                    RewardGrant.state.not_in([OutboxState.CONFIRMED.value,
                                              OutboxState.WITHDRAWN.value]))
             .order_by(RewardGrant.id.desc()).limit(limit))
    return [OpenGrant(record_of(grant, False), batch.tx_hash if batch else None,
                      batch.next_attempt_at if batch else None,
                      batch.last_error if batch else None)
            for grant, batch in session.execute(query)]


def ledger_totals(session: Session, states: Sequence[OutboxState] = (OutboxState.CONFIRMED,)
                  ) -> dict[tuple[str, str, int | None], int]:
    """Sum of amounts per (player, kind, token id) over grants in ``states``."""
    totals: dict[tuple[str, str, int | None], int] = {}
    query = select(RewardGrant.player, RewardGrant.kind, RewardGrant.token_id,
                   RewardGrant.amount).where(RewardGrant.state.in_([s.value for s in states]))
    for player, kind, token_id, amount in session.execute(query):
        key = (player, kind, token_id)
        totals[key] = totals.get(key, 0) + amount
    return totals


def state_counts(session: Session) -> dict[str, int]:
    """How many grants are in each outbox state."""
    query = select(RewardGrant.state, func.count()).group_by(RewardGrant.state)
    return {state: count for state, count in session.execute(query)}


def backlog(session: Session) -> dict[str, int]:
    """Grants per outbox state that are not final yet (pending, sending, failed)."""
    open_states = [OutboxState.PENDING.value, OutboxState.SENDING.value, OutboxState.FAILED.value]
    rows = session.execute(select(RewardGrant.state, func.count()).where(
        RewardGrant.state.in_(open_states)).group_by(RewardGrant.state)).all()
    counts = {state: 0 for state in open_states}
    counts.update({state: n for state, n in rows})
    return counts
