"""``python -m bench [name ...] [--quick] [--port N]``: run benchmarks, print their tables.

``python -m bench scale [--players N] [--quick] [--tiny]`` runs the PostgreSQL scale
benchmark (named only: its default is a million players).

``python -m bench soak [--short]`` runs the soak (named only: 500 players for 10 minutes
against one served app on PostgreSQL and Redis; ``--short``: 20 players, ~30 s).

A benchmark module exposes ``TITLE`` and ``run(quick, *, port=None) -> list[dict]`` (rows as
in :mod:`bench.common`); list it in :data:`BENCHMARKS` to have it run by default.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
import time

from bench.common import print_table

BENCHMARKS: dict[str, str] = {
    "chain": "bench.chain",
    "rewards": "bench.rewards",
    "verification": "bench.verification",
    "realtime": "bench.realtime",
}
ON_REQUEST: dict[str, str] = {"scale": "bench.scale", "soak": "bench.soak"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="name",
                        help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)})")
    parser.add_argument("--quick", action="store_true", help="small N (CI smoke, < 15 s each)")
    parser.add_argument("--port", type=int, default=None,
                        help="port for the private anvil (default: a free one)")
    parser.add_argument("--players", type=int, default=None, help="scale: how many players")
    parser.add_argument("--tiny", action="store_true", help="scale: ~2,000 players (test suite)")
    parser.add_argument("--async-mode", choices=("gevent", "threading"), default=None,
                        help="realtime: serve in this mode (default: as legends serve picks)")
    parser.add_argument("--short", action="store_true", help="soak: 20 players for ~30 s (test suite)")
    args = parser.parse_args(argv)
    known = {**BENCHMARKS, **ON_REQUEST}
    unknown = [n for n in args.names if n not in known]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(known)}")
    for name in args.names or list(BENCHMARKS):
        module = importlib.import_module(known[name])
        started = time.perf_counter()
        accepts = inspect.signature(module.run).parameters
        extra = {k: v for k, v in (("players", args.players), ("tiny", args.tiny),
                                   ("mode", args.async_mode), ("short", args.short))
                 if k in accepts}
        rows = module.run(args.quick, port=args.port, **extra)
        print_table(module.TITLE, rows)
        print(f"({name}: {time.perf_counter() - started:.1f}s{', quick' if args.quick else ''})",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
