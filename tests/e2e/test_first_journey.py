"""A new player's first minutes: landing -> burner wallet -> sign-in -> the well at the Gate,
and the completed quest and the minted shard appear without a reload."""

from __future__ import annotations

import re
import time

from .e2e_helpers import shoot, visit, wait_done


def test_a_new_player_reaches_a_first_shard_in_a_few_clicks(page, game):
    clicks = 0

    def click(locator) -> None:
        nonlocal clicks
        locator.click()
        clicks += 1

    started = time.monotonic()
    visit(page, "/")
    page.get_by_text("Start your journey").wait_for()
    shoot(page, "landing")
    click(page.get_by_role("button", name="Create a burner wallet"))
    page.get_by_text("Devnet burner ready").wait_for()
    click(page.get_by_role("button", name=re.compile("^Sign in as")))
    page.get_by_text("Welcome, traveller").wait_for()
    click(page.get_by_role("link", name="Go to the Gate"))
    page.wait_for_url("**/regions/gate")
    page.locator("[data-quest='gate.faucet']").wait_for()
    click(page.get_by_role("button", name="Drink from the well"))
    page.get_by_text(re.compile(r"You drank 100 SAHARA")).wait_for()
    # No reload from here on: the quest completes and the shards arrive in place.
    wait_done(page, "gate.faucet")
    # Two shards of the faucet's quest (a once-per-wallet quest like the full waterskin may add one).
    count = "document.querySelector('[data-pack] [data-shard-count]').textContent"
    page.wait_for_function(f"() => Number({count}) >= 2", timeout=45_000)
    seconds = time.monotonic() - started
    print(f"\nfirst journey: {clicks} clicks, {seconds:.1f} s from landing to a visible shard")
    shoot(page, "station-gate")
    assert clicks <= 6 and seconds <= 60, (clicks, seconds)
