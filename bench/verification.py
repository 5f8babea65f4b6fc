"""Verification latency: from a faucet claim's receipt to its quest's completion row.

A private anvil (a block per transaction, as ``legends up`` runs it), the app on a fresh
SQLite database with the suite deployed and the catalog loaded, N players who accepted
``gate.faucet``, and the verification loop running as the in-process daemon thread with the
app's real completion sink (reward grants are recorded in the same transaction). The faucet
relayer claims for each player; latency = the loop's commit of the completion minus the
moment the bench saw the claim's receipt. The burst's claims are signed, sent and watched
from a separate process, so the devnet's rate and verification's do not share one
interpreter (the figure compares the loop with the chain, not with the bench's own sender).
"""

from __future__ import annotations

import multiprocessing
import queue
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eth_utils import to_checksum_address

from bench.common import free_port, latency_note, median, p99, rate
from chain import artifacts
from chain.bindings import Suite
from chain.deploy import deploy_suite
from chain.devnet import Devnet, DevnetConfig
from chain.rpc import JsonRpcChain
from chain.store import SqlManifestStore
from chain.txmanager import TxManager
from legends import create_app, migrate
from legends.workers.verification import StepReport, start_thread
from quests import service
from quests.loader import load_catalog
from quests.orm import Player

TITLE = "Verification latency (claim receipt -> completion row, indexer thread in-process)"
QUEST = "gate.faucet"
CLAIM_GAS = 150_000


@dataclass(frozen=True)
class Sizes:
    sequential: int  # one claim at a time, each waited for until verified
    back_to_back: int  # claims sent one after another without waiting for verification
    burst: int  # claims sent pipelined, without waiting for their receipts


FULL = Sizes(sequential=200, back_to_back=200, burst=200)
QUICK = Sizes(sequential=40, back_to_back=40, burst=80)
TINY = Sizes(sequential=5, back_to_back=5, burst=10)


class Stopwatch:
    """Commit times of completions, as the loop reports them (called from its thread)."""

    def __init__(self) -> None:
        self.stored: dict[str, float] = {}
        self.changed = threading.Condition()

    def on_committed(self, report: StepReport) -> None:
        now = time.monotonic()  # the burst's sender process shares this clock
        with self.changed:
            for completion in report.completed:
                if completion.quest_id == QUEST:
                    self.stored[completion.player.lower()] = now
            self.changed.notify_all()

    def wait(self, players: list[str], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not all(p.lower() in self.stored for p in players):
                left = deadline - time.monotonic()
                if left <= 0:
                    missing = sum(p.lower() not in self.stored for p in players)
                    raise TimeoutError(f"{missing} completion(s) not verified within {timeout}s")
                self.changed.wait(left)


def fresh_players(app: Any, n: int, head: int) -> list[str]:
    """``n`` signed-in players (new addresses) who accepted the faucet quest at ``head``."""
    addresses = [to_checksum_address(secrets.token_bytes(20)) for _ in range(n)]
    now = datetime.now(UTC)
    with app.extensions["legends.db"].sessions.begin() as session:
        rows = [Player(address=a, referral_code=secrets.token_hex(4), xp=0, created_at=now, last_seen_at=now)
                for a in addresses]
        session.add_all(rows)
        session.flush()
        for row in rows:
            service.accept(session, row, QUEST, now, head)
    return addresses


def claim(suite: Suite, relayer: str, player: str) -> float:
    """The faucet relayer claims for ``player``; returns when the bench saw the receipt."""
    suite.token.tx.wait(suite.token.send(relayer, "claimFor", player, gas=CLAIM_GAS))
    return time.monotonic()


def measure(suite: Suite, relayer: str, watch: Stopwatch, players: list[str], *,
            wait_each: bool) -> tuple[float, list[float]]:
    seen: dict[str, float] = {}
    started = time.monotonic()
    for player in players:
        seen[player] = claim(suite, relayer, player)
        if wait_each:
            watch.wait([player])
    watch.wait(players)
    seconds = time.monotonic() - started
    return seconds, [watch.stored[p.lower()] - seen[p] for p in players]


def send_burst(url: str, addresses: dict[str, str], relayer_key: str, players: list[str],
               results: Any) -> None:
    """The burst's sender, run in a process of its own (so signing, sending and watching
    receipts take no CPU from the verification thread's interpreter): sends every claim
    pipelined, a second connection watches their receipts as they come; puts (start, receipt
    times) on ``results``, on the system-wide monotonic clock both processes share."""
    tx = TxManager(JsonRpcChain(url), artifacts.error_decoder())
    relayer = tx.add_signer(relayer_key)
    suite = Suite.bind(addresses, tx)
    _ = tx.chain_id  # asked once before the clock starts
    watcher = TxManager(JsonRpcChain(url), artifacts.error_decoder())
    hashes: queue.Queue[str | None] = queue.Queue()
    seen: list[float] = []

    def watch_receipts() -> None:
        while (tx_hash := hashes.get()) is not None:
            watcher.wait(tx_hash)
            seen.append(time.monotonic())

    thread = threading.Thread(target=watch_receipts)
    thread.start()
    started = time.monotonic()
    for player in players:
        hashes.put(suite.token.send(relayer, "claimFor", player, gas=CLAIM_GAS))
    hashes.put(None)
    thread.join()
    results.put((started, seen))


def burst(url: str, addresses: dict[str, str], relayer_key: str, watch: Stopwatch,
          players: list[str]) -> dict[str, Any]:
    """Claims sent pipelined (no wait between them) from a separate process (see
    :func:`send_burst`). The devnet's rate is claims / time to the last receipt,
    verification's is claims / time to the last completion, in the same run."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    sender = context.Process(target=send_burst, name="legends-bench-sender",
                             args=(url, addresses, relayer_key, players, results))
    sender.start()
    try:
        started, seen = results.get(timeout=120.0)
    finally:
        sender.join(timeout=30.0)
    chain_seconds = seen[-1] - started
    watch.wait(players, timeout=120.0)
    verified_seconds = max(watch.stored[p.lower()] for p in players) - started
    latencies = [max(0.0, watch.stored[p.lower()] - at) for p, at in zip(players, seen)]
    chain_rate, verified_rate = rate(len(players), chain_seconds), rate(len(players), verified_seconds)
    result = row("burst", "pipelined burst: verified completions/s (devnet tx/s in note)", len(players),
                 verified_seconds, latencies)
    result.update(chain_per_second=chain_rate, ratio=verified_rate / chain_rate,
                  note=f"devnet {chain_rate:.0f} tx/s, verified {verified_rate:.0f}/s, ratio "
                       f"{verified_rate / chain_rate:.2f}; receipt -> completion {latency_note(latencies)}")
    return result


def row(key: str, label: str, n: int, seconds: float, latencies: list[float]) -> dict[str, Any]:
    return {"key": key, "benchmark": label, "n": n, "seconds": seconds, "per_second": rate(n, seconds),
            "mints_per_second": None, "note": latency_note(latencies),
            "median_ms": median(latencies) * 1000, "p99_ms": p99(latencies) * 1000,
            "max_ms": max(latencies) * 1000}


def run(quick: bool = False, *, port: int | None = None, sizes: Sizes | None = None) -> list[dict[str, Any]]:
    """One row per load shape; ``median_ms``/``p99_ms``/``max_ms`` carry the latencies."""
    sizes = sizes or (QUICK if quick else FULL)
    with tempfile.TemporaryDirectory(prefix="legends-bench-") as folder:
        node = Devnet(DevnetConfig(instance_path=Path(folder), port=port or free_port()))
        node.start()
        stop = None
        try:
            app = create_app({"ENV_NAME": "development", "INSTANCE_PATH": folder,
                              "DATABASE_URL": None, "CHAIN_RPC_URL": node.config.url})
            sessions = app.extensions["legends.db"].sessions
            migrate.upgrade(app.extensions["legends.db"].url)
            link = app.extensions["legends.chain"]
            deploy_suite(link.tx, link.signers, SqlManifestStore(sessions), say=lambda _m: None,
                         custody=link.custody())
            suite = link.suite(SqlManifestStore(sessions))
            with sessions.begin() as session:
                service.load_catalog_into(session, load_catalog(None, artifacts.known_events()))
            watch = Stopwatch()
            stop = start_thread(app, on_committed=watch.on_committed)
            rows = []
            for key, label, n, wait_each in (
                ("sequential", "claim, then wait until verified", sizes.sequential, True),
                ("back_to_back", "claims back to back (no waiting)", sizes.back_to_back, False),
            ):
                players = fresh_players(app, n, link.rpc.block_number())
                seconds, latencies = measure(suite, link.signers.faucet.address, watch, players,
                                             wait_each=wait_each)
                rows.append(row(key, label, n, seconds, latencies))
            players = fresh_players(app, sizes.burst, link.rpc.block_number())
            addresses = dict(link.manifest(SqlManifestStore(sessions)).addresses)
            rows.append(burst(node.config.url, addresses, link.signers.faucet.key.hex(), watch, players))
            return rows
        finally:
            if stop is not None:
                stop()
            node.stop()
