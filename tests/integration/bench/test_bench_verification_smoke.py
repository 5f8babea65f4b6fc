"""The verification benchmark runs end to end in a tiny mode: every claim is verified and
latencies come out positive. No speed is asserted here (docs/benchmarks.md has numbers)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT) not in sys.path:  # `bench` is not an installed package
    sys.path.insert(0, str(REPO_ROOT))

pytestmark = pytest.mark.devnet


def test_verification_benchmark_tiny_mode_verifies_every_claim():
    from bench import verification

    rows = verification.run(sizes=verification.TINY)

    assert [r["key"] for r in rows] == ["sequential", "back_to_back", "burst"]
    for r in rows[:2]:
        assert r["n"] == verification.TINY.sequential and r["seconds"] > 0, r
        assert 0 < r["median_ms"] <= r["p99_ms"] <= r["max_ms"], r
        assert r["note"].startswith("median "), r
    burst = rows[2]  # the devnet's pipelined rate and verification's, in the same run
    assert burst["n"] == verification.TINY.burst and burst["chain_per_second"] > 0, burst
    assert burst["ratio"] == pytest.approx(burst["per_second"] / burst["chain_per_second"]), burst
    assert burst["note"].startswith("devnet "), burst
