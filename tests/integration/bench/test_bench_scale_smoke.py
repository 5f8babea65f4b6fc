"""The scale benchmark runs end to end in its tiny mode on PostgreSQL (and Redis when
reachable): the world loads, every hot path is measured, the private database is dropped.
No speed is asserted here (docs/benchmarks.md has the figures at a million players)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT) not in sys.path:  # `bench` is not an installed package
    sys.path.insert(0, str(REPO_ROOT))

pytestmark = pytest.mark.postgres


def test_scale_benchmark_tiny_mode_measures_every_hot_path(postgres_url):
    from bench import scale
    from bench.scale_world import ADMIN_URL

    rows = scale.run(tiny=True, say=lambda _m: None)
    names = [r["benchmark"] for r in rows]
    for expected in ("one completion applied", "completions/s, 4 writer", "check-in", "riddle answer",
                     "sign-in of a new player", "top 100 (SQL)", "own rank, bottom (SQL)",
                     "GET /api/referrals", "GET /api/world", "indexer upkeep", "reward worker planning"):
        assert any(name.startswith(expected) for name in names), (expected, names)
    timed = [r for r in rows if "p50_ms" in r]
    assert all(0 < r["p50_ms"] <= r["p99_ms"] for r in timed)
    engine = sa.create_engine(ADMIN_URL)
    with engine.connect() as conn:
        left = conn.execute(sa.text("SELECT datname FROM pg_database WHERE datname LIKE 'bench_scale_%'"))
        assert not [name for (name,) in left if name.endswith(f"_{os.getpid()}")]
    engine.dispose()
