"""The Forge's rules: who may invoke an agent, and how often one player may ask."""

from __future__ import annotations

import pytest

from quests.invocations import NotLicensed, RateLimiter, RateRule, UnknownAgent, may_invoke

DEVELOPER = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
PLAYER = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"


def never_asked() -> bool:
    raise AssertionError("the licence was looked up although it was not needed")


def test_the_developer_may_invoke_its_own_agent_without_a_licence():
    may_invoke(3, DEVELOPER, DEVELOPER.lower(), never_asked)


def test_a_licensee_may_invoke_and_anyone_else_is_told_to_license_first():
    may_invoke(3, DEVELOPER, PLAYER, lambda: True)
    with pytest.raises(NotLicensed, match="no licence for agent 3"):
        may_invoke(3, DEVELOPER, PLAYER, lambda: False)


def test_an_agent_that_does_not_exist_cannot_be_invoked():
    with pytest.raises(UnknownAgent, match="agent 9 does not exist"):
        may_invoke(9, None, PLAYER, never_asked)


def test_the_rate_rule_is_a_sliding_window():
    rule = RateRule(limit=2, window=60.0)
    assert rule.wait([], 0.0) is None
    assert rule.wait([0.0], 0.0) is None
    assert rule.wait([0.0, 10.0], 30.0) == 30.0, "the oldest of the last two leaves at 60"


def test_the_rate_limit_is_a_sliding_window_per_player():
    now = [0.0]
    limiter = RateLimiter(2, window=60.0, clock=lambda: now[0])
    assert limiter.take("0xA") is None and limiter.take("0xa") is None
    assert limiter.take("0xA") == 60.0
    assert limiter.take("0xB") is None, "other players are counted apart"
    now[0] = 30.0
    assert limiter.take("0xA") == 30.0
    now[0] = 60.0
    assert limiter.take("0xA") is None


def test_players_idle_for_a_window_are_forgotten():
    now = [0.0]
    limiter = RateLimiter(10, window=60.0, clock=lambda: now[0])
    for n in range(1_000):
        limiter.take(f"0x{n:040x}")
    assert len(limiter) == 1_000
    now[0] = 61.0
    limiter.take("0xlate")
    assert len(limiter) == 1, "only the player active in this window is remembered"
    now[0] = 90.0
    assert limiter.take("0xlate") is None and len(limiter) == 1
