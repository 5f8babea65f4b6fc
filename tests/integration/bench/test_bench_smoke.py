"""The chain benchmark runs end to end in a tiny mode. No speed is asserted: only that
every row is there, measured something and came out positive."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT) not in sys.path:  # `bench` is not an installed package
    sys.path.insert(0, str(REPO_ROOT))

pytestmark = pytest.mark.devnet


def test_chain_benchmark_tiny_mode_gives_positive_rates():
    from bench import chain
    from bench.common import format_table

    rows = chain.run(False, sizes=chain.TINY)

    keys = {r["key"] for r in rows}
    assert {chain.SINGLE_MINT, chain.SINGLE_MINT_ESTIMATED, chain.PIPELINED_MINT, chain.BATCH_MINT,
            "eth_transfer", "token_single_explicit", "token_single_estimated", "sign"} <= keys
    for r in rows:
        assert r["n"] > 0 and r["seconds"] > 0 and r["per_second"] > 0, r
        if r["mints_per_second"] is not None:
            assert r["mints_per_second"] > 0, r
    batch = chain.find(rows, chain.BATCH_MINT)
    assert batch["mints_per_second"] == pytest.approx(batch["per_second"] * chain.TINY.batch_size)
    assert "Backend" in chain.find(rows, "sign")["note"]

    table = format_table(rows).splitlines()
    assert table[0].startswith("| benchmark") and len(table) == len(rows) + 2
    assert len({len(line) for line in table}) == 1  # fixed width
