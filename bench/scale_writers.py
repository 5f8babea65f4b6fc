"""The completion rows of :mod:`bench.scale`: one completion applied, and completions/s with
1, 2 and 4 concurrent writer processes (as the indexer and the web workers are: processes,
not threads sharing one GIL), each completion in a transaction of its own or events applied
in blocks the way the verification loop applies a block (one transaction, the sink's
``batch``).

Measured the standard way: every writer process connects and warms up first (its first
transactions open its connection and fill PostgreSQL's and psycopg's caches), then all wait
at one barrier; the row is timed from the barrier to the last writer's last commit, over
``PER_WRITER`` completions per writer (not a process fork, an engine reconnect and a cold
first call over half a second of work).
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from datetime import datetime
from threading import BrokenBarrierError
from typing import Any

from sqlalchemy import text

from bench.common import latency_note, rate
from quests import service
from quests.evidence import ChainEvent

WRITERS = (1, 2, 4)
PER_WRITER = 200  # completions per writer process in a writers row
BLOCK = 10  # events per transaction in the block rows
WARM_TRANSACTIONS = 2  # untimed, per writer process, before the barrier
_FORK = multiprocessing.get_context("fork")


def completion_event(pid: int, address: str, now: datetime, log_index: int = 0) -> ChainEvent:
    """The faucet claim that completes ``gate.faucet`` for a fresh player."""
    return ChainEvent(contract="SaharaToken", event="FaucetClaimed",
                      args={"account": address, "amount": 1, "nextClaimAt": 0},
                      block_number=10, tx_hash=f"0x{pid:064x}", log_index=log_index,
                      timestamp=int(now.timestamp()))


def fresh_players(sessions: Any, n: int, wanted: int) -> list[int]:
    """Up to ``wanted`` players with no completion (beyond the first tenth, the referrers of
    the synthetic world, when there are enough), each with ``gate.faucet`` in progress (one
    set-based statement)."""
    query = ("SELECT p.id FROM player p WHERE NOT EXISTS (SELECT 1 FROM quest_completion c "
             "WHERE c.player_id = p.id) AND p.id > :floor ORDER BY p.id DESC LIMIT :wanted")
    with sessions.begin() as s:
        fresh = list(s.scalars(text(query), {"floor": n // 10, "wanted": wanted}).all())
        if len(fresh) < wanted // 2:
            fresh = list(s.scalars(text(query), {"floor": 0, "wanted": wanted}).all())
        s.execute(text("INSERT INTO quest_progress (player_id, quest_id, period, status, progress, "
                       "accepted_at, accepted_block, updated_at) SELECT p, 'gate.faucet', 'once', "
                       "'in_progress', '{}'::json, now(), 0, now() FROM unnest(CAST(:ids AS bigint[])) "
                       "AS p ON CONFLICT DO NOTHING"), {"ids": fresh})
    return fresh


class Applier:
    """Applies faucet claims of fresh players, as the indexer does: ``block`` events per
    transaction (1: each completion committed alone; more: through the sink's batch, as the
    verification loop applies a block)."""

    def __init__(self, sessions: Any, sink: Any, by_id: dict[int, str], now: datetime) -> None:
        self.sessions, self.sink, self.by_id, self.now = sessions, sink, by_id, now

    def apply(self, pids: Sequence[int]) -> None:
        events = [completion_event(pid, self.by_id[pid], self.now, i) for i, pid in enumerate(pids)]
        with self.sessions.begin() as s:
            together = self.sink.batch(s) if len(events) > 1 else nullcontext()
            with together:
                done = service.apply_chain_events(s, events, self.now, sink=self.sink)
            assert len(done) == len(events), (pids, done)


def chunks(items: Sequence[int], size: int) -> list[list[int]]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def writers_row(engine: Any, applier: Applier, take: Callable[[int], list[int]], writers: int,
                per: int, block: int) -> dict[str, Any]:
    """``writers`` processes applying ``per`` completions each, ``block`` per transaction."""
    barrier, results = _FORK.Barrier(writers + 1), _FORK.Queue()
    children = []
    for _ in range(writers):
        warm, share = take(WARM_TRANSACTIONS * block), take(per)
        child = _FORK.Process(target=_write, args=(engine, applier, warm, share, block, barrier, results))
        child.start()
        children.append(child)
    try:
        barrier.wait(timeout=600)
    except BrokenBarrierError:
        pass  # a writer failed while warming up: its report says why
    started = time.perf_counter()
    reports = [results.get(timeout=600) for _ in children]
    for child in children:
        child.join()
    failed = [r for r in reports if isinstance(r, str)]
    assert not failed and all(c.exitcode == 0 for c in children), f"a writer failed: {failed}"
    elapsed = max(finished for finished, _ in reports) - started
    latencies = [s for _, seconds in reports for s in seconds]
    unit = "completion" if block == 1 else f"block of {block}"
    label = "one per transaction" if block == 1 else f"blocks of {block} events per transaction"
    return {"benchmark": f"completions/s, {writers} writer(s), {label}", "n": per * writers,
            "seconds": elapsed, "per_second": rate(per * writers, elapsed),
            "note": f"per {unit}: {latency_note(latencies)}"}


def _write(engine: Any, applier: Applier, warm: list[int], share: list[int], block: int,
           barrier: Any, results: Any) -> None:
    """One writer process: its own connections (none of the parent's), warmed up before the
    barrier; reports when its last commit finished and each transaction's wall time."""
    try:
        engine.dispose(close=False)
        for pids in chunks(warm, block):
            applier.apply(pids)
        barrier.wait(timeout=600)
        seconds = []
        for pids in chunks(share, block):
            started = time.perf_counter()
            applier.apply(pids)
            seconds.append(time.perf_counter() - started)
        results.put((time.perf_counter(), seconds))
    except BaseException as error:  # the parent reports it (and is not left at the barrier)
        barrier.abort()
        results.put(f"{type(error).__name__}: {error}")
        raise
