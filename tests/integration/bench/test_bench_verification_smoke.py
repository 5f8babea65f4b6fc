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

    assert [r["key"] for r in rows] == ["sequential", "back_to_back"]
    for r in rows:
        assert r["n"] == verification.TINY.sequential and r["seconds"] > 0, r
        assert 0 < r["median_ms"] <= r["p99_ms"] <= r["max_ms"], r
        assert r["note"].startswith("median "), r
