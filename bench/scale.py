"""``python -m bench scale [--players N] [--quick] [--tiny]``: the game with N players on
PostgreSQL (default 1,000,000; ``--quick`` 100,000; ``--tiny`` 2,000 for the test suite).

Loads the synthetic world of :mod:`bench.scale_world` into a private database, measures
each hot path >= 30 times (p50 / p99) and drops the database. Redis rows use a private
key prefix on REDIS_URL (default redis://127.0.0.1:6379/0) and are skipped without Redis.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from eth_account import Account
from eth_account.messages import encode_defunct
from sqlalchemy import select, text

from bench.common import latency_note, median, p99, rate
from bench.scale_world import bench_address, load, private_database
from legends.auth.players import Deployment, issue_nonce, sign_in
from legends.auth.session import open_session
from legends.auth.siwe import SiweMessage
from legends.realtime.sink import LiveSink
from legends.wiring.completions import RewardedSweep
from legends.wiring.leaderboards import RedisLeaderboard
from nft import outbox_batches as outbox
from nft.batching import plan_batches
from quests import service
from quests.evidence import ChainEvent
from quests.leaderboard import ALL_TIME, Board, SqlLeaderboard, week_of
from quests.orm import Player

TITLE = "Scale: N players on PostgreSQL"
SIZES = {"full": 1_000_000, "quick": 100_000, "tiny": 2_000}
REPS = 30
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
DEPLOYMENT = Deployment("bench.local", "http://bench.local", 31337)


def timed(fn: Callable[[int], Any], reps: int = REPS) -> list[float]:
    out = []
    for i in range(reps):
        started = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - started)
    return out


def row(name: str, seconds: list[float], n: int) -> dict[str, Any]:
    total = sum(seconds)
    return {"benchmark": name, "n": n, "seconds": total, "per_second": rate(len(seconds), total),
            "note": latency_note(seconds), "p50_ms": median(seconds) * 1000, "p99_ms": p99(seconds) * 1000}


def run(quick: bool = False, *, port: int | None = None, players: int | None = None,
        tiny: bool = False, say: Callable[[str], None] = print) -> list[dict[str, Any]]:
    n = players or SIZES["tiny" if tiny else "quick" if quick else "full"]
    with private_database(say) as url:
        world = load(url, n, say)
        say(f"loaded {n:,} players in {world.load_seconds:.0f}s: {world.counts}")
        return measure(url, n, world.load_seconds, say)


def measure(url: str, n: int, load_seconds: float, say: Callable[[str], None]) -> list[dict[str, Any]]:
    from legends import create_app

    with tempfile.TemporaryDirectory(prefix="bench-scale-") as folder:
        app = create_app({"ENV_NAME": "testing", "INSTANCE_PATH": folder, "DATABASE_URL": url,
                          "PUBLIC_URL": DEPLOYMENT.origin})
        sessions = app.extensions["legends.db"].sessions
        mirror = _redis_board()
        if mirror is not None:  # the game's own sink, its boards warm in Redis
            with sessions() as s:
                for board, period in ((Board.XP, ALL_TIME), (Board.SHARDS, ALL_TIME),
                                      (Board.XP, week_of(datetime.now(UTC)))):
                    mirror.rebuild(s, board, period)
        sink = LiveSink(mirror)
        rows = [{"benchmark": "load (COPY + set-based SQL)", "n": n, "seconds": load_seconds,
                 "note": "players, funnel, ledger, boards"}]
        with sessions() as s:
            fresh = list(s.scalars(text(
                "SELECT p.id FROM player p WHERE NOT EXISTS (SELECT 1 FROM quest_completion c "
                "WHERE c.player_id = p.id) AND p.id > 100000 ORDER BY p.id DESC LIMIT 400")).all()
                or s.scalars(text("SELECT p.id FROM player p WHERE NOT EXISTS (SELECT 1 FROM "
                                  "quest_completion c WHERE c.player_id = p.id) LIMIT 400")).all())
            riddlers = list(s.scalars(text(
                "SELECT c.player_id FROM quest_completion c WHERE c.quest_id = 'gate.sahara-id' "
                "AND NOT EXISTS (SELECT 1 FROM quest_completion d WHERE d.player_id = c.player_id "
                "AND d.quest_id = 'gate.soulbound-riddle') LIMIT 40")).all())
        by_id = {pid: bench_address(pid) for pid in fresh + riddlers}
        for pid in fresh:
            with sessions.begin() as s:
                s.execute(text("INSERT INTO quest_progress (player_id, quest_id, period, status, "
                               "progress, accepted_at, accepted_block, updated_at) VALUES (:p, "
                               "'gate.faucet', 'once', 'in_progress', '{}'::json, now(), 0, now()) "
                               "ON CONFLICT DO NOTHING"), {"p": pid})
        queue = list(fresh)
        lock = threading.Lock()
        now = datetime.now(UTC)

        def complete(_i: int = 0) -> None:
            with lock:
                pid = queue.pop()
            event = completion_event(pid, by_id[pid], now)
            with sessions.begin() as s:
                assert service.apply_chain_events(s, [event], now, sink=sink), pid

        rows.append(row("one completion applied (indexer path)", timed(complete, REPS), n))
        engine = app.extensions["legends.db"].engine
        for writers in (1, 2, 4):  # writer processes, as the indexer and web workers are
            per = min(30, len(queue) // writers)
            shares = [[queue.pop() for _ in range(per)] for _ in range(writers)]
            started = time.perf_counter()
            children = []
            for share in shares:
                child = _FORK.Process(target=_write, args=(engine, sessions, sink, share, by_id, now))
                child.start()
                children.append(child)
            for child in children:
                child.join()
                assert child.exitcode == 0, f"a writer failed ({child.exitcode})"
            elapsed = time.perf_counter() - started
            rows.append({"benchmark": f"completions/s, {writers} writer(s)", "n": per * writers,
                         "seconds": elapsed, "per_second": rate(per * writers, elapsed)})
        checkers = list(fresh[:REPS])

        def check_in(i: int) -> None:
            with sessions.begin() as s:
                player = s.get_one(Player, checkers[i])
                service.check_in(s, player, now, sink=sink)

        rows.append(row("check-in", timed(check_in), n))
        if riddlers:
            def answer(i: int) -> None:
                with sessions.begin() as s:
                    player = s.get_one(Player, riddlers[i % len(riddlers)])
                    # Each wrong answer after the riddle's cooldown (at most an hour): judged, not 429.
                    later = now + timedelta(hours=i)
                    service.answer(s, player, "gate.soulbound-riddle", "it succeeds", later, sink=sink)

            rows.append(row("riddle answer", timed(answer), n))
        rows.append(row("sign-in of a new player (SIWE verified)", timed(_sign_in_once(sessions)), n))
        rows += _boards(sessions, n, say)
        rows += _pages(app, sessions, n)
        sweep = RewardedSweep()

        def upkeep(_i: int) -> None:
            with sessions.begin() as s:
                sweep(s, now)

        rows.append(row("indexer upkeep (rewarded sweep, 500)", timed(upkeep), n))

        def planning(_i: int) -> None:
            with sessions() as s:  # planned, then rolled back: the backlog stays
                grants = outbox.unplanned_grants(s, 2000)
                for batch in plan_batches(grants, 200):
                    outbox.open_batch(s, batch, now)
                s.rollback()

        rows.append(row("reward worker planning (2,000 grants)", timed(planning), n))
        app.extensions["legends.db"].engine.dispose()
    return rows


_FORK = multiprocessing.get_context("fork")


def completion_event(pid: int, address: str, now: datetime) -> ChainEvent:
    return ChainEvent(contract="SaharaToken", event="FaucetClaimed",
                      args={"account": address, "amount": 1, "nextClaimAt": 0},
                      block_number=10, tx_hash=f"0x{pid:064x}", log_index=0,
                      timestamp=int(now.timestamp()))


def _write(engine: Any, sessions: Any, sink: Any, pids: list[int], by_id: dict[int, str],
           now: datetime) -> None:
    """One writer process: its own connections (none of the parent's), one completion per
    transaction."""
    engine.dispose(close=False)
    for pid in pids:
        with sessions.begin() as s:
            assert service.apply_chain_events(s, [completion_event(pid, by_id[pid], now)], now,
                                              sink=sink), pid


def _sign_in_once(sessions: Any) -> Callable[[int], None]:
    accounts = [Account.create() for _ in range(REPS)]

    def sign(i: int) -> None:
        with sessions.begin() as s:
            nonce = issue_nonce(s).nonce
        message = SiweMessage(domain=DEPLOYMENT.domain, address=accounts[i].address,
                              statement="Sign in to Sahara Legends.", uri=DEPLOYMENT.origin,
                              version="1", chain_id=DEPLOYMENT.chain_id, nonce=nonce,
                              issued_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")).to_text()
        signed = accounts[i].sign_message(encode_defunct(text=message)).signature.hex()
        signature = "0x" + signed.removeprefix("0x")
        with sessions.begin() as s:
            _, created = sign_in(s, DEPLOYMENT, message, signature)
            assert created

    return sign


def _positions(sessions: Any) -> dict[str, int]:
    with sessions() as s:
        ids = list(s.scalars(text("SELECT player_id FROM leaderboard_score WHERE board = 'xp' AND "
                                  "period = 'all' ORDER BY score DESC, player_id DESC")).all())
    return {"top": ids[0], "middle": ids[len(ids) // 2], "bottom": ids[-1]}


def _boards(sessions: Any, n: int, say: Callable[[str], None]) -> list[dict[str, Any]]:
    rows, positions = [], _positions(sessions)
    sources: list[tuple[str, Any]] = [("SQL", SqlLeaderboard())]
    redis_board = _redis_board()
    if redis_board is not None:
        rows.append(_rebuild(sessions, redis_board, n))
        sources.append(("Redis", redis_board))
    for name, source in sources:
        with sessions() as s:
            rows.append(row(f"top 100 ({name})", timed(
                lambda _i, src=source: src.top(s, Board.XP, ALL_TIME, 100)), n))
            for where, pid in positions.items():
                rows.append(row(f"own rank, {where} ({name})", timed(
                    lambda _i, src=source, p=pid: src.rank_of(s, Board.XP, ALL_TIME, p)), n))
    if redis_board is not None:
        keys = list(redis_board.client.scan_iter(f"{redis_board.prefix}:*"))
        if keys:
            redis_board.client.delete(*keys)
    return rows


def _redis_board() -> RedisLeaderboard | None:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        client.ping()
    except Exception:
        return None
    return RedisLeaderboard(client, prefix=f"bench-scale:{os.getpid()}")


def _rebuild(sessions: Any, board: RedisLeaderboard, n: int) -> dict[str, Any]:
    """A full rebuild, while another client pings Redis: what it feels."""
    import redis

    other, pings, done = redis.Redis.from_url(REDIS_URL), [], threading.Event()

    def ping() -> None:
        while not done.is_set():
            started = time.perf_counter()
            other.ping()
            pings.append(time.perf_counter() - started)
            time.sleep(0.001)

    pinger = threading.Thread(target=ping)
    pinger.start()
    started = time.perf_counter()
    with sessions() as s:
        loaded = board.rebuild(s, Board.XP, ALL_TIME)
    elapsed = time.perf_counter() - started
    done.set()
    pinger.join()
    return {"benchmark": "Redis rebuild (chunked ZADD + RENAME)", "n": loaded, "seconds": elapsed,
            "per_second": rate(loaded or 0, elapsed),
            "note": f"other client PING p50 {median(pings) * 1000:.2f} ms, p99 {p99(pings) * 1000:.2f} ms, "
                    f"max {max(pings, default=0) * 1000:.2f} ms"}


def _pages(app: Any, sessions: Any, n: int) -> list[dict[str, Any]]:
    with sessions() as s:
        bottom = s.scalar(text("SELECT player_id FROM leaderboard_score WHERE board = 'xp' AND "
                               "period = 'all' ORDER BY score, player_id DESC LIMIT 1"))
        heavy = s.scalar(select(Player.address).where(Player.id == 1))
        low = s.scalar(select(Player.address).where(Player.id == bottom))
    rows = []
    for path, address in (("/api/quests", low), ("/api/world", low), ("/api/leaderboard", low),
                          ("/api/referrals", heavy), ("/api/referrals?after=" + str(random.randint(2, 50)),
                                                      heavy)):
        client = app.test_client()
        with app.app_context(), sessions.begin() as s:  # a session row, as sign-in makes one
            token = open_session(s, s.scalar(select(Player).where(Player.address == address)),
                                 datetime.now(UTC))
        with client.session_transaction() as flask_session:
            flask_session.update(player=address, sid=token)

        def get(_i: int, client: Any = client, path: str = path) -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.get_json())

        rows.append(row(f"GET {path}" + (" (heavy referrer)" if address == heavy else " (bottom player)"),
                        timed(get), n))
    return rows
