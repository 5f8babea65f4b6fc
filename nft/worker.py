"""The reward worker: turns pending grants into ``mintBatch`` transactions, exactly once.

One cycle (:meth:`RewardWorker.run_once`):

1. settle open batches (all of them on a worker's first cycle, else those due): read the
   recorded tx's receipt and ``batchMinted`` at the confirmation depth and let
   :func:`nft.batching.reconcile` decide (confirm, wait, send the same batch again
   outbidding the last attempt, or give the grants back);
2. plan unplanned grants into new batches and commit them (grant -> batch links);
3. sign every batch to send, commit the tx hashes and nonces, then broadcast in nonce order;
4. wait for the receipts (one deadline for all of them) and commit the confirmations.

The worker can die between any two steps; the hook it calls between them lets tests crash
it there (:class:`SimulatedCrash`). Because a tx hash is committed before its tx is
broadcast, and the batch id makes a second mint of one batch revert on chain, the next
worker's step 1 always finds the truth and never mints twice. Chain failures (RPC down,
timeouts, rejected sends) defer what failed together, together, with
:func:`nft.batching.next_retry_delay`; nothing is dropped. Run exactly one worker per database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from nft import outbox_batches
from nft.batching import OutboxState, make_batch, next_retry_delay, plan_batches
from nft.ports import Minter, MintReceipt, SignedMint
from nft.rechecks import Recheck
from nft.worker_steps import (
    STEPS,
    Cycle,
    Hook,
    Outcome,
    SimulatedCrash,
    Work,
    crash_at,
    depth_of,
    judge,
    mined_in,
)
from quests.orm import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

__all__ = ["STEPS", "Cycle", "RewardWorker", "SimulatedCrash", "crash_at"]

log = logging.getLogger(__name__)


class RewardWorker:
    """Mints what the ledger owes. ``sessions`` is a SQLAlchemy ``sessionmaker``.

    ``confirmations`` is the depth at which receipts and ``batchMinted`` count (the indexer's
    ``INDEXER_CONFIRMATIONS``); a batch mined above it waits ``hold`` seconds at a time.
    A broadcast refused as underpriced is outbid again, at most ``max_bumps`` times.
    Confirmed batches mined within ``reorg_window`` blocks of the head are re-read every
    ``recheck_every`` seconds, reopened if a reorg undid their mint (:mod:`nft.rechecks`).
    """

    def __init__(self, sessions: sessionmaker[Session], minter: Minter, *,
                 max_entries: int = 200, max_batches: int = 10, receipt_timeout: float = 30.0,
                 max_attempts: int = 5, retry_base: float = 2.0, retry_cap: float = 300.0,
                 confirmations: int = 0, hold: float = 2.0, max_bumps: int = 4,
                 reorg_window: int = 64, recheck_every: float = 5.0,
                 clock: Callable[[], datetime] = utcnow, hook: Hook | None = None,
                 on_confirmed: Callable[[Session, list[int]], object] | None = None) -> None:
        self.sessions, self.minter = sessions, minter
        self.max_entries = max_entries
        self.max_batches = max_batches
        self.receipt_timeout = receipt_timeout
        self.max_attempts = max_attempts
        self.retry_base, self.retry_cap = retry_base, retry_cap
        self.confirmations, self.hold, self.max_bumps = confirmations, hold, max_bumps
        self.clock = clock
        self.hook = hook or (lambda _step, _batch: None)
        # Told the confirmed batch rows inside their transaction (live reward.minted events).
        self.on_confirmed = on_confirmed
        self._started = False
        self.recheck = Recheck(sessions, minter, window=reorg_window, confirmations=confirmations,
                               every=recheck_every, page=max_batches * 5)

    # -- one cycle ----------------------------------------------------------------------
    def run_once(self) -> Cycle:
        cycle = Cycle()
        cycle.reopened = self.recheck.when_due(cycle.errors)
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
    def _settle(self, cycle: Cycle, *, due_only: bool) -> list[Work]:
        with self.sessions.begin() as session:
            found = outbox_batches.open_batches(session, self.clock(), self.max_batches * 5,
                                                due_only=due_only)
        outcome, failed = Outcome(), []
        error: BaseException | None = None
        depth: int | str | None = None
        for item in found:
            batch = make_batch(item.grants) if item.grants else None
            if batch is None or batch.batch_id != item.batch_id:
                # The ledger was edited by hand: sending a different set under this id could
                # pay the wrong grants. Leave it for a human, loudly.
                cycle.errors.append(f"batch {item.batch_id}: its grants no longer match its id")
                continue
            sending = item.state is OutboxState.SENDING
            entry = Work(item.row_id, batch, item.nonce if sending else None, item.failures,
                          item.tx_hash if sending else None)
            try:
                receipt = self.minter.receipt(item.tx_hash) if item.tx_hash else None
                depth = depth_of(self.minter, self.confirmations) if depth is None else depth
                decision = judge(self.minter, item.tx_hash, batch, receipt, depth)
                outcome.add(entry, item.tx_hash, decision, mined_in(self.minter, receipt, depth))
            except Exception as exc:
                failed.append(entry)
                error = exc
        self._close(outcome, cycle)
        work = outcome.again
        if failed and error is not None:
            # A re-send behind the nonce of a batch that could not be read would wait in
            # the pool behind a gap: it goes back with the group.
            held = [w.nonce for w in failed if w.nonce is not None]
            behind = [w for w in work if held and w.nonce is not None and w.nonce > min(held)]
            work = [w for w in work if w not in behind]
            self._defer(failed + behind, error, cycle)
        # Re-sends go out in nonce order, so none waits behind a gap of our own making.
        return sorted(work, key=lambda w: (w.nonce is None, w.nonce or 0, w.row_id))

    def _plan(self, cycle: Cycle) -> list[Work]:
        now = self.clock()
        with self.sessions.begin() as session:
            grants = outbox_batches.unplanned_grants(session, self.max_entries * self.max_batches)
            batches = plan_batches(grants, self.max_entries)
            work = [Work(outbox_batches.open_batch(session, batch, now), batch, None, 0)
                    for batch in batches]
        cycle.planned += len(work)
        for item in work:
            self.hook("planned", item.batch.batch_id)
        return work

    def _sign(self, item: Work, nonce: int | None, replacing: str | None) -> SignedMint:
        batch = item.batch
        return self.minter.sign_batch(batch.target, batch.to, batch.ids, batch.amounts,
                                      batch.batch_id_bytes, nonce=nonce, replacing=replacing)

    def _record(self, signed: list[tuple[Work, SignedMint]]) -> None:
        lease = self.clock() + timedelta(seconds=self.receipt_timeout + 5)
        with self.sessions.begin() as session:
            for item, tx in signed:
                outbox_batches.record_signed(session, item.row_id, tx.tx_hash, tx.sender,
                                             tx.nonce, lease)

    def _send(self, work: list[Work], cycle: Cycle) -> None:
        signed: list[tuple[Work, SignedMint]] = []
        for index, item in enumerate(work):
            try:
                tx = self._sign(item, item.nonce, item.replacing)
            except Exception as exc:
                # Stop signing: later batches would get nonces behind a gap.
                self._defer(work[index:], exc, cycle)
                break
            signed.append((item, tx))
        if not signed:
            return
        self._record(signed)
        sent: list[tuple[Work, SignedMint]] = []
        for index, (item, tx) in enumerate(signed):
            self.hook("before_send", item.batch.batch_id)
            try:
                tx = self._broadcast(item, tx)
            except Exception as exc:
                # The later nonces would wait behind this one: they go back together with it.
                self._defer([w for w, _ in signed[index:]], exc, cycle)
                break
            cycle.sent += 1
            self.hook("after_send", item.batch.batch_id)
            sent.append((item, tx))
        self._await(sent, cycle)

    def _broadcast(self, item: Work, tx: SignedMint) -> SignedMint:
        """Broadcast; a node holding a transaction of this nonce that pays more is outbid again
        (each replacement's hash committed before it is sent), at most ``max_bumps`` times."""
        for bump in range(self.max_bumps + 1):
            try:
                self.minter.broadcast(tx)
                return tx
            except Exception as exc:
                if bump == self.max_bumps or not self.minter.is_underpriced(exc):
                    raise
            tx = self._sign(item, tx.nonce, tx.tx_hash)
            self._record([(item, tx)])
        raise AssertionError("unreachable")

    def _await(self, sent: list[tuple[Work, SignedMint]], cycle: Cycle) -> None:
        if not sent:
            return
        # One deadline for the group: behind a stuck nonce every later one is stuck too.
        deadline = time.monotonic() + self.receipt_timeout
        mined: list[tuple[Work, SignedMint, MintReceipt]] = []
        late: list[Work] = []
        error: BaseException | None = None
        for item, tx in sent:
            try:
                receipt = self.minter.wait(tx.tx_hash, max(deadline - time.monotonic(), 0.0))
                self.hook("after_receipt", item.batch.batch_id)
                if receipt is None:
                    raise TimeoutError(f"no receipt for {tx.tx_hash} after {self.receipt_timeout}s")
            except Exception as exc:
                late.append(item)
                error = exc
                continue
            mined.append((item, tx, receipt))
        outcome = Outcome()
        try:
            depth = depth_of(self.minter, self.confirmations) if mined else "latest"
            for item, tx, receipt in mined:
                decision = judge(self.minter, tx.tx_hash, item.batch, receipt, depth)
                outcome.add(item, tx.tx_hash, decision, receipt.block)
        except Exception as exc:
            decided = {*outcome.confirm, *outcome.waiting, *(r for r, _ in outcome.release),
                       *(w.row_id for w in outcome.again)}
            late += [item for item, _, _ in mined if item.row_id not in decided]
            error = exc
        self._close(outcome, cycle)
        if outcome.again:  # an ok receipt at depth that the node's batchMinted does not show yet
            late += outcome.again
            error = error or RuntimeError("mined, but batchMinted is false at the confirmation depth")
        if late and error is not None:
            self._defer(late, error, cycle)

    def _close(self, outcome: Outcome, cycle: Cycle) -> None:
        self._finish(outcome.confirm, outcome.release, cycle, outcome.mined)
        self._wait_for_depth(outcome.waiting, cycle)

    def _finish(self, confirm: list[int], release: list[tuple[int, str]], cycle: Cycle,
                mined: dict[int, int]) -> None:
        if not confirm and not release:
            return
        now = self.clock()
        with self.sessions.begin() as session:
            confirmed = sum(outbox_batches.confirm_batch(session, row_id, now, mined.get(row_id))
                            for row_id in confirm)
            if confirm and self.on_confirmed is not None:
                self.on_confirmed(session, confirm)
            for row_id, reason in release:
                outbox_batches.release_batch(session, row_id, reason, self.max_attempts)
            self.hook("before_commit", f"{len(confirm)} batch(es)")
        cycle.confirmed += confirmed
        cycle.released += len(release)

    def _wait_for_depth(self, row_ids: list[int], cycle: Cycle) -> None:
        if not row_ids:
            return
        until = self.clock() + timedelta(seconds=self.hold)
        with self.sessions.begin() as session:
            for row_id in row_ids:
                outbox_batches.hold_batch(session, row_id, until)
        cycle.waiting += len(row_ids)

    def _defer(self, items: list[Work], exc: BaseException, cycle: Cycle) -> None:
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
