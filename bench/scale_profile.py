"""``python -m bench.scale_profile [PLAYERS] [COMPLETIONS]``: where one completion's time
goes on the scale world (default 100,000 players, 200 completions), as the scale benchmark
applies it (the indexer path through the live sink, one per transaction, warmed up): every
statement counted with SQLAlchemy's ``before_cursor_execute`` hook (the hook the EXPLAIN
guard, tests/plan_guard.py, uses), then the completions again under cProfile. Also counts
the statements of a check-in and of a riddle answer. Prints statements per completion (most
frequent first) and the profile."""

from __future__ import annotations

import collections
import cProfile
import gc
import io
import pstats
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import event as sql_event
from sqlalchemy import text

from bench import scale, scale_writers
from bench.common import latency_note
from bench.scale_world import bench_address, load, private_database
from legends.realtime.sink import LiveSink
from quests import service
from quests.orm import Player


def profile(players: int = 100_000, completions: int = 200) -> None:
    with private_database(print) as url:
        load(url, players, lambda _m: None)
        from legends import create_app

        with tempfile.TemporaryDirectory(prefix="bench-scale-profile-") as folder:
            app = create_app({"ENV_NAME": "testing", "INSTANCE_PATH": folder, "DATABASE_URL": url,
                              "PUBLIC_URL": scale.DEPLOYMENT.origin})
            sessions = app.extensions["legends.db"].sessions
            engine = app.extensions["legends.db"].engine
            sink = LiveSink(scale._redis_board())
            fresh = scale_writers.fresh_players(sessions, players, 2 * completions + 10)
            now = datetime.now(UTC)
            applier = scale_writers.Applier(sessions, sink, {p: bench_address(p) for p in fresh}, now)
            for _ in range(5):
                applier.apply([fresh.pop()])
            statements: collections.Counter[str] = collections.Counter()

            def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
                statements[" ".join(statement.split())[:120]] += 1

            sql_event.listen(engine, "before_cursor_execute", count)
            pauses: list[tuple[int, float]] = []
            gc.callbacks.append(_gc_timer(pauses))
            seconds = []
            for _ in range(completions):
                started = time.perf_counter()
                applier.apply([fresh.pop()])
                seconds.append(time.perf_counter() - started)
            gc.callbacks.pop()
            sql_event.remove(engine, "before_cursor_execute", count)
            print(f"{completions} completions: {latency_note(seconds)}")
            for generation in (0, 1, 2):
                mine = [s for g, s in pauses if g == generation]
                print(f"  gc generation {generation}: {len(mine)} collections, "
                      f"longest {max(mine, default=0) * 1000:.1f} ms, total {sum(mine) * 1000:.1f} ms")
            print(f"{sum(statements.values()) / completions:.2f} statements per completion")
            for statement, n in statements.most_common(40):
                print(f"{n / completions:6.2f} {statement}")
            _other_paths(sessions, engine, sink, fresh[:20], now)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(completions):
                applier.apply([fresh.pop()])
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
            print(out.getvalue())
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
            print(out.getvalue())
            engine.dispose()


def _gc_timer(pauses: list[tuple[int, float]]):  # type: ignore[no-untyped-def]
    """A gc callback recording (generation, seconds) of every collection."""
    started = [0.0]

    def timer(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses.append((info["generation"], time.perf_counter() - started[0]))

    return timer


def _other_paths(sessions, engine, sink, checkers, now):  # type: ignore[no-untyped-def]
    """Statements of a check-in and a riddle answer (warmed up)."""
    with sessions() as s:
        riddlers = list(s.scalars(text(
            "SELECT c.player_id FROM quest_completion c WHERE c.quest_id = 'gate.sahara-id' AND NOT "
            "EXISTS (SELECT 1 FROM quest_completion d WHERE d.player_id = c.player_id AND "
            "d.quest_id = 'gate.soulbound-riddle') LIMIT 20")).all())

    def check_in(i: int) -> None:
        with sessions.begin() as s:
            service.check_in(s, s.get_one(Player, checkers[i]), now, sink=sink)

    def answer(i: int) -> None:
        with sessions.begin() as s:
            service.answer(s, s.get_one(Player, riddlers[i]), "gate.soulbound-riddle", "it succeeds",
                           now + timedelta(hours=i), sink=sink)

    for name, fn in (("check-in", check_in), ("riddle answer", answer)):
        fn(0)
        fn(1)
        statements: collections.Counter[str] = collections.Counter()

        def count(conn, cursor, statement, parameters, context, executemany,  # type: ignore[no-untyped-def]
                  seen=statements):
            seen[" ".join(statement.split())[:120]] += 1

        sql_event.listen(engine, "before_cursor_execute", count)
        for i in range(2, 12):
            fn(i)
        sql_event.remove(engine, "before_cursor_execute", count)
        print(f"\n{name}: {sum(statements.values()) / 10:.1f} statements")
        for statement, n in statements.most_common(30):
            print(f"{n / 10:6.2f} {statement}")


if __name__ == "__main__":
    profile(*(int(a) for a in sys.argv[1:3]))
