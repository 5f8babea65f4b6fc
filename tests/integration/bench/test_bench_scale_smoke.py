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


def test_the_loaded_world_keeps_the_referral_tallies_the_game_keeps(postgres_url):
    """The loader's marks and tallies agree with the completions it loaded (what
    quests.referral_tally keeps as the game runs), for every referrer."""
    from bench.scale_world import load, private_database

    with private_database(lambda _m: None, prefix="bench_tally") as url:
        load(url, 2_000, lambda _m: None)
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                activation = sorted(conn.scalars(sa.text(
                    "SELECT id FROM quest_definition WHERE retired_at IS NULL AND "
                    "(spec ->> 'activation')::boolean")).all())
                assert activation
                wrong = conn.scalar(sa.text(
                    "SELECT count(*) FROM player p WHERE p.activated_invitees <> (SELECT count(*) "
                    "FROM player i WHERE i.referred_by_id = p.id AND (SELECT count(DISTINCT "
                    "c.quest_id) FROM quest_completion c WHERE c.player_id = i.id AND "
                    "c.quest_id = ANY(:a)) = :n)"), {"a": activation, "n": len(activation)})
                # (the funnel is random: the heavy referrer's few invitees may all stop short)
                tallied = conn.scalar(sa.text("SELECT sum(activated_invitees) FROM player"))
                marks = conn.scalar(sa.text(
                    "SELECT count(*) FROM player WHERE (activated_at IS NOT NULL) <> "
                    "(referred_by_id IS NOT NULL AND (SELECT count(DISTINCT c.quest_id) FROM "
                    "quest_completion c WHERE c.player_id = player.id AND c.quest_id = ANY(:a)) = :n)"),
                    {"a": activation, "n": len(activation)})
        finally:
            engine.dispose()
    assert (wrong, marks) == (0, 0) and tallied > 0
