"""The altar, the pages around the stations, and the screenshots of the README."""

from __future__ import annotations

import re

import requests

from .e2e_helpers import shoot, sign_in_with_burner, visit, wait_done


def test_a_player_with_five_gate_shards_crafts_the_sphinx(page, game):
    address = sign_in_with_burner(page)
    game.fund(address)
    game.mint_shards(address, 1, 5)
    visit(page, "/inventory")
    recipe = page.locator("[data-recipes] [data-craft='101']")
    recipe.wait_for()
    assert recipe.is_enabled()
    assert "Ready" in page.locator("[data-recipe].can").first.inner_text()
    recipe.click()
    page.locator("[data-craft-message]", has_text="answers your call").wait_for()
    page.locator("[data-guardians] [data-token='101'] [data-balance='1']").wait_for()
    page.locator("[data-shards] [data-token='1'] [data-balance='0']").wait_for()
    shoot(page, "inventory")


def test_the_map_quest_detail_and_transaction_pages(page, game, browser):
    address = sign_in_with_burner(page)
    visit(page, "/regions/gate")
    page.get_by_role("button", name="Drink from the well").click()
    page.get_by_text("You drank").wait_for()
    wait_done(page, "gate.faucet")
    visit(page, "/map")
    page.locator(".desert [data-region='gate'].open").wait_for()
    page.locator("[data-region-card='gate'] [data-quest='gate.faucet'].rewarded, "
                 "[data-region-card='gate'] [data-quest='gate.faucet'].completed").wait_for()
    shoot(page, "map")
    visit(page, "/quests/gate.faucet")
    page.get_by_text("Evidence on chain").wait_for()
    page.locator("[data-status='rewarded'], [data-status='completed']").wait_for()
    shoot(page, "quest-detail")
    page.locator("a.tx").first.click()
    page.wait_for_url(re.compile(r"/tx/0x[0-9a-f]{64}"))
    page.get_by_text("SaharaToken.FaucetClaimed").wait_for()
    visit(page, "/quests")
    page.locator("[data-log] [data-quest='gate.faucet']").wait_for()
    visit(page, "/leaderboard")
    page.get_by_text(re.compile(r"You are #\d+")).wait_for()
    visit(page, "/profile")
    page.wait_for_function("() => document.querySelector('[data-ref-link]').value.includes('/?ref=')")
    visit(page, "/tokens/101")
    page.get_by_role("heading", name="Guardian of The Gate").wait_for()
    assert address
    phone = browser.new_context(viewport={"width": 390, "height": 844}, base_url=game.url,
                                is_mobile=True, has_touch=True)
    try:
        small = phone.new_page()
        visit(small, "/map")
        small.locator(".desert").wait_for()
        width = small.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"the map page scrolls sideways at 390 px ({width} px wide)"
        shoot(small, "map-phone")
        visit(small, "/regions/oasis")
        small.locator("[data-label-items] [data-item]").first.wait_for()
        assert small.evaluate("() => document.documentElement.scrollWidth") <= 390
    finally:
        phone.close()


UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter((c) => c.type !== 'hidden' && !(c.labels && c.labels.length) && !c.getAttribute('aria-label')
          && !(c.tagName === 'BUTTON' && c.textContent.trim()))
  .map((c) => c.outerHTML.slice(0, 80))"""


def test_every_control_has_a_label_and_the_keyboard_reaches_the_well(page, game):
    sign_in_with_burner(page)
    for path in ("/", "/regions/gate", "/regions/oasis", "/regions/forge", "/regions/bazaar",
                 "/regions/citadel", "/inventory", "/leaderboard", "/profile", "/quests"):
        visit(page, path)
        page.wait_for_timeout(300)
        assert page.evaluate(UNLABELLED) == [], path
    visit(page, "/regions/gate")
    page.locator("[data-quest='gate.faucet']").wait_for()
    for _ in range(40):  # Tab through the page until the well's button has the focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('[data-faucet-claim]')"):
            break
    else:
        raise AssertionError("the well's button cannot be reached with the keyboard")
    page.keyboard.press("Enter")
    page.get_by_text("You drank").wait_for()


def test_pages_send_a_strict_csp_and_the_anonymous_gate_is_open(game):
    for path in ("/", "/map", "/quests", "/regions/gate", "/inventory", "/leaderboard", "/profile",
                 "/tokens/1", "/quests/gate.faucet"):
        response = requests.get(game.url + path, timeout=10)
        assert response.status_code == 200, path
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        assert "<script>" not in response.text and " onclick=" not in response.text, path
    landing = requests.get(game.url + "/map", timeout=10).text
    assert re.search(r'data-region="gate"[^>]*aria-label="The Gate: open"', landing.replace("\n", " ")) or \
        'class="place open"' in landing
    assert requests.get(game.url + "/favicon.ico", timeout=10).status_code == 200
    assert requests.get(game.url + "/static/vendor/ethers.min.js", timeout=10).status_code == 200
    chain = requests.get(game.url + "/api/chain", timeout=10).json()
    assert len(chain["contracts"]) == 9 and chain["rpc_url"] == game.rpc_url
