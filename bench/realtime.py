"""Live updates on one web process: latency from an action's receipt to the player's
client, websocket clients held, memory per connection, and one broadcast to everybody.

A private anvil with the suite, the app on a private PostgreSQL database (``bench_realtime_
<pid>``, dropped afterwards; SQLite in WAL mode if PostgreSQL is not reachable), and ONE web
process as ``legends serve --workers`` ships it: gevent on PostgreSQL (threading on SQLite,
or with ``--threading``), the indexer, reward worker, caretaker and scheduler in it; with
Redis reachable, Socket.IO's queue goes through Redis as in production. The clients live in
this process (``bench.live_clients``: asyncio websockets speaking Engine.IO 4), the server in
its own, so they do not share a GIL.

- latency: N players accepted ``gate.faucet`` and hold a socket (token auth); the faucet
  relayer claims for one player at a time; per action, the time from the claim's receipt
  to ``quest.completed`` at that player's client, and to ``reward.minted`` (the shards of
  the quest, minted by the woken reward worker), split at the events' own ``at`` (written in
  the transaction that records them): receipt -> completion row (indexer poll, verification)
  -> client (commit, emit, Redis, socket), and completion row -> mint row (wake-up, the mint
  transaction, its receipt) -> client;
- capacity: anonymous public clients are added in steps until a step fails to connect
  fully; RSS of the web process per step; then one announcement to all of them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.chain import Fresh, bench_transfers, sizes_for
from bench.common import free_port, latency_note, median, p99
from bench.live_clients import Crowd
from bench.verification import claim, fresh_players
from chain import artifacts
from chain.deploy import deploy_suite
from chain.devnet import Devnet, DevnetConfig
from chain.store import SqlManifestStore
from legends import create_app, migrate
from legends.config import DEFAULT_SECRET
from legends.realtime import emit_through_queue
from legends.realtime.events import announce
from legends.realtime.serving import raise_open_files
from legends.realtime.tokens import issue
from quests import service
from quests.loader import load_catalog

TITLE = "Live updates (one web process, as legends serve --workers ships it)"
ROOT = Path(__file__).resolve().parent.parent
REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@dataclass(frozen=True)
class Sizes:
    actions: int
    steps: tuple[int, ...]


FULL = Sizes(actions=200, steps=(1000, 2000, 2500, 3000, 4000, 5000))
QUICK = Sizes(actions=30, steps=(200, 500))
TINY = Sizes(actions=3, steps=(20,))


def redis_reachable(url: str) -> bool:
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=1).ping()
        return True
    except Exception:
        return False


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def threads_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


def start_web(env: dict[str, str], port: int, mode: str | None = None) -> subprocess.Popen:
    chosen = ["--async-mode", mode] if mode else []
    web = subprocess.Popen([sys.executable, "-c", "from legends import main; main()", "serve",
                            "--workers", "--port", str(port), *chosen], env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.2):
                return web
        except OSError:
            time.sleep(0.1)
    web.terminate()
    raise RuntimeError("the web process did not start")


def stop_web(web: subprocess.Popen) -> None:
    web.terminate()
    try:
        web.wait(30)
    except subprocess.TimeoutExpired:  # thousands of threads may not wind down in time
        web.kill()
        web.wait(30)


def first(crowd: Crowd, event: str, index: int) -> float | None:
    with crowd.lock:
        return next((t for i, e, _d, t in crowd.heard if i == index and e == event), None)


def written(crowd: Crowd, event: str, index: int) -> float | None:
    """The event's own ``at`` (wall clock, in the transaction that recorded it) on the
    perf_counter scale of the arrival times."""
    with crowd.lock:
        data = next((d for i, e, d, _t in crowd.heard if i == index and e == event), None)
    if not data:
        return None
    return datetime.fromisoformat(data["at"]).timestamp() - WALL_TO_PERF


WALL_TO_PERF = time.time() - time.perf_counter()


def stage_row(key: str, name: str, values: list[float]) -> dict[str, Any]:
    return {"key": key, "benchmark": name, "n": len(values), "seconds": None, "per_second": None,
            "note": latency_note(values), "median_ms": median(values) * 1000, "p99_ms": p99(values) * 1000}


def wait_until(check: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.002)
    return False


def latency_rows(app: Any, url: str, n: int) -> list[dict[str, Any]]:
    link = app.extensions["legends.chain"]
    suite = link.suite(SqlManifestStore(app.extensions["legends.db"].sessions))
    players = fresh_players(app, n, link.rpc.block_number())
    crowd = Crowd(url)
    try:
        tokens = [issue(DEFAULT_SECRET, p, 3600) for p in players]
        ok, failed, _ = crowd.add([{"token": t} for t in tokens])
        if failed:
            raise RuntimeError(f"{failed} player sockets failed: {crowd.failures()[:3]}")
        by_token = {c.auth["token"]: i for i, c in enumerate(crowd.clients)}
        slot = {p: by_token[t] for p, t in zip(players, tokens)}
        receipts: dict[str, float] = {}
        started = time.perf_counter()
        for player in players:
            receipts[player] = claim(suite, link.signers.faucet.address, player)
            wait_until(lambda p=player: first(crowd, "quest.completed", slot[p]) is not None, 10)
        seconds = time.perf_counter() - started
        wait_until(lambda: all(first(crowd, "reward.minted", slot[p]) for p in players), 60)
        done = [(first(crowd, "quest.completed", slot[p]), first(crowd, "reward.minted", slot[p]),
                 receipts[p]) for p in players]
        rows = [(written(crowd, "quest.completed", slot[p]), first(crowd, "quest.completed", slot[p]),
                 written(crowd, "reward.minted", slot[p]), first(crowd, "reward.minted", slot[p]),
                 receipts[p]) for p in players]
    finally:
        crowd.close()
    whole = [r for r in rows if None not in r]
    stages = [
        stage_row("s_row", "  receipt -> completion row (poll, verify)", [c - r for c, _, _, _, r in whole]),
        stage_row("s_emit", "  completion row -> client (commit, emit)", [a - c for c, a, _, _, _ in whole]),
        stage_row("s_mint", "  completion row -> mint row (wake, mint, receipt)",
                  [m - c for c, _, m, _, _ in whole]),
        stage_row("s_memit", "  mint row -> client (commit, emit)", [b - m for _, _, m, b, _ in whole]),
    ]
    completed = [c - r for c, _m, r in done if c is not None]
    minted = [m - r for _c, m, r in done if m is not None]
    return [
        {"key": "completed", "benchmark": "receipt -> quest.completed at the client", "n": len(completed),
         "seconds": seconds, "per_second": len(completed) / seconds, "note": latency_note(completed)
         + ("" if len(completed) == n else f"; {n - len(completed)} missing"),
         "median_ms": median(completed) * 1000, "p99_ms": p99(completed) * 1000},
        {"key": "minted", "benchmark": "receipt -> reward.minted at the client", "n": len(minted),
         "seconds": None, "per_second": None, "note": latency_note(minted)
         + ("" if len(minted) == n else f"; {n - len(minted)} missing"),
         "median_ms": median(minted) * 1000, "p99_ms": p99(minted) * 1000},
        *stages,
    ]


def capacity_rows(app: Any, url: str, pid: int, steps: tuple[int, ...],
                  broadcast: bool) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    crowd = Crowd(url)
    try:
        time.sleep(1.0)
        base = rss_mb(pid)
        held = 0
        for step in steps:
            ok, failed, seconds = crowd.add([{"public": True}] * (step - held), timeout=60)
            held += ok
            time.sleep(2.0)  # let the server settle (threads started, first pings)
            rss = rss_mb(pid)
            note = (f"100% connected; RSS {rss:,.0f} MB ({(rss - base) * 1024 / max(held, 1):,.0f} KB "
                    f"per connection), {threads_of(pid):,} threads" if not failed else
                    f"{failed} of {step - held + ok} new connections failed: {crowd.failures()[:1]}")
            rows.append({"key": f"held_{step}", "benchmark": f"websocket clients held ({step:,})",
                         "n": held, "seconds": seconds, "per_second": ok / seconds if seconds else None,
                         "note": note, "rss_mb": rss, "failed": failed})
            if failed:
                break
        if broadcast and held:
            with crowd.lock:
                crowd.heard.clear()
            started = time.perf_counter()
            with app.app_context(), app.extensions["legends.db"].sessions.begin() as db:
                announce(db, "The bench says hello")
            wait_until(lambda: len([1 for _i, e, _d, _t in crowd.heard if e == "announcement"]) >= held, 60)
            with crowd.lock:
                times = [t for _i, e, _d, t in crowd.heard if e == "announcement"]
            seconds = (max(times) - started) if times else 0.0
            rows.append({"key": "broadcast", "benchmark": "one announcement to every client", "n": len(times),
                         "seconds": seconds, "per_second": len(times) / seconds if seconds else None,
                         "note": f"{len(times):,} of {held:,} clients; first after "
                                 f"{(min(times) - started) * 1000 if times else 0:.0f} ms, through Redis"})
    finally:
        crowd.close()
    return rows


@contextmanager
def database(folder: str) -> Iterator[str | None]:
    """A private PostgreSQL database when one is reachable (None: SQLite in ``folder``)."""
    try:
        import sqlalchemy as sa

        from bench.scale_world import ADMIN_URL, private_database

        sa.create_engine(ADMIN_URL).connect().close()
    except Exception:
        yield None
        return
    with private_database(lambda _m: None, prefix="bench_realtime") as url:
        yield url


def served_mode(url: str) -> str:
    import requests

    return requests.get(f"{url}/healthz", timeout=30).json()["queue"]["realtime"].get("async_mode", "?")


def run(quick: bool = False, *, port: int | None = None, sizes: Sizes | None = None,
        mode: str | None = None) -> list[dict[str, Any]]:
    sizes = sizes or (QUICK if quick else FULL)
    raise_open_files()
    redis_url = REDIS if redis_reachable(REDIS) else None
    with tempfile.TemporaryDirectory(prefix="legends-bench-") as folder, database(folder) as db_url:
        node = Devnet(DevnetConfig(instance_path=Path(folder), port=port or free_port()))
        node.start()
        web = None
        try:
            web_port = free_port()
            settings = {"INSTANCE_PATH": folder, "CHAIN_RPC_URL": node.config.url,
                        "PUBLIC_URL": f"http://127.0.0.1:{web_port}",
                        "REALTIME_CHANNEL": f"legends-bench-{uuid.uuid4().hex[:8]}"}
            if redis_url:
                settings["REDIS_URL"] = redis_url
            app = create_app({"ENV_NAME": "development", "DATABASE_URL": db_url, **settings})
            sessions = app.extensions["legends.db"].sessions
            migrate.upgrade(app.extensions["legends.db"].url)
            link = app.extensions["legends.chain"]
            deploy_suite(link.tx, link.signers, SqlManifestStore(sessions), say=lambda _m: None,
                         custody=link.custody())
            with sessions.begin() as session:
                service.load_catalog_into(session, load_catalog(None, artifacts.known_events()))
            chain_sizes = sizes_for(quick) if sizes is not TINY else sizes_for(True)
            rows = [bench_transfers(link.tx, link.signers, chain_sizes, Fresh("realtime"))]
            env = {**os.environ, "LEGENDS_ENV": "development", "DATABASE_URL": db_url or "", **settings}
            web = start_web(env, web_port, mode)
            url = f"http://127.0.0.1:{web_port}"
            served = served_mode(url)
            rows += latency_rows(app, url, sizes.actions)
            if redis_url:
                emit_through_queue(app)
            rows += capacity_rows(app, url, web.pid, sizes.steps, broadcast=redis_url is not None)
            database_name = "PostgreSQL" if db_url else "SQLite"
            for row in rows[1:]:
                row.setdefault("mode", served)
            rows.insert(0, {"key": "mode", "benchmark": f"served: {served}, {database_name}", "n": None,
                            "seconds": None, "per_second": None, "note": f"async mode {served}"})
            return rows
        finally:
            try:
                if web is not None:
                    stop_web(web)
            finally:
                node.stop()
