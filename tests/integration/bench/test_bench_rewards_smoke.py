"""The rewards benchmark runs end to end in a tiny mode: every grant confirmed exactly once,
rows positive. No speed is asserted (the ratio is reported, not tested)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT) not in sys.path:  # `bench` is not an installed package
    sys.path.insert(0, str(REPO_ROOT))

pytestmark = pytest.mark.devnet


def test_rewards_benchmark_tiny_mode_confirms_everything_and_reports_a_ratio():
    from bench import rewards
    from bench.__main__ import BENCHMARKS
    from bench.chain import SINGLE_MINT, find

    assert BENCHMARKS["rewards"] == "bench.rewards"
    rows = rewards.run(False, sizes=rewards.TINY)
    for r in rows:
        assert r["n"] > 0 and r["seconds"] > 0 and r["per_second"] > 0, r
    confirmed = find(rows, "rewards_confirmed")
    assert confirmed["n"] == rewards.TINY.rewards and confirmed["ratio"] > 0
    assert confirmed["ratio"] == pytest.approx(
        confirmed["mints_per_second"] / find(rows, SINGLE_MINT)["mints_per_second"])
    assert "exactly once" in confirmed["note"]


def test_completions_add_up_to_the_requested_rewards():
    from bench.rewards import completions

    players = [f"0x{n:040x}" for n in range(1, 8)]
    work = completions(players, 101)
    grants = [g for c in work for g in c]
    assert len(grants) == 101 and len({g.key for g in grants}) == 101
