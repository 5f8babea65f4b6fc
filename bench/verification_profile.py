"""``python -m bench.verification_profile [N]``: where the verification loop's time per event
goes in a burst of N claims (default 200) — the verification benchmark with the loop's
``step`` under cProfile and every statement its thread sends counted with SQLAlchemy's
``before_cursor_execute`` hook (the hook the EXPLAIN guard, tests/plan_guard.py, uses).
Prints the burst row, statements per event (most frequent first) and the profile."""

from __future__ import annotations

import collections
import cProfile
import io
import pstats
import sys
import threading
import time
from typing import Any

from sqlalchemy import event as sql_event

from bench import verification
from legends.workers import verification as loop_module


def profile(burst: int = 200) -> None:
    profiler = cProfile.Profile()
    totals = {"steps": 0, "events": 0, "completed": 0, "seconds": 0.0}
    statements: collections.Counter[str] = collections.Counter()
    step = loop_module.VerificationLoop.step

    def timed_step(self: Any) -> Any:
        started = time.perf_counter()
        profiler.enable()
        try:
            report = step(self)
        finally:
            profiler.disable()
        if report is not None:
            totals["steps"] += 1
            totals["events"] += len(report.batch.events)
            totals["completed"] += len(report.completed)
            totals["seconds"] += time.perf_counter() - started
        return report

    create_app = verification.create_app

    def counted_app(config: dict[str, Any]) -> Any:
        app = create_app(config)

        def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            if threading.current_thread().name.startswith("legends-verification"):
                statements[" ".join(statement.split())[:110]] += 1

        sql_event.listen(app.extensions["legends.db"].engine, "before_cursor_execute", count)
        return app

    loop_module.VerificationLoop.step = timed_step  # type: ignore[method-assign]
    verification.create_app = counted_app  # type: ignore[assignment]
    try:
        rows = verification.run(sizes=verification.Sizes(sequential=5, back_to_back=5, burst=burst))
    finally:
        loop_module.VerificationLoop.step = step  # type: ignore[method-assign]
        verification.create_app = create_app  # type: ignore[assignment]
    print(rows[-1]["note"])
    events = max(1, totals["events"])
    print(f"{totals['steps']} steps, {totals['events']} events, {totals['completed']} completions; "
          f"{1000 * totals['seconds'] / max(1, totals['completed']):.1f} ms of loop per completion "
          "(under the profiler)")
    print(f"{sum(statements.values())} statements, {sum(statements.values()) / events:.2f} per event")
    for text, n in statements.most_common(30):
        print(f"{n:6d} {text}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    print(out.getvalue())


if __name__ == "__main__":
    profile(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
