"""The NPCs' rules are plain functions: the Oracle's answers, the caravan reviewer's verdict on
a label, and the Forge's rate limit."""

from __future__ import annotations

from legends.wiring.agents import RateLimiter
from legends.wiring.oracle import ask
from legends.workers.caretaker import verdict


def test_the_oracle_answers_the_same_question_the_same_way():
    assert ask("Where is the water?") == ask("Where  is the water?")
    assert ask("Where is the water?") != ask("Where is the gold?")
    assert "'water'" in ask("Where is the water?") or "'where'" in ask("Where is the water?")
    assert "'silence'" in ask("?!")


def test_the_reviewer_rejects_empty_and_copied_labels_only():
    seen = {b"\x01" * 32}
    assert verdict(b"\x02" * 32, seen) is None
    assert verdict(b"\x00" * 32, seen) == "an empty label"
    assert verdict(b"\x01" * 32, seen).startswith("a copy")


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
