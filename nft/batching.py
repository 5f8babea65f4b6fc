"""The minting outbox: grant states, batch planning, crash reconciliation and retry backoff.

Exactly-once minting
--------------------
The reward worker takes pending on-chain grants, plans them into batches and, per batch:

1. commits the batch (id + grant keys) and marks its grants ``sending``;
2. sends ``mintBatch`` and commits the tx hash;
3. reads the receipt and commits ``confirmed``.

It can die between any two steps, or the tx can vanish or revert. Two facts make a restart
safe:

- The batch id is a hash of the batch's grant keys and is passed to ``mintBatch``, which
  records it and reverts ``BatchAlreadyMinted`` on any second use. Sending the *same* batch
  again can never mint twice, whatever happened before.
- ``batchMinted(batchId)`` on chain is the truth about whether the grants were minted,
  whichever transaction (if any) we managed to record.

So :func:`reconcile` decides for a ``sending`` batch:

==================  =================  ============  ========================================
tx hash recorded    receipt            batchMinted   decision
==================  =================  ============  ========================================
any                 any                true          confirm (died after receipt, before
                                                     commit; or a re-send reverted
                                                     ``BatchAlreadyMinted``)
no                  -                  false         resend the same batch (died before
                                                     sending, or after sending but before
                                                     committing the hash: the first tx may
                                                     still land; the batch id makes the
                                                     duplicate a harmless revert)
yes                 not found          false         resend the same batch (pending or
                                                     dropped; same argument)
yes                 mined ok           false         resend the same batch (a lagging node
                                                     or a reorg; the re-send mints or
                                                     reverts ``BatchAlreadyMinted``)
yes                 reverted           false         re-plan: the batch itself failed (gas,
                                                     a bad entry, a missing role); its
                                                     grants go back to pending, or to
                                                     failed after too many attempts
==================  =================  ============  ========================================

Re-planning is the only step that gives grants a *new* batch id, so it is only safe once no
transaction carrying the old id can still be mined; a re-send therefore takes the nonce of
the first send and outbids it (a replacement, signed locally, its hash committed before
broadcast), so that no older copy is left in a mempool. Receipts count and ``batchMinted``
is read at the confirmation depth (block = head - confirmations): a mint above it may still
be undone by a reorg, so the batch waits (neither confirmed nor re-sent) until it is deep
enough or gone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from nft.ledger import Grant, GrantKind

BATCH_ID_DOMAIN = "sahara-legends/reward-batch/v1"


class OutboxState(StrEnum):
    """State of a grant (and of the batch carrying it) in the outbox."""

    PENDING = "pending"
    SENDING = "sending"
    CONFIRMED = "confirmed"
    FAILED = "failed"  # gave up after max attempts; an admin retry puts it back to pending
    WITHDRAWN = "withdrawn"  # its completion was undone by a reorg before anything was sent


TRANSITIONS: dict[OutboxState, frozenset[OutboxState]] = {
    OutboxState.PENDING: frozenset({OutboxState.SENDING, OutboxState.WITHDRAWN}),
    OutboxState.SENDING: frozenset(
        {OutboxState.CONFIRMED, OutboxState.PENDING, OutboxState.FAILED}
    ),
    OutboxState.FAILED: frozenset({OutboxState.PENDING, OutboxState.WITHDRAWN}),
    # Only off-chain grants (XP) are withdrawn once confirmed. A batch whose mint a reorg
    # deeper than the confirmation depth undid is owed again: back to sending, same batch id.
    OutboxState.CONFIRMED: frozenset({OutboxState.WITHDRAWN, OutboxState.SENDING}),
    # The same completion came back on the new branch: the grant is owed again.
    OutboxState.WITHDRAWN: frozenset({OutboxState.PENDING, OutboxState.CONFIRMED}),
}


def paid_in_full(states: Iterable[OutboxState | str]) -> bool:
    """A completion is paid once every grant the ledger recorded for it is confirmed (the
    recorded grants, not today's rewards of its quest: those may have changed since)."""
    return all(OutboxState(state) is OutboxState.CONFIRMED for state in states)


class InvalidTransition(ValueError):
    """An outbox state change the rules forbid (e.g. confirmed -> pending)."""


def check_transition(current: OutboxState | str, new: OutboxState | str) -> OutboxState:
    """Return ``new`` if ``current -> new`` is allowed, else raise :class:`InvalidTransition`."""
    current, new = OutboxState(current), OutboxState(new)
    if new not in TRANSITIONS[current]:
        raise InvalidTransition(f"outbox state cannot go from {current} to {new}")
    return new


def after_revert(attempts: int, max_attempts: int) -> OutboxState:
    """Where a re-planned grant goes: back to pending, or failed once attempts run out."""
    return OutboxState.PENDING if attempts < max_attempts else OutboxState.FAILED


class MintTarget(StrEnum):
    SHARDS = "shards"  # LegendShards.mintBatch(to[], ids[], amounts[], batchId)
    SAHARA = "sahara"  # SaharaToken.mintBatch(to[], amounts[], batchId)


_TARGET = {GrantKind.SHARDS: MintTarget.SHARDS, GrantKind.SAHARA: MintTarget.SAHARA}


def batch_id_for(target: MintTarget | str, grant_keys: Iterable[str]) -> str:
    """Deterministic ``0x``-prefixed 32-byte id for a set of grant keys (order does not matter)."""
    keys = sorted(grant_keys)
    payload = "\n".join([BATCH_ID_DOMAIN, str(MintTarget(target)), *keys])
    return "0x" + hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Batch:
    """One ``mintBatch`` call: its grants (sorted by key) and the arguments derived from them."""

    target: MintTarget
    batch_id: str
    grants: tuple[Grant, ...]

    @property
    def to(self) -> tuple[str, ...]:
        return tuple(g.player for g in self.grants)

    @property
    def ids(self) -> tuple[int, ...]:
        """Token ids for LegendShards; empty for SaharaToken, which takes none."""
        if self.target is MintTarget.SAHARA:
            return ()
        return tuple(g.token_id for g in self.grants)  # type: ignore[misc]

    @property
    def amounts(self) -> tuple[int, ...]:
        return tuple(g.amount for g in self.grants)

    @property
    def grant_keys(self) -> tuple[str, ...]:
        return tuple(g.key for g in self.grants)

    @property
    def batch_id_bytes(self) -> bytes:
        return bytes.fromhex(self.batch_id[2:])

    def call_args(self) -> tuple:
        """Positional arguments of the target's ``mintBatch``."""
        if self.target is MintTarget.SAHARA:
            return (list(self.to), list(self.amounts), self.batch_id_bytes)
        return (list(self.to), list(self.ids), list(self.amounts), self.batch_id_bytes)


def make_batch(grants: Sequence[Grant]) -> Batch:
    """Build the batch for these grants; the same grants always give the same batch and id.

    Use it to rebuild a recorded batch from its stored grants before re-sending it.
    """
    if not grants:
        raise ValueError("a batch needs at least one grant")
    targets = {_target(g) for g in grants}
    if len(targets) != 1:
        raise ValueError("a batch mixes shard and SAHARA grants")
    ordered = tuple(sorted(grants, key=lambda g: g.key))
    _reject_duplicates(ordered)
    (target,) = targets
    return Batch(target, batch_id_for(target, (g.key for g in ordered)), ordered)


def plan_batches(pending: Iterable[Grant], max_entries: int) -> list[Batch]:
    """Group pending on-chain grants into shard batches, then SAHARA batches.

    Each batch has at most ``max_entries`` entries; grants are ordered by key, so the same
    pending set always yields the same batches and batch ids. XP grants are off-chain and
    must not reach the outbox: passing one is an error, as is passing a grant twice.
    """
    if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
        raise ValueError(f"max_entries must be a positive integer, got {max_entries!r}")
    grants = sorted(pending, key=lambda g: g.key)
    _reject_duplicates(grants)
    by_target: dict[MintTarget, list[Grant]] = {MintTarget.SHARDS: [], MintTarget.SAHARA: []}
    for grant in grants:
        by_target[_target(grant)].append(grant)
    batches = []
    for target in (MintTarget.SHARDS, MintTarget.SAHARA):
        chunk_source = by_target[target]
        for start in range(0, len(chunk_source), max_entries):
            batches.append(make_batch(chunk_source[start : start + max_entries]))
    return batches


def _target(grant: Grant) -> MintTarget:
    target = _TARGET.get(grant.kind)
    if target is None:
        raise ValueError(f"grant {grant.key} is off-chain ({grant.kind}) and is never minted")
    return target


def _reject_duplicates(grants: Sequence[Grant]) -> None:
    for before, after in zip(grants, grants[1:], strict=False):
        if before.key == after.key:
            raise ValueError(f"grant {before.key} appears twice; it would be minted twice")


class ReceiptStatus(StrEnum):
    OK = "ok"  # mined, status 1
    REVERTED = "reverted"  # mined, status 0
    NOT_FOUND = "not_found"  # pending, dropped, or never sent


class Decision(StrEnum):
    CONFIRM = "confirm"  # mark the batch and its grants confirmed
    RESEND = "resend"  # send the same batch (same id, same arguments) again
    REPLAN = "replan"  # release the grants to be planned into new batches
    WAIT = "wait"  # mined above the confirmation depth: look again a little later


@dataclass(frozen=True, slots=True)
class Reconciliation:
    decision: Decision
    reason: str


def reconcile(
    tx_hash: str | None, receipt: ReceiptStatus | str | None, batch_minted: bool, *,
    deep: bool = True, minted_above: bool = False,
) -> Reconciliation:
    """Decide what to do with a ``sending`` batch after a restart or a timeout.

    ``tx_hash`` is the last recorded transaction (``None`` if none was recorded), ``receipt``
    its receipt status (``None`` when there is no tx hash), ``batch_minted`` the on-chain
    ``batchMinted(batchId)`` at the confirmation depth, ``deep`` whether the receipt's block
    is at that depth, ``minted_above`` whether ``batchMinted`` is true at the head only. See
    the module docstring for why each answer is safe.
    """
    status = ReceiptStatus(receipt) if receipt is not None else None
    if tx_hash is None and status not in (None, ReceiptStatus.NOT_FOUND):
        raise ValueError(f"a receipt ({status}) without a recorded tx hash")
    if batch_minted:
        return Reconciliation(Decision.CONFIRM, "batchMinted is true at the confirmation depth")
    if minted_above or (status not in (None, ReceiptStatus.NOT_FOUND) and not deep):
        return Reconciliation(Decision.WAIT, "mined above the confirmation depth")
    if tx_hash is None:
        return Reconciliation(
            Decision.RESEND, "no tx hash recorded and not minted; the same batch id is safe"
        )
    if status is None or status is ReceiptStatus.NOT_FOUND:
        return Reconciliation(Decision.RESEND, "tx not found and batch not minted")
    if status is ReceiptStatus.OK:
        return Reconciliation(
            Decision.RESEND, "receipt ok but batch not minted (lagging node or reorg)"
        )
    return Reconciliation(Decision.REPLAN, "tx reverted and batch not minted")


def next_retry_delay(
    attempt: int, *, seed: str = "", base: float = 2.0, cap: float = 300.0
) -> float:
    """Seconds to wait before retry number ``attempt`` (1, 2, ...).

    Capped exponential, ``min(cap, base * 2**(attempt-1))``, with "equal jitter": the delay
    lies between half and all of that. The jitter comes from a hash of ``seed`` and
    ``attempt`` (use the batch id), so it is reproducible yet spreads different batches apart.
    """
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise ValueError(f"attempt must be a positive integer, got {attempt!r}")
    ceiling = min(cap, base * 2.0 ** min(attempt - 1, 64))
    digest = hashlib.sha256(f"{seed}|{attempt}".encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    return ceiling / 2 + ceiling / 2 * fraction
