"""Verification is pushed: the indexer feeds the quest engine as blocks arrive.

One step = poll the indexer, then in ONE database transaction retract what a reorg
orphaned, apply the new events and move the cursor; commit; only then let the completion
sink announce what happened (so nobody hears of a completion that was rolled back).

It runs as its own process (``legends indexer``) or, in the embedded setup, as a daemon
thread started by :func:`legends.workers.start_background`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from flask import Flask
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from chain.errors import ChainError
from chain.heads import HeadWatch
from chain.indexer import IndexedEvent, Indexer, IndexerBatch
from chain.store import CursorConflict, SqlManifestStore
from legends.workers.threads import start_daemon
from quests import service as quest_service
from quests.evidence import ChainEvent
from quests.ports import Completion

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05  # verification must land within a second of the block
# With the node's new-block subscription the loop polls at once when a block arrives, and
# on its own only this often (a missed announcement, an HTTP-only node is POLL_SECONDS).
HEAD_POLL_SECONDS = 0.5
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0)  # back-off while the chain or the database is away
TRANSIENT = (ChainError, OperationalError, LookupError)  # worth a warning, not a traceback


@dataclass(frozen=True)
class StepReport:
    """What one step did: the batch, and the completions it made and took back."""

    batch: IndexerBatch
    completed: list[Completion] = field(default_factory=list)
    withdrawn: list[Completion] = field(default_factory=list)
    caught_up: bool = True  # False while more confirmed blocks wait to be read


def chain_event(event: IndexedEvent) -> ChainEvent:
    return ChainEvent(contract=event.contract, event=event.event, args=event.args,
                      block_number=event.block_number, tx_hash=event.tx_hash,
                      log_index=event.log_index, timestamp=event.timestamp)


class VerificationLoop:
    """Feeds ``indexer`` batches to the quest service, one transaction per batch.

    ``service`` is :mod:`quests.service` (its ``apply_chain_events`` and ``retract_from``);
    ``sink`` the completion sink (None: the one installed in ``quests``), whose ``flush()``,
    if it has one, runs after each commit, and whose ``batch(session)``, if it has one,
    wraps each batch's events (the app's settles the batch's completions together there);
    ``upkeep(session, now)`` runs in a transaction of its own every ``upkeep_every``
    seconds, off the verification path (the app moves rewarded quests along there);
    ``on_committed`` hears every step report after its commit
    (the benchmark uses it); ``observe(session, events)`` sees every batch's events inside
    its transaction (the app turns crafts into live events there); ``heads`` a
    :class:`chain.heads.HeadWatch` (or None): at the head the loop waits for the next block's
    announcement instead of polling every ``interval``.
    """

    def __init__(self, indexer: Indexer, sessions: sessionmaker[Session], *, service: Any = None,
                 sink: Any = None, clock: Callable[[], datetime] | None = None,
                 interval: float = POLL_SECONDS,
                 upkeep: Callable[[Session, datetime], Any] | None = None, upkeep_every: float = 2.0,
                 on_committed: Callable[[StepReport], None] | None = None,
                 observe: Callable[[Session, Sequence[ChainEvent]], Any] | None = None,
                 heads: Any = None) -> None:
        self.indexer = indexer
        self.sessions = sessions
        self.service = service or quest_service
        self.sink = sink
        self.clock = clock or (lambda: datetime.now(UTC))
        self.interval = interval
        self.upkeep = upkeep
        self.upkeep_every = upkeep_every
        self.on_committed = on_committed
        self.observe = observe
        self.heads = heads
        self._upkept = 0.0

    def step(self) -> StepReport | None:
        """Poll once and apply what was found; None when there was nothing new."""
        batch = self.indexer.poll()
        if batch.empty:
            return None
        now = self.clock()
        extra = {"sink": self.sink} if self.sink is not None else {}
        with self.sessions.begin() as session:
            withdrawn: list[Completion] = []
            if batch.rewind_to is not None:
                withdrawn = list(self.service.retract_from(session, batch.rewind_to, now, **extra))
            events: Sequence[ChainEvent] = [chain_event(e) for e in batch.events]
            together = getattr(self.sink, "batch", None)  # the sink's set-based batch, if any
            with together(session) if together is not None and events else nullcontext():
                completed = (list(self.service.apply_chain_events(session, events, now, **extra))
                             if events else [])
            if events and self.observe is not None:
                self.observe(session, events)
            self.indexer.commit(session, batch)
        flush = getattr(self.sink, "flush", None)
        if flush is not None:
            flush()
        caught_up = batch.to_block >= batch.head - self.indexer.confirmations
        report = StepReport(batch, completed, withdrawn, caught_up)
        if completed or withdrawn or batch.rewind_to is not None:
            log.info("blocks %s..%s: %d events, %d completed, %d withdrawn%s", batch.from_block,
                     batch.to_block, len(batch.events), len(completed), len(withdrawn),
                     f", rewound to {batch.rewind_to}" if batch.rewind_to is not None else "")
        if self.on_committed is not None:
            self.on_committed(report)
        return report

    def tend(self) -> None:
        """Run the upkeep when it has not run for ``upkeep_every`` seconds."""
        if self.upkeep is None or time.monotonic() - self._upkept < self.upkeep_every:
            return
        self._upkept = time.monotonic()
        with self.sessions.begin() as session:
            self.upkeep(session, self.clock())

    def run(self, stop: threading.Event) -> None:
        """Step until ``stop`` is set: without pause while catching up, every ``interval``
        at the head; transient failures (node or database away) back off and retry."""
        failures = 0
        while not stop.is_set():
            try:
                report = self.step()
                self.tend()
            except CursorConflict as exc:  # another indexer moved the cursor: re-plan
                log.info("%s; polling again", exc)
                continue
            except Exception as exc:  # nothing may silently end verification for everybody
                delay = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
                failures += 1
                if isinstance(exc, TRANSIENT):
                    log.warning("verification step failed (%s); retrying in %.1fs", exc, delay)
                else:
                    log.exception("verification step crashed; retrying in %.1fs", delay)
                stop.wait(delay)
                continue
            failures = 0
            if report is None or report.caught_up:
                self.pause(stop)

    def pause(self, stop: threading.Event) -> None:
        """At the head: until the next block is announced (or HEAD_POLL_SECONDS), else
        ``interval``."""
        if self.heads is not None and self.heads.subscribed:
            self.heads.wait(max(self.interval, HEAD_POLL_SECONDS))
        else:
            stop.wait(self.interval)


# -- composition -------------------------------------------------------------------------------
def build_loop(app: Flask, *, confirmations: int | None = None, **options: Any) -> VerificationLoop:
    """The loop for ``app``: its database, its chain, the suite from its manifest, and
    ``INDEXER_CONFIRMATIONS`` unless ``confirmations`` is given."""
    config = app.extensions["legends.config"]
    link = app.extensions["legends.chain"]
    sessions = app.extensions["legends.db"].sessions
    manifest = link.manifest(SqlManifestStore(sessions))
    if confirmations is None:
        confirmations = int(config.INDEXER_CONFIRMATIONS)
    indexer = Indexer.for_manifest(link.rpc, sessions, manifest, confirmations=confirmations)
    options.setdefault("sink", app.extensions.get("legends.completion_sink"))
    if "legends.clock" in app.extensions:
        options.setdefault("clock", app.extensions["legends.clock"].now)
    if "legends.completion_sink" in app.extensions:
        from legends.realtime.happenings import crafted
        from legends.wiring.completions import RewardedSweep

        options.setdefault("upkeep", RewardedSweep())
        options.setdefault("observe", crafted)
    return VerificationLoop(indexer, sessions, **options)


def run_until_stopped(app: Flask, stop: threading.Event, say: Callable[[str], None] = log.info,
                      **options: Any) -> None:
    """Build the loop (waiting for the chain and the deployed suite) and run it, woken by
    the node's new blocks."""
    heads = HeadWatch(app.extensions["legends.chain"].rpc_url).start()
    try:
        while not stop.is_set():
            try:
                loop = build_loop(app, heads=heads, **options)
            except TRANSIENT as exc:  # no chain yet, suite not deployed, database not migrated
                log.warning("verification waits for the chain and the database: %s", exc)
                stop.wait(2.0)
                continue
            loop.run(stop)
    finally:
        heads.close()


def start_thread(app: Flask, **options: Any) -> Callable[[], None]:
    """Run verification in a daemon thread; returns a stopper that ends it cleanly."""
    return start_daemon(app, partial(run_until_stopped, **options), "legends-verification",
                        join_timeout=5.0)
