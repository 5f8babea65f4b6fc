"""Soak: simulated players (``bench.soak_players``) against ONE served app for minutes.

The app runs as ``make run`` runs it: ``legends up`` in a process of its own (migrations, the
bundled devnet, deployment, then the web server with the indexer, reward worker and caretaker
as its threads), here on a private PostgreSQL schema and Redis (queue, leaderboards and
limiter under private prefixes). Players arrive evenly over the run, each with a fresh
wallet; they sign in through the HTTP API and send their own signed transactions.

At the end, once the reward worker has nothing left, every reward is checked against the
chain: each completion's grants are in the ledger exactly once and confirmed, and for every
player the chain's shard balances == the ledger's confirmed sums == ``GET /api/inventory``.

All players come from one client address, so the per-address limits (nonces, faucet claims)
are raised for the run; the per-wallet and per-session limits stay as shipped.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa
from sqlalchemy.orm import Session

from bench.common import free_port, median, p99, rate
from bench.soak_players import Player, Tally
from bench.wallets import own_wallet

TITLE = "Soak (players with their own wallets against one served app on PostgreSQL + Redis)"
ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("TEST_POSTGRES_URL") or "postgresql://127.0.0.1:5432/test"
REDIS = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
LATENCY_QUESTS = ("gate.faucet", "gate.sahara-id", "oasis.first-labels")


@dataclass(frozen=True)
class Sizes:
    players: int
    seconds: float  # players arrive evenly over this long


FULL = Sizes(players=500, seconds=600)
SHORT = Sizes(players=20, seconds=30)


@contextmanager
def private_schema(base: str) -> Iterator[str]:
    """An empty schema of its own in ``base``'s database (``legends up`` migrates it)."""
    base = base.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"legends_soak_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def clear_redis(url: str, prefixes: list[str]) -> None:
    import redis

    client = redis.Redis.from_url(url)
    for prefix in prefixes:
        keys = list(client.scan_iter(f"*{prefix}*"))  # the limiter's keys carry the prefix inside
        if keys:
            client.delete(*keys)


@contextmanager
def served(database: str, redis_url: str, folder: str, devnet_port: int | None) -> Iterator[tuple[str, str]]:
    """``legends up`` on a free port; yields (app URL, RPC URL); Ctrl-C (SIGINT) stops it."""
    port, rpc_port = free_port(), devnet_port or free_port()
    tag = uuid.uuid4().hex[:8]
    prefixes = [f"legends-soak-{tag}:limits", f"legends-soak-{tag}:leaderboard"]
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LEGENDS_ENV": "development", "INSTANCE_PATH": folder, "DATABASE_URL": database,
           "REDIS_URL": redis_url, "PUBLIC_URL": base, "DEVNET_PORT": str(rpc_port),
           "REALTIME_CHANNEL": f"legends-soak-{tag}", "RATE_LIMIT_PREFIX": prefixes[0],
           "LEADERBOARD_PREFIX": prefixes[1], "RATE_LIMIT_NONCE": "100000/minute",
           "RATE_LIMIT_FAUCET_CLIENT": "100000/hour", "PYTHONUNBUFFERED": "1"}
    env.pop("CHAIN_RPC_URL", None)
    log = open(Path(folder) / "up.log", "w+")  # noqa: SIM115 (read after the process ends)
    process = subprocess.Popen([sys.executable, "-c", "from legends.cli import main; main()", "up",
                                "--port", str(port)], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"legends up exited {process.returncode}: {log.read()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError("legends up did not serve within 180 s")
            try:
                with socket.create_connection(("127.0.0.1", port), 0.2):
                    break
            except OSError:
                time.sleep(0.2)
        yield base, f"http://127.0.0.1:{rpc_port}"
    finally:
        process.send_signal(2)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(30)
        log.seek(0)
        text = log.read()
        log.close()
        if "Traceback" in text:  # kept for reading after the run (the folder goes)
            kept = Path(tempfile.gettempdir()) / f"legends-soak-{tag}.log"
            kept.write_text(text)
            print(f"soak: the server logged errors; its log is kept at {kept}", flush=True)
        clear_redis(redis_url, prefixes)


def play_all(base: str, rpc_url: str, sizes: Sizes, tally: Tally) -> float:
    """Start one player every ``seconds / players``; returns when all are done."""
    chain = requests.get(f"{base}/api/chain", timeout=30).json()
    addresses = {name: c["address"] for name, c in chain["contracts"].items()}
    npcs = requests.get(f"{base}/api/world/npcs", timeout=30).json()
    gap = sizes.seconds / sizes.players
    started = time.perf_counter()
    threads = []
    for index in range(sizes.players):
        time.sleep(max(0.0, started + index * gap - time.perf_counter()))
        inviter = next((p.referral_code for p in reversed(tally.players) if p.referral_code), None)
        player = Player(base, rpc_url, addresses, npcs, index, tally, inviter if index % 3 == 2 else None)
        tally.players.append(player)
        thread = threading.Thread(target=player.play, daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(300)
    return time.perf_counter() - started


def wait_for_rewards(engine: sa.Engine, timeout: float = 300.0) -> dict[str, int]:
    """Until no shard or SAHARA grant is pending or in flight; returns them per state."""
    deadline = time.monotonic() + timeout
    while True:
        with engine.connect() as conn:
            counts = dict(conn.execute(sa.text(
                "SELECT state, count(*) FROM reward_grant WHERE kind IN ('shards', 'sahara')"
                " GROUP BY state")).all())
        if not set(counts) - {"confirmed", "withdrawn", "failed"} or time.monotonic() > deadline:
            return counts
        time.sleep(0.5)


def check_rewards(engine: sa.Engine, tally: Tally, rpc_url: str, addresses: dict[str, str]
                  ) -> dict[str, Any]:
    """Lost, double and mismatched rewards, checked against the chain."""
    from chain import artifacts
    from legends.wiring.completions import rewards_mapping
    from nft import outbox_reads
    from nft.ledger import GrantKind, grants_for_rewards
    from nft.tokens import SHARD_IDS
    from quests.loader import load_catalog

    quests = dict(load_catalog(None, artifacts.known_events()).quests)
    _, suite = own_wallet(rpc_url, addresses)
    lost = double = mismatched = expected_grants = 0
    problems: list[str] = []
    with engine.connect() as conn:
        completions = conn.execute(sa.text(
            "SELECT p.address, c.quest_id, c.period FROM quest_completion c"
            " JOIN player p ON p.id = c.player_id")).all()
        rows = conn.execute(sa.text("SELECT player, source, period, kind, token_id, amount, state "
                                    "FROM reward_grant WHERE kind IN ('shards', 'sahara')")).all()
    ledger: dict[tuple[str, str, str, str, int | None], list[tuple[int, str]]] = {}
    for player, source, period, kind, token_id, amount, state in rows:
        ledger.setdefault((player, source, period, kind, token_id), []).append((int(amount), state))
    for address, quest_id, period in completions:
        owed = rewards_mapping(quests[quest_id].rewards)
        for grant in grants_for_rewards(address.lower(), quest_id, period, owed):
            if grant.kind not in (GrantKind.SHARDS, GrantKind.SAHARA):
                continue
            expected_grants += 1
            found = ledger.get((grant.player, quest_id, period, str(grant.kind), grant.token_id), [])
            if len(found) > 1:
                double += 1
                problems.append(f"{address} {quest_id}: {len(found)} grants")
            elif not found or found[0] != (grant.amount, "confirmed"):
                lost += 1
                problems.append(f"{address} {quest_id}: {found or 'no grant'}")
    with Session(engine) as session:
        totals = outbox_reads.ledger_totals(session)
    confirmed_grants = sum(1 for *_key, state in rows if state == "confirmed")
    for player in tally.players:
        if player.referral_code is None:
            continue  # never signed in: nothing owed
        key = player.address.lower()
        chain = suite.shards.balances(player.address, list(SHARD_IDS))
        books = {t: totals.get((key, "shards", t), 0) for t in SHARD_IDS}
        shown = {s["token_id"]: s["balance"] for s in player.inventory()["shards"]}
        if not chain == books == shown:
            mismatched += 1
            problems.append(f"{player.address}: chain {chain}, ledger {books}, API {shown}")
            double += sum(1 for t in SHARD_IDS if chain[t] > books[t])
    return {"lost": lost, "double": double, "mismatched": mismatched, "expected_grants": expected_grants,
            "confirmed_grants": confirmed_grants,
            "completions": len(completions), "problems": problems[:10]}


def run(quick: bool = False, *, port: int | None = None, short: bool = False,
        sizes: Sizes | None = None, database: str | None = None, redis_url: str | None = None
        ) -> list[dict[str, Any]]:
    """The soak's table rows; the last row (``key`` "verdict") carries the counts the test checks."""
    sizes = sizes or (SHORT if quick or short else FULL)
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="legends-soak-") as folder, \
            private_schema(database or POSTGRES) as url, \
            served(url, redis_url or REDIS, folder, port) as (base, rpc_url):
        seconds = play_all(base, rpc_url, sizes, tally)
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        settle_started = time.perf_counter()
        states = wait_for_rewards(engine)
        settled = time.perf_counter() - settle_started
        chain = requests.get(f"{base}/api/chain", timeout=30).json()
        addresses = {name: c["address"] for name, c in chain["contracts"].items()}
        checked = check_rewards(engine, tally, rpc_url, addresses)
        engine.dispose()
    return rows(sizes, tally, seconds, settled, states, checked)


def percentiles(seconds: list[float]) -> str:
    return f"p50 {median(seconds) * 1000:.0f} ms, p99 {p99(seconds) * 1000:.0f} ms"


def rows(sizes: Sizes, tally: Tally, seconds: float, settled: float, states: dict[str, int],
         checked: dict[str, Any]) -> list[dict[str, Any]]:
    server_errors = sum(n for status, n in tally.statuses.items()
                        if status == "no answer" or int(status) >= 500)
    errors = len(tally.errors)
    latencies = [s for q in LATENCY_QUESTS for s in tally.latencies.get(q, [])]
    confirmed = checked["confirmed_grants"]
    statuses = ", ".join(f"{s}: {n:,}" for s, n in sorted(tally.statuses.items(), key=lambda i: str(i[0])))
    by_quest = ", ".join(f"{q} {n}" for q, n in sorted(tally.completions.items()))
    per_quest = "; ".join(f"{q} {percentiles(tally.latencies[q])}" for q in LATENCY_QUESTS
                          if tally.latencies.get(q))
    problems = tally.errors + checked["problems"]
    return [
        {"key": "players", "benchmark": "players (fresh wallets, EIP-4361 sign-in)", "n": sizes.players,
         "seconds": seconds, "per_second": rate(sizes.players, seconds),
         "note": f"{tally.finished - errors} played every step; {errors} stopped by an error"},
        {"key": "requests", "benchmark": "HTTP requests", "n": tally.requests, "seconds": seconds,
         "per_second": rate(tally.requests, seconds), "note": statuses},
        {"key": "transactions", "benchmark": "transactions from the players' wallets",
         "n": tally.transactions, "seconds": seconds, "per_second": rate(tally.transactions, seconds),
         "note": "signed locally, sent over JSON-RPC"},
        {"key": "completions", "benchmark": "quest completions", "n": checked["completions"],
         "seconds": seconds, "per_second": rate(checked["completions"], seconds),
         "note": f"seen by the players: {by_quest}"},
        {"key": "latency", "benchmark": "receipt -> completion seen by the player", "n": len(latencies),
         "seconds": None, "per_second": None,
         "note": f"{percentiles(latencies)} (the client polls every 50 ms); {per_quest}",
         "p50_ms": median(latencies) * 1000, "p99_ms": p99(latencies) * 1000},
        {"key": "rewards", "benchmark": "reward grants confirmed on chain", "n": confirmed,
         "seconds": settled, "mints_per_second": None,
         "note": f"{checked['expected_grants']} owed by the completions (shards and SAHARA); outbox when "
                 f"the last player was done: {states}; "
                 f"last grant confirmed {settled:.1f} s after the last player"},
        {"key": "verdict", "benchmark": "errors / lost / double rewards (goal 0)", "n": None, "seconds": None,
         "note": f"{errors} errors ({server_errors} 5xx or unanswered), {checked['lost']} lost, "
                 f"{checked['double']} double, {checked['mismatched']} players where chain != ledger != API"
                 + (f"; first: {problems[:3]}" if problems else ""),
         "errors": errors, "server_errors": server_errors, "lost": checked["lost"],
         "double": checked["double"], "mismatched": checked["mismatched"], "problems": problems[:10]},
    ]
