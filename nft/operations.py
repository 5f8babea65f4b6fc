"""Reward operations for admins: the grants that failed and the batches the worker
deferred, with retry and cancel. Never commits (the admin view audits in the same
transaction); never touches what may already be on chain (sending grants stay)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nft.batching import OutboxState
from nft.store import RewardBatch, RewardGrant


def troubled(session: Session, limit: int = 50, failed_after: int | None = None,
             deferred_after: int | None = None) -> dict[str, Any]:
    """Failed grants (for an admin to retry or cancel) and deferred batches (an error on the
    way: RPC down, no receipt yet; the worker tries them again at ``next_attempt_at``), a page
    of each in id order; ``failed_next`` / ``deferred_next`` are the cursors of the next pages
    (``None`` on the last)."""
    failed_q = select(RewardGrant).where(RewardGrant.state == OutboxState.FAILED.value)
    if failed_after is not None:
        failed_q = failed_q.where(RewardGrant.id > failed_after)
    failed = list(session.scalars(failed_q.order_by(RewardGrant.id).limit(limit + 1)))
    deferred_q = select(RewardBatch).where(
        RewardBatch.state.in_([OutboxState.PENDING.value, OutboxState.SENDING.value]),
        RewardBatch.failures > 0)
    if deferred_after is not None:
        deferred_q = deferred_q.where(RewardBatch.id > deferred_after)
    deferred = list(session.scalars(deferred_q.order_by(RewardBatch.id).limit(limit + 1)))
    return {"failed": [grant_view(g) for g in failed[:limit]],
            "deferred": [batch_view(b) for b in deferred[:limit]],
            "failed_next": failed[limit - 1].id if len(failed) > limit else None,
            "deferred_next": deferred[limit - 1].id if len(deferred) > limit else None,
            "limit": limit}


def grant_view(row: RewardGrant) -> dict[str, Any]:
    return {"grant_key": row.grant_key, "player": row.player, "source": row.source,
            "period": row.period, "kind": row.kind, "token_id": row.token_id,
            "amount": str(row.amount), "state": row.state, "attempts": row.attempts}


def batch_view(row: RewardBatch) -> dict[str, Any]:
    return {"batch_id": row.batch_id, "state": row.state, "entries": row.entries,
            "failures": row.failures, "tx_hash": row.tx_hash, "last_error": row.last_error,
            "next_attempt_at": row.next_attempt_at.isoformat() if row.next_attempt_at else None}


def retry_grants(session: Session, keys: Sequence[str]) -> list[dict[str, Any]]:
    """Failed grants back to pending (to be planned afresh); returns their views before."""
    rows = list(session.scalars(select(RewardGrant).where(
        RewardGrant.grant_key.in_(list(keys)), RewardGrant.state == OutboxState.FAILED.value)
        .with_for_update()))
    before = [grant_view(r) for r in rows]
    for row in rows:
        row.state, row.batch_ref, row.attempts = OutboxState.PENDING.value, None, 0
    return before


def retry_batches(session: Session, batch_ids: Sequence[str], now: datetime) -> list[dict[str, Any]]:
    """Deferred batches due now instead of at their backoff time."""
    rows = list(session.scalars(select(RewardBatch).where(
        RewardBatch.batch_id.in_(list(batch_ids)),
        RewardBatch.state.in_([OutboxState.PENDING.value, OutboxState.SENDING.value]))
        .with_for_update()))
    before = [batch_view(r) for r in rows]
    for row in rows:
        row.next_attempt_at, row.failures = now, 0
    return before


def cancel_grants(session: Session, keys: Sequence[str]) -> list[dict[str, Any]]:
    """Failed (or pending, unplanned) grants are withdrawn: never minted, kept in the ledger."""
    rows = list(session.scalars(select(RewardGrant).where(
        RewardGrant.grant_key.in_(list(keys)),
        RewardGrant.state.in_([OutboxState.FAILED.value, OutboxState.PENDING.value]),
        RewardGrant.batch_ref.is_(None) | (RewardGrant.state == OutboxState.FAILED.value),
        RewardGrant.kind != "xp").with_for_update()))
    before = [grant_view(r) for r in rows]
    for row in rows:
        row.state, row.batch_ref = OutboxState.WITHDRAWN.value, None
    return before
