"""Ledger and outbox services: record grants, and the reward worker's bookkeeping.

Every function takes the caller's :class:`Session` and never commits: the quest engine records
grants in the same transaction as the completion that earned them, and the worker decides
where its own transactions end (see :mod:`nft.worker`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from nft.batching import Batch, OutboxState, after_revert, check_transition
from nft.ledger import Grant, GrantKind, RewardError
from nft.store import RewardBatch, RewardGrant
from quests.orm import Player, utcnow

ERROR_TEXT_LIMIT = 500
GRANTS_RECORDED = "nft.grants_recorded"  # session.info flag: on-chain grants await the worker


class UnknownPlayerError(RewardError):
    """XP granted to an address that never signed in; the whole grant is refused."""


class LostRaceError(RuntimeError):
    """Another worker planned some of the same grants first; this planning is rolled back."""


@dataclass(frozen=True, slots=True)
class GrantRecord:
    """A ledger line as stored; ``created`` is False when the grant already existed."""

    key: str
    player: str
    source: str
    period: str
    kind: GrantKind
    token_id: int | None
    amount: int
    state: OutboxState
    created: bool
    created_at: datetime


def _record(row: RewardGrant, created: bool) -> GrantRecord:
    return GrantRecord(row.grant_key, row.player, row.source, row.period, GrantKind(row.kind),
                       row.token_id, row.amount, OutboxState(row.state), created, row.created_at)


def _insert_ignoring_duplicates(session: Session):  # type: ignore[no-untyped-def]
    """``INSERT .. ON CONFLICT DO NOTHING`` in the session's dialect.

    Racing inserts of one key are settled by the UNIQUE constraint inside the database, not
    by a read-then-write here: the loser's row is skipped, never an error, never a second row.
    """
    dialect = session.get_bind().dialect.name
    module = {"postgresql": postgresql, "sqlite": sqlite}.get(dialect)
    if module is None:
        raise NotImplementedError(f"record_grants needs SQLite or PostgreSQL, not {dialect}")
    table = RewardGrant.__table__  # Core, not ORM: the statement compiles once and is cached
    return module.insert(table).on_conflict_do_nothing(index_elements=["grant_key"])


def record_grants(session: Session, grants: Iterable[Grant]) -> list[GrantRecord]:
    """Add grants to the ledger; a grant whose key exists already is a no-op.

    Returns one record per distinct key, in the order given, each as FIRST recorded (a
    repeated grant with another amount still returns the original). XP grants are confirmed
    at once and added to ``Player.xp`` in this transaction; shards and SAHARA go pending for
    the reward worker. Raises :class:`UnknownPlayerError` for XP to an unknown player.
    """
    unique: dict[str, Grant] = {}
    for grant in grants:
        if not isinstance(grant, Grant):
            raise RewardError(f"grants: expected nft.ledger.Grant, got {type(grant).__name__}")
        unique.setdefault(grant.key, grant)
    if not unique:
        return []
    now = utcnow()
    rows = [
        {"grant_key": key, "player": g.player, "source": g.source, "period": g.period,
         "kind": str(g.kind), "token_id": g.token_id, "amount": g.amount,
         "state": str(OutboxState.PENDING if g.on_chain else OutboxState.CONFIRMED),
         "attempts": 0, "created_at": now, "confirmed_at": None if g.on_chain else now}
        for key, g in unique.items()
    ]
    statement = _insert_ignoring_duplicates(session).returning(RewardGrant.__table__.c.grant_key)
    inserted = set(session.scalars(statement, rows))
    for key in inserted:
        grant = unique[key]
        if grant.kind is GrantKind.XP:
            _add_xp(session, grant)
    stored = {row.grant_key: row for row in session.scalars(
        select(RewardGrant).where(RewardGrant.grant_key.in_(list(unique))))}
    for key, row in stored.items():
        if row.state == OutboxState.WITHDRAWN.value:
            _revive(session, row, unique[key])
    if any(stored[key].state == OutboxState.PENDING.value for key in unique):
        session.info[GRANTS_RECORDED] = True  # the app wakes the reward worker after commit
    return [_record(stored[key], key in inserted) for key in unique]


def _revive(session: Session, row: RewardGrant, grant: Grant) -> None:
    """A withdrawn grant is owed again (its completion came back after a reorg)."""
    if grant.on_chain:
        row.state, row.batch_ref, row.attempts = OutboxState.PENDING.value, None, 0
    else:
        row.state, row.confirmed_at = OutboxState.CONFIRMED.value, utcnow()
        _add_xp(session, grant_of(row))


def withdraw_grants(session: Session, grants: Iterable[Grant]) -> tuple[list[str], list[str]]:
    """Take back the grants of a completion a reorg undid; returns (withdrawn, kept) keys.

    Grants not yet handed to a transaction (pending, failed) and XP are withdrawn — XP is
    subtracted again. Grants already signed or minted are kept: what reached the chain
    stays, and the ledger keeps saying so. Rows are never deleted (append-only ledger).
    """
    keys = [g.key for g in grants]
    withdrawn: list[str] = []
    kept: list[str] = []
    rows = session.scalars(select(RewardGrant).where(RewardGrant.grant_key.in_(keys))
                           .with_for_update())
    for row in rows:
        off_chain = GrantKind(row.kind) is GrantKind.XP
        takeable = (row.state in (OutboxState.PENDING.value, OutboxState.FAILED.value)
                    and row.batch_ref is None) or (off_chain and row.state == OutboxState.CONFIRMED.value)
        if not takeable:
            kept.append(row.grant_key)
            continue
        if off_chain:
            _add_xp(session, grant_of(row), sign=-1)
        row.state = OutboxState.WITHDRAWN.value
        withdrawn.append(row.grant_key)
    return withdrawn, kept


def _add_xp(session: Session, grant: Grant, sign: int = 1) -> None:
    # Player.address is checksummed (as signed in); ledger addresses are lowercase.
    changed = session.execute(
        update(Player).where(func.lower(Player.address) == grant.player)
        .values(xp=Player.xp + sign * grant.amount).execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        raise UnknownPlayerError(f"player: {grant.player} has not signed in; no XP can be granted")


def grant_of(row: RewardGrant) -> Grant:
    """The rule-level grant a ledger row stands for."""
    return Grant(row.player, row.source, row.period, GrantKind(row.kind), row.amount, row.token_id)


# -- the reward worker's bookkeeping ------------------------------------------------------
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
    rows = session.scalars(
        select(RewardGrant)
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


def confirm_batch(session: Session, row_id: int, now: datetime) -> int:
    """The batch is minted on chain: it and its grants are final. Returns the grant count."""
    row = session.get_one(RewardBatch, row_id)
    check_transition(row.state, OutboxState.CONFIRMED)
    row.state, row.confirmed_at = OutboxState.CONFIRMED.value, now
    row.next_attempt_at, row.last_error, row.failures = None, None, 0
    confirmed = session.execute(update(RewardGrant).where(RewardGrant.batch_ref == row_id)
                                .values(state=OutboxState.CONFIRMED.value, confirmed_at=now)
                                .execution_options(synchronize_session=False))
    return changed_rows(confirmed)


def release_batch(session: Session, row_id: int, reason: str, max_attempts: int) -> None:
    """The batch's transaction reverted and nothing was minted: give its grants back.

    Each grant goes back to pending (to be planned afresh) or, after ``max_attempts``
    reverted batches, to failed for an admin to look at (:func:`retry_failed`).
    """
    row = session.get_one(RewardBatch, row_id)
    check_transition(row.state, OutboxState.FAILED)
    row.state, row.last_error, row.next_attempt_at = OutboxState.FAILED.value, reason[:500], None
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


# -- reading the ledger ----------------------------------------------------------------------
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
    return [OpenGrant(_record(grant, False), batch.tx_hash if batch else None,
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
