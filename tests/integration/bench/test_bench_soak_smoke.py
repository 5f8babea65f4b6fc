"""The soak in its short mode (20 players, ~30 s) against one served app (``legends up`` on a
private PostgreSQL schema and Redis): every player signs in and plays the whole mix, no
request fails, and every reward is on chain exactly once (chain = ledger = API)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.devnet  # ``legends up`` starts a devnet of its own


def test_the_short_soak_has_no_error_and_no_lost_or_double_reward(postgres_tier, redis_url):
    from bench import soak

    rows = {r["key"]: r for r in soak.run(sizes=soak.SHORT, database=postgres_tier.base,
                                          redis_url=redis_url)}
    verdict = rows["verdict"]
    assert verdict["errors"] == 0 and verdict["server_errors"] == 0, verdict["note"]
    assert verdict["lost"] == 0 and verdict["double"] == 0 and verdict["mismatched"] == 0, verdict["note"]
    assert rows["players"]["n"] == soak.SHORT.players
    assert rows["completions"]["n"] >= 5 * soak.SHORT.players  # the Gate's five, and labels for half
    assert rows["transactions"]["n"] >= soak.SHORT.players  # every player's own Sahara ID at least
    assert rows["rewards"]["n"] >= rows["completions"]["n"]  # every completion pays shards
    assert 0 < rows["latency"]["p50_ms"] <= rows["latency"]["p99_ms"], rows["latency"]["note"]
