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

    assert [r["key"] for r in rows] == ["sequential", "back_to_back", "burst", "backlog"]
    for r in rows[:2]:
        assert r["n"] == verification.TINY.sequential and r["seconds"] > 0, r
        assert 0 < r["median_ms"] <= r["p99_ms"] <= r["max_ms"], r
        assert r["note"].startswith("median "), r
    burst = rows[2]  # latency under load, beside the devnet's pipelined rate of the same send
    assert burst["n"] == verification.TINY.burst and burst["chain_per_second"] > 0, burst
    assert 0 <= burst["median_ms"] <= burst["p99_ms"] and burst["tail_ms"] >= 0, burst
    assert "ratio" not in burst and "tail " in burst["note"], burst  # no throughput claim here
    backlog = rows[3]  # capacity: the backlog sent with the loop stopped, then drained
    assert backlog["n"] == verification.TINY.backlog and backlog["chain_per_second"] > 0, backlog
    assert backlog["per_second"] == pytest.approx(backlog["n"] / backlog["seconds"]), backlog
    assert backlog["ratio"] == pytest.approx(backlog["per_second"] / backlog["chain_per_second"]), backlog
    assert backlog["note"].startswith("devnet "), backlog


def test_verification_benchmark_burst_size_is_reachable_from_the_command_line(monkeypatch):
    import bench.__main__ as cli
    from bench import verification

    seen = {}
    monkeypatch.setattr(verification, "run", lambda quick, *, port=None, sizes=None, burst=None:
                        seen.update(burst=burst) or [])
    monkeypatch.setattr(cli, "print_table", lambda title, rows: None)

    assert cli.main(["verification", "--burst", "1000"]) == 0
    assert seen == {"burst": 1000}
