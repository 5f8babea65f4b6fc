"""The live-updates benchmark runs end to end in a tiny mode: every action reaches its
client twice (completed, minted) and a small crowd connects. No speed is asserted."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT) not in sys.path:  # `bench` is not an installed package
    sys.path.insert(0, str(REPO_ROOT))

pytestmark = pytest.mark.devnet


def test_realtime_benchmark_tiny_mode_delivers_every_event():
    from bench import realtime

    rows = {r["key"]: r for r in realtime.run(sizes=realtime.TINY)}

    assert rows["completed"]["n"] == rows["minted"]["n"] == realtime.TINY.actions
    assert 0 < rows["completed"]["median_ms"] <= rows["completed"]["p99_ms"]
    assert rows["held_20"]["failed"] == 0 and rows["held_20"]["n"] == 20
