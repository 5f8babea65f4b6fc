"""The reward worker: turns pending grants into ``mintBatch`` transactions, exactly once.

One cycle (:meth:`RewardWorker.run_once`):

1. settle open batches (all of them on a worker's first cycle, else those due): read the
   recorded tx's receipt and ``batchMinted`` and let :func:`nft.batching.reconcile` decide
   (confirm, send the same batch again, or give the grants back);
2. plan unplanned grants into new batches and commit them (grant -> batch links);
3. sign every batch to send, commit the tx hashes and nonces, then broadcast;
4. wait for the receipts and commit the confirmations.

The worker can die between any two steps; the hook it calls between them lets tests crash
it there (:class:`SimulatedCrash`). Because a tx hash is committed before its tx is
broadcast, and the batch id makes a second mint of one batch revert on chain, the next
worker's step 1 always finds the truth and never mints twice. Chain failures (RPC down,
timeouts, rejected sends) defer the batch with :func:`nft.batching.next_retry_delay`;
nothing is dropped. Run exactly one worker per database.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from nft import outbox_batches
from nft.batching import (
    Batch,
    Decision,
    OutboxState,
    ReceiptStatus,
    make_batch,
    next_retry_delay,
    plan_batches,
    reconcile,
)
from nft.ports import Minter, SignedMint
from quests.orm import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

STEPS = ("planned", "before_send", "after_send", "after_receipt", "before_commit")


class SimulatedCrash(BaseException):
    """Raised by a test hook to stop the worker dead, like a kill would.

    A BaseException, so the worker's own ``except Exception`` never swallows it and the
    open database transaction, if any, is rolled back.
    """


Hook = Callable[[str, str], None]  # (step, batch id)


def crash_at(step: str, *, times: int = 1) -> Hook:
    """A hook that raises :class:`SimulatedCrash` the first ``times`` times ``step`` is reached."""
    if step not in STEPS:
        raise ValueError(f"step: unknown worker step {step!r} (one of {', '.join(STEPS)})")
    left = [times]

    def hook(reached: str, batch_id: str) -> None:
        if reached == step and left[0] > 0:
            left[0] -= 1
            raise SimulatedCrash(f"crash at {step} ({batch_id})")

    return hook


@dataclass
class Cycle:
    """What one :meth:`RewardWorker.run_once` did."""

    planned: int = 0  # new batches
    sent: int = 0  # transactions broadcast
    confirmed: int = 0  # grants confirmed
    released: int = 0  # batches whose grants were given back after a revert
    deferred: int = 0  # batches postponed by an error
    errors: list[str] = field(default_factory=list)

    @property
    def busy(self) -> bool:
        return bool(self.planned or self.sent or self.confirmed or self.released)


@dataclass(frozen=True)
class _Work:
    row_id: int
    batch: Batch
    nonce: int | None  # the earlier attempt's nonce when re-sending
    failures: int


class RewardWorker:
    """Mints what the ledger owes. ``sessions`` is a SQLAlchemy ``sessionmaker``."""

    def __init__(self, sessions: sessionmaker[Session], minter: Minter, *,
                 max_entries: int = 200, max_batches: int = 10, receipt_timeout: float = 30.0,
                 max_attempts: int = 5, retry_base: float = 2.0, retry_cap: float = 300.0,
                 clock: Callable[[], datetime] = utcnow, hook: Hook | None = None,
                 on_confirmed: Callable[[Session, list[int]], object] | None = None) -> None:
        self.sessions = sessions
        self.minter = minter
        self.max_entries = max_entries
        self.max_batches = max_batches
        self.receipt_timeout = receipt_timeout
        self.max_attempts = max_attempts
        self.retry_base, self.retry_cap = retry_base, retry_cap
        self.clock = clock
        self.hook = hook or (lambda _step, _batch: None)
        # Told the confirmed batch rows inside their transaction (live reward.minted events).
        self.on_confirmed = on_confirmed
        self._started = False

    # -- one cycle ----------------------------------------------------------------------
    def run_once(self) -> Cycle:
        cycle = Cycle()
        work = self._settle(cycle, due_only=self._started)
        self._started = True
        work += self._plan(cycle)
        if work:
            self._send(work, cycle)
        if cycle.errors:
            self.minter.resync()  # a failed sign or send may have left a cached nonce unused
        return cycle

    def run(self, stop: threading.Event, *, idle: float = 1.0,
            pause: Callable[[float], object] | None = None) -> None:
        """Cycle until ``stop`` is set; whenever a cycle found nothing it waits ``idle``
        seconds, or less when ``pause`` (e.g. a wake-up on new grants) returns earlier."""
        pause = pause or stop.wait
        while not stop.is_set():
            try:
                cycle = self.run_once()
            except Exception:  # the loop must outlive a bad cycle (e.g. database down)
                log.exception("reward worker cycle failed")
                self.minter.resync()
                stop.wait(idle)
                continue
            for error in cycle.errors:
                log.warning("reward worker: %s", error)
            if not cycle.busy:
                pause(idle)

    # -- steps ----------------------------------------------------------------------------
    def _settle(self, cycle: Cycle, *, due_only: bool) -> list[_Work]:
        with self.sessions.begin() as session:
            found = outbox_batches.open_batches(session, self.clock(), self.max_batches * 5,
                                        due_only=due_only)
        work: list[_Work] = []
        for item in found:
            batch = make_batch(item.grants) if item.grants else None
            if batch is None or batch.batch_id != item.batch_id:
                # The ledger was edited by hand: sending a different set under this id could
                # pay the wrong grants. Leave it for a human, loudly.
                cycle.errors.append(f"batch {item.batch_id}: its grants no longer match its id")
                continue
            minted: bool | None = None
            try:
                status = self.minter.receipt(item.tx_hash) if item.tx_hash else None
                if status != ReceiptStatus.OK:  # an ok receipt of our mintBatch is proof enough
                    minted = self.minter.batch_minted(batch.target, batch.batch_id_bytes)
            except Exception as exc:
                self._defer([_Work(item.row_id, batch, item.nonce, item.failures)], exc, cycle)
                continue
            decision = (Decision.CONFIRM if status == ReceiptStatus.OK
                        else reconcile(item.tx_hash, status, bool(minted)).decision)
            if decision is Decision.CONFIRM:
                self._finish([item.row_id], [], cycle)
            elif decision is Decision.REPLAN:
                self._finish([], [(item.row_id, f"tx {item.tx_hash} reverted")], cycle)
            else:
                nonce = item.nonce if item.state is OutboxState.SENDING else None
                work.append(_Work(item.row_id, batch, nonce, item.failures))
        # Re-sends go out in nonce order, so none waits behind a gap of our own making.
        return sorted(work, key=lambda w: (w.nonce is None, w.nonce or 0, w.row_id))

    def _plan(self, cycle: Cycle) -> list[_Work]:
        now = self.clock()
        with self.sessions.begin() as session:
            grants = outbox_batches.unplanned_grants(session, self.max_entries * self.max_batches)
            batches = plan_batches(grants, self.max_entries)
            work = [_Work(outbox_batches.open_batch(session, batch, now), batch, None, 0)
                    for batch in batches]
        cycle.planned += len(work)
        for item in work:
            self.hook("planned", item.batch.batch_id)
        return work

    def _send(self, work: list[_Work], cycle: Cycle) -> None:
        signed: list[tuple[_Work, SignedMint]] = []
        for index, item in enumerate(work):
            batch = item.batch
            try:
                tx = self.minter.sign_batch(batch.target, batch.to, batch.ids, batch.amounts,
                                            batch.batch_id_bytes, nonce=item.nonce)
            except Exception as exc:
                # Stop signing: later batches would get nonces behind a gap.
                self._defer(work[index:], exc, cycle)
                break
            signed.append((item, tx))
        if not signed:
            return
        lease = self.clock() + timedelta(seconds=self.receipt_timeout + 5)
        with self.sessions.begin() as session:
            for item, tx in signed:
                outbox_batches.record_signed(session, item.row_id, tx.tx_hash, tx.sender, tx.nonce, lease)
        sent: list[tuple[_Work, SignedMint]] = []
        for item, tx in signed:
            self.hook("before_send", item.batch.batch_id)
            try:
                self.minter.broadcast(tx)
            except Exception as exc:
                self._defer([item], exc, cycle)
                continue
            cycle.sent += 1
            self.hook("after_send", item.batch.batch_id)
            sent.append((item, tx))
        self._await(sent, cycle)

    def _await(self, sent: list[tuple[_Work, SignedMint]], cycle: Cycle) -> None:
        confirm: list[int] = []
        release: list[tuple[int, str]] = []
        for item, tx in sent:
            try:
                status = self.minter.wait(tx.tx_hash, self.receipt_timeout)
                self.hook("after_receipt", item.batch.batch_id)
                if status is None:
                    raise TimeoutError(f"no receipt for {tx.tx_hash} after {self.receipt_timeout}s")
                minted = status == ReceiptStatus.OK or self.minter.batch_minted(
                    item.batch.target, item.batch.batch_id_bytes)
            except Exception as exc:
                self._defer([item], exc, cycle)
                continue
            decision = reconcile(tx.tx_hash, status, minted).decision
            if decision is Decision.CONFIRM:
                confirm.append(item.row_id)
            else:  # reverted and not minted: the only other answer for a mined receipt
                release.append((item.row_id, f"tx {tx.tx_hash} reverted"))
        self._finish(confirm, release, cycle)

    def _finish(self, confirm: list[int], release: list[tuple[int, str]], cycle: Cycle) -> None:
        if not confirm and not release:
            return
        now = self.clock()
        with self.sessions.begin() as session:
            confirmed = sum(outbox_batches.confirm_batch(session, row_id, now) for row_id in confirm)
            if confirm and self.on_confirmed is not None:
                self.on_confirmed(session, confirm)
            for row_id, reason in release:
                outbox_batches.release_batch(session, row_id, reason, self.max_attempts)
            self.hook("before_commit", f"{len(confirm)} batch(es)")
        cycle.confirmed += confirmed
        cycle.released += len(release)

    def _defer(self, items: list[_Work], exc: BaseException, cycle: Cycle) -> None:
        error = f"{type(exc).__name__}: {exc}"
        # One delay for the whole group: batches that failed together hold consecutive nonces
        # and must be re-sent together, or a later nonce would wait behind a gap.
        delay = next_retry_delay(max(item.failures for item in items) + 1,
                                 seed=items[0].batch.batch_id, base=self.retry_base,
                                 cap=self.retry_cap)
        retry_at = self.clock() + timedelta(seconds=delay)
        with self.sessions.begin() as session:
            for item in items:
                outbox_batches.defer_batch(session, item.row_id, error, retry_at)
        cycle.deferred += len(items)
        cycle.errors.append(f"{len(items)} batch(es) deferred: {error}")

