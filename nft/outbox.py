"""Recording the ledger: grants go in (idempotent per key) and, after a reorg, are taken back.

Every function takes the caller's :class:`Session` and never commits: the quest engine records
grants in the same transaction as the completion that earned them. The reward worker's
bookkeeping lives in :mod:`nft.outbox_batches`, the ledger's read side in :mod:`nft.outbox_reads`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from nft.batching import OutboxState
from nft.ledger import Grant, GrantKind, RewardError
from nft.store import RewardGrant
from quests.orm import Player, utcnow

GRANTS_RECORDED = "nft.grants_recorded"  # session.info flag: on-chain grants await the worker


class UnknownPlayerError(RewardError):
    """XP granted to an address that never signed in; the whole grant is refused."""


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


def record_of(row: Any, created: bool) -> GrantRecord:  # a RewardGrant or a RETURNING row
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
    c = RewardGrant.__table__.c
    statement = _insert_ignoring_duplicates(session).returning(
        c.grant_key, c.player, c.source, c.period, c.kind, c.token_id, c.amount, c.state, c.created_at)
    returned = {row.grant_key: row for row in session.execute(statement, rows)}
    inserted = set(returned)
    _add_xp_together(session, [unique[key] for key in unique
                               if key in inserted and unique[key].kind is GrantKind.XP])
    stored: dict[str, Any] = returned  # every key new: what was inserted is what is stored
    if len(inserted) < len(unique):
        stored = {row.grant_key: row for row in session.scalars(
            select(RewardGrant).where(RewardGrant.grant_key.in_(list(unique))))}
        for key, row in stored.items():
            if row.state == OutboxState.WITHDRAWN.value:
                _revive(session, row, unique[key])
    if any(stored[key].state == OutboxState.PENDING.value for key in unique):
        session.info[GRANTS_RECORDED] = True  # the app wakes the reward worker after commit
    return [record_of(stored[key], key in inserted) for key in unique]


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
    changed = session.execute(_ADD_XP, {"player": grant.player, "amount": sign * grant.amount})
    if changed.rowcount != 1:
        raise UnknownPlayerError(f"player: {grant.player} has not signed in; no XP can be granted")


def _add_xp_together(session: Session, grants: list[Grant]) -> None:
    """The XP of many grants (a verification batch's) in one ``UPDATE`` per distinct total:
    each player's grants are summed, and the players with the same total are raised together."""
    totals: dict[str, int] = {}
    for grant in grants:
        totals[grant.player] = totals.get(grant.player, 0) + grant.amount
    together: dict[int, list[str]] = {}
    for player, amount in totals.items():
        together.setdefault(amount, []).append(player)
    for amount, players in together.items():
        changed = session.execute(_ADD_XP_MANY, {"players": sorted(players), "amount": amount})
        if changed.rowcount != len(players):
            raise UnknownPlayerError(f"player: one of {', '.join(sorted(players))} has not signed in; "
                                     "no XP can be granted")


# Built once: Player.address is checksummed, the ledger's lowercase (an expression index).
_ADD_XP = (update(Player).where(func.lower(Player.address) == bindparam("player"))
           .values(xp=Player.xp + bindparam("amount")).execution_options(synchronize_session=False))
_ADD_XP_MANY = (update(Player).where(func.lower(Player.address).in_(bindparam("players", expanding=True)))
                .values(xp=Player.xp + bindparam("amount")).execution_options(synchronize_session=False))


def grant_of(row: Any) -> Grant:
    """The rule-level grant a ledger row (a ``RewardGrant`` or a row of its columns) stands for."""
    return Grant(row.player, row.source, row.period, GrantKind(row.kind), row.amount, row.token_id)
