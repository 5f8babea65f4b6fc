"""The reward worker's bookkeeping: plan grants into batches, remember what was signed, settle.

Every function takes the worker's :class:`Session` and never commits; the worker decides
where its transactions end (see :mod:`nft.worker`). The states a batch and its grants move
through are checked by :mod:`nft.batching`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from nft.batching import Batch, OutboxState, after_revert, check_transition
from nft.ledger import Grant, GrantKind
from nft.outbox import grant_of
from nft.store import RewardBatch, RewardGrant

ERROR_TEXT_LIMIT = 500


class LostRaceError(RuntimeError):
    """Another worker planned some of the same grants first; this planning is rolled back."""


@dataclass(frozen=True, slots=True)
class OpenBatch:
    """A batch the worker must settle: planned, or signed and not yet known to be final."""

    row_id: int
    batch_id: str
    state: OutboxState
    tx_hash: str | None
    nonce: int | None
    failures: int
    grants: tuple[Grant, ...]


def unplanned_grants(session: Session, limit: int) -> list[Grant]:
    """Pending on-chain grants that no batch carries yet, oldest first."""
    c = RewardGrant.__table__.c  # plain columns: no ORM object per grant
    rows = session.execute(
        select(c.player, c.source, c.period, c.kind, c.amount, c.token_id)
        .where(RewardGrant.state == OutboxState.PENDING.value, RewardGrant.batch_ref.is_(None),
               RewardGrant.kind != GrantKind.XP.value)
        .order_by(RewardGrant.id).limit(limit))
    return [grant_of(row) for row in rows]


def open_batch(session: Session, batch: Batch, now: datetime) -> int:
    """Persist a planned batch and link its grants; returns the batch row id.

    A batch whose grants all came back from a reverted batch has the same id as that batch
    (ids hash the grant keys); its failed row is reused, which is safe because the id was
    never minted. Raises :class:`LostRaceError` when a grant is no longer unplanned.
    """
    row = session.scalar(select(RewardBatch).where(RewardBatch.batch_id == batch.batch_id))
    if row is None:
        row = RewardBatch(batch_id=batch.batch_id, target=str(batch.target), attempts=0)
        session.add(row)
    elif row.state != OutboxState.FAILED.value:
        raise LostRaceError(f"batch {batch.batch_id} is already {row.state}")
    row.state, row.entries, row.failures = OutboxState.PENDING.value, len(batch.grants), 0
    row.tx_hash = row.sender = row.nonce = row.last_error = row.next_attempt_at = None
    session.flush()
    linked = session.execute(
        update(RewardGrant)
        .where(RewardGrant.grant_key.in_(batch.grant_keys),
               RewardGrant.state == OutboxState.PENDING.value, RewardGrant.batch_ref.is_(None))
        .values(batch_ref=row.id).execution_options(synchronize_session=False))
    if changed_rows(linked) != len(batch.grants):
        raise LostRaceError(f"some grants of batch {batch.batch_id} were planned elsewhere")
    return row.id


def open_batches(session: Session, now: datetime, limit: int, *, due_only: bool = True
                 ) -> list[OpenBatch]:
    """Batches that are neither confirmed nor failed, by id; ``due_only`` skips those whose
    ``next_attempt_at`` lies after ``now`` (a restarted worker looks at all of them)."""
    query = select(RewardBatch).where(
        RewardBatch.state.in_([OutboxState.PENDING.value, OutboxState.SENDING.value]))
    if due_only:
        query = query.where((RewardBatch.next_attempt_at.is_(None))
                            | (RewardBatch.next_attempt_at <= now))
    found = []
    for row in session.scalars(query.order_by(RewardBatch.id).limit(limit)):
        grants = tuple(grant_of(g) for g in session.scalars(
            select(RewardGrant).where(RewardGrant.batch_ref == row.id)))
        found.append(OpenBatch(row.id, row.batch_id, OutboxState(row.state), row.tx_hash,
                               row.nonce, row.failures, grants))
    return found


def record_signed(session: Session, row_id: int, tx_hash: str, sender: str, nonce: int,
                  lease_until: datetime) -> None:
    """Remember the transaction about to be broadcast; from now on its grants may be on chain.

    ``lease_until`` keeps the batch out of :func:`open_batches` while this worker waits for it.
    """
    row = session.get_one(RewardBatch, row_id)
    if row.state == OutboxState.PENDING.value:
        check_transition(row.state, OutboxState.SENDING)
        row.state = OutboxState.SENDING.value
        session.execute(update(RewardGrant).where(RewardGrant.batch_ref == row_id)
                        .values(state=OutboxState.SENDING.value)
                        .execution_options(synchronize_session=False))
    row.tx_hash, row.sender, row.nonce = tx_hash, sender, nonce
    row.attempts += 1
    row.next_attempt_at = lease_until


def confirm_batch(session: Session, row_id: int, now: datetime, mined_block: int | None = None
                  ) -> int:
    """The batch is minted on chain (in ``mined_block``, as far as the worker saw): it and its
    grants are confirmed. Returns the grant count."""
    row = session.get_one(RewardBatch, row_id)
    check_transition(row.state, OutboxState.CONFIRMED)
    row.state, row.confirmed_at, row.mined_block = OutboxState.CONFIRMED.value, now, mined_block
    row.next_attempt_at, row.last_error, row.failures = None, None, 0
    confirmed = session.execute(update(RewardGrant).where(RewardGrant.batch_ref == row_id)
                                .values(state=OutboxState.CONFIRMED.value, confirmed_at=now)
                                .execution_options(synchronize_session=False))
    return changed_rows(confirmed)


@dataclass(frozen=True, slots=True)
class ConfirmedBatch:
    """A confirmed batch recent enough to be looked at again."""

    row_id: int
    batch_id: str
    target: str
    mined_block: int


def recent_confirmed(session: Session, since_block: int, until_block: int, limit: int, *,
                     after: tuple[int, int] | None = None) -> list[ConfirmedBatch]:
    """Confirmed batches mined in ``since_block .. until_block``, in (block, id) order after
    ``after`` (off the ``mined_block`` index: older batches are never read again)."""
    c = RewardBatch.__table__.c
    query = select(c.id, c.batch_id, c.target, c.mined_block).where(
        c.mined_block >= since_block, c.mined_block <= until_block,
        c.state == OutboxState.CONFIRMED.value)
    if after is not None:
        query = query.where((c.mined_block > after[0])
                            | ((c.mined_block == after[0]) & (c.id > after[1])))
    rows = session.execute(query.order_by(c.mined_block, c.id).limit(limit))
    return [ConfirmedBatch(r.id, r.batch_id, r.target, r.mined_block) for r in rows]


def reopen_batch(session: Session, row_id: int, reason: str) -> int:
    """A reorg deeper than the confirmation depth undid the batch's mint: it and its grants are
    owed again (``sending``, the same batch id, tx hash and nonce, due now), so the worker
    looks at the chain and sends the same batch again. Returns the grant count."""
    row = session.get_one(RewardBatch, row_id)
    row.state = check_transition(row.state, OutboxState.SENDING).value
    row.confirmed_at = row.mined_block = row.next_attempt_at = None
    row.last_error = reason[:ERROR_TEXT_LIMIT]
    reopened = session.execute(update(RewardGrant).where(RewardGrant.batch_ref == row_id)
                               .values(state=OutboxState.SENDING.value, confirmed_at=None)
                               .execution_options(synchronize_session=False))
    return changed_rows(reopened)


def release_batch(session: Session, row_id: int, reason: str, max_attempts: int) -> None:
    """The batch's transaction reverted and nothing was minted: give its grants back.

    Each grant goes back to pending (to be planned afresh) or, after ``max_attempts``
    reverted batches, to failed for an admin to look at (:func:`retry_failed`).
    """
    row = session.get_one(RewardBatch, row_id)
    check_transition(row.state, OutboxState.FAILED)
    row.state, row.last_error, row.next_attempt_at = OutboxState.FAILED.value, reason[:ERROR_TEXT_LIMIT], None
    for grant in session.scalars(select(RewardGrant).where(RewardGrant.batch_ref == row_id)):
        grant.attempts += 1
        grant.state = check_transition(grant.state, after_revert(grant.attempts, max_attempts)).value
        if grant.state == OutboxState.PENDING.value:
            grant.batch_ref = None


def defer_batch(session: Session, row_id: int, error: str, retry_at: datetime) -> None:
    """Something failed on the way (RPC down, no receipt yet): try again at ``retry_at``."""
    row = session.get_one(RewardBatch, row_id)
    row.failures += 1
    row.last_error = error[:ERROR_TEXT_LIMIT]
    row.next_attempt_at = retry_at


def retry_failed(session: Session) -> int:
    """Put failed grants back to pending (after the cause, e.g. a lost role, is fixed)."""
    changed = session.execute(
        update(RewardGrant).where(RewardGrant.state == OutboxState.FAILED.value)
        .values(state=OutboxState.PENDING.value, batch_ref=None, attempts=0)
        .execution_options(synchronize_session=False))
    return changed_rows(changed)


def changed_rows(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def hold_batch(session: Session, row_id: int, until: datetime) -> None:
    """The batch is mined above the confirmation depth: look again at ``until`` (no failure)."""
    session.get_one(RewardBatch, row_id).next_attempt_at = until
