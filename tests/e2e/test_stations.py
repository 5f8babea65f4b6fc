"""Every region's stations played through the UI with the burner wallet, each ending with
its quests shown completed on the region page (no reload)."""

from __future__ import annotations

import re

from .e2e_helpers import shoot, sign_in_with_burner, visit, wait_done

TOKEN = 10**18


def enter(page, game, region: str, sahara: int = 0) -> str:
    address = sign_in_with_burner(page)
    game.open_region(address, region)
    game.fund(address, sahara=sahara)
    visit(page, f"/regions/{region}")
    page.locator("[data-quest-panel] [data-quest]").first.wait_for()
    return address


def test_the_gate_carves_a_sahara_id_and_answers_the_sphinx(page, game):
    enter(page, game, "gate")
    page.get_by_role("button", name="Carve my Sahara ID").click()
    page.get_by_text("Your name is carved").wait_for()
    wait_done(page, "gate.sahara-id")
    riddle = page.locator("[data-answer='gate.soulbound-riddle']")
    riddle.get_by_label("Your answer").fill("it reverts")
    riddle.get_by_role("button", name="Answer").click()
    wait_done(page, "gate.soulbound-riddle")
    page.get_by_role("button", name="Check in today").click()
    wait_done(page, "gate.daily-checkin")


def test_the_oasis_labels_posts_a_task_reviews_and_bottles(page, game):
    address = enter(page, game, "oasis", sahara=50)
    items = page.locator("[data-label-items] [data-item]")
    items.first.wait_for()
    for i in range(3):
        items.nth(i).get_by_role("button", name="Submit label").click()
        page.locator("[data-label-message].success").wait_for()
        page.locator(f"[data-label-items] [data-item]:nth-child({i + 1}).sent").wait_for()
    wait_done(page, "oasis.first-labels")
    # The caravan's reviewer weighs labels sent after the quest was taken.
    items.nth(3).get_by_role("button", name="Submit label").click()
    wait_done(page, "oasis.label-accepted")
    shoot(page, "station-oasis")
    page.get_by_role("button", name="Post the task").click()
    page.get_by_text("Your task is posted").wait_for()
    wait_done(page, "oasis.post-task")
    task = page.locator("[data-my-tasks] [data-task]").first
    task.wait_for()
    task_id = int(task.get_attribute("data-task"))
    # Another traveller labels the player's task; the player reviews it on their own task.
    suite = game.suite()
    helper = game.helper()
    suite.data.transact(helper, "submitLabel", task_id, b"\x01" * 32)
    review = page.locator(f"[data-task='{task_id}'] [data-review='accept']").first
    review.wait_for(timeout=20_000)
    review.click()
    page.locator("[data-mine-message].success").wait_for()
    page.locator(f"[data-task='{task_id}'] [data-dataset]").click()
    page.get_by_text(re.compile("bottled into a dataset")).wait_for()
    wait_done(page, "oasis.dataset")
    assert address


def test_the_forge_registers_licenses_and_invokes_an_agent(page, game):
    enter(page, game, "forge", sahara=50)
    page.get_by_role("button", name="Register the agent").click()
    page.get_by_text(re.compile("Dune Scout breathes")).wait_for()
    wait_done(page, "forge.register-agent")
    page.get_by_role("button", name=re.compile("^Licence it for")).click()
    page.get_by_text("You hold a licence").wait_for()
    wait_done(page, "forge.license")
    oracle = page.locator("[data-invoke-agents] option", has_text="Oracle")
    oracle.wait_for(state="attached")
    page.locator("[data-invoke-agents]").select_option(oracle.get_attribute("value"))
    page.get_by_role("button", name="Ask and record").click()
    page.get_by_text("The invocation is sealed").wait_for()
    assert page.locator("[data-invoke-answer]").inner_text().strip()
    wait_done(page, "forge.invoke")
    shoot(page, "station-forge")


def test_the_bazaar_lists_buys_and_shows_the_split(page, game):
    enter(page, game, "bazaar", sahara=50)
    page.get_by_text("70% to the seller").wait_for()
    page.get_by_role("button", name="List it").click()
    page.get_by_text("Your carpet is spread").wait_for()
    wait_done(page, "bazaar.first-listing")
    merchant = game.npcs()["merchant"]
    stall = page.locator("[data-listings] [data-buy]").first
    stall.wait_for()
    stall.click()
    page.get_by_text(re.compile("You bought listing")).wait_for()
    wait_done(page, "bazaar.first-purchase")
    assert merchant
    page.locator("[data-listings] [data-delist]").first.click()
    page.get_by_text(re.compile("rolled up")).wait_for()
    shoot(page, "station-bazaar")


def test_the_citadel_stakes_and_votes(page, game):
    enter(page, game, "citadel", sahara=150)
    page.get_by_role("button", name="Stake", exact=True).click()
    page.get_by_text("laid into the walls").wait_for()
    wait_done(page, "citadel.stake")
    page.get_by_text(re.compile(r"100(\.0)? SAHARA")).first.wait_for()
    # A motion tabled after the stake gives this stake a voice: propose one, then vote on it.
    page.get_by_role("button", name="Propose").click()
    page.locator("[data-council-message]").wait_for()
    page.locator("[data-council-message].success, [data-council-message].error").wait_for()
    tabled = re.search(r"motion #(\d+)", page.locator("[data-council-message]").inner_text())
    assert tabled, page.locator("[data-council-message]").inner_text()
    # Vote on the player's own motion: older ones (or a patron's) may predate the stake.
    vote = page.locator(f"[data-proposals] [data-vote='{tabled.group(1)}:1']")
    vote.wait_for()
    vote.click()
    page.locator("[data-council-message].success, [data-council-message].error").wait_for()
    assert "Your voice is counted" in page.locator("[data-council-message]").inner_text()
    wait_done(page, "citadel.vote")
    shoot(page, "station-citadel")
