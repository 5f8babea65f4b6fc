"""The patrons' pure rules: what they buy, and when the council needs a fresh motion."""

from __future__ import annotations

from quests.npcs.patrons import PATRON_BUDGET, needs_fresh_motion, worth_buying, worth_licensing

TOKEN = 10**18


def test_patrons_buy_listings_from_one_sahara_up_to_their_budget():
    assert not worth_buying(TOKEN - 1)
    assert worth_buying(TOKEN) and worth_buying(PATRON_BUDGET)
    assert not worth_buying(PATRON_BUDGET + 1)


def test_a_fresh_motion_is_needed_when_no_open_proposal_snapshot_covers_the_last_stake():
    assert not needs_fresh_motion(None, None)
    assert needs_fresh_motion(10, None)
    assert needs_fresh_motion(10, 9)
    assert not needs_fresh_motion(10, 10)


def test_patrons_license_agents_whose_fee_is_within_their_budget():
    assert worth_licensing(0) and worth_licensing(PATRON_BUDGET)
    assert not worth_licensing(PATRON_BUDGET + 1)
