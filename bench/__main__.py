"""``python -m bench [name ...] [--quick] [--port N]``: run benchmarks, print their tables.

A benchmark module exposes ``TITLE`` and ``run(quick, *, port=None) -> list[dict]`` (rows as
in :mod:`bench.common`); list it in :data:`BENCHMARKS` to have it run by default.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from bench.common import print_table

BENCHMARKS: dict[str, str] = {
    "chain": "bench.chain",
    "rewards": "bench.rewards",
    "verification": "bench.verification",
    "realtime": "bench.realtime",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="name",
                        help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)})")
    parser.add_argument("--quick", action="store_true", help="small N (CI smoke, < 15 s each)")
    parser.add_argument("--port", type=int, default=None,
                        help="port for the private anvil (default: a free one)")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    for name in args.names or list(BENCHMARKS):
        module = importlib.import_module(BENCHMARKS[name])
        started = time.perf_counter()
        rows = module.run(args.quick, port=args.port)
        print_table(module.TITLE, rows)
        print(f"({name}: {time.perf_counter() - started:.1f}s{', quick' if args.quick else ''})",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
