"""A player's inventory and crafting, end to end: grants recorded in the ledger, minted by
the worker, crafted by the player's own wallet transactions, shown by the API."""

from __future__ import annotations

import pytest
from rewards_api_support import chain_app, dev_player, grant, pay, sign_in

pytestmark = pytest.mark.devnet

ALL_SHARDS = {"gate": 5, "oasis": 5, "forge": 5, "bazaar": 5, "citadel": 5}


@pytest.fixture
def app(make_app, devnet, deployed, suite):
    return chain_app(make_app, devnet, deployed)


def balances(body: dict, part: str) -> dict[int, int]:
    return {item["token_id"]: item["balance"] for item in body[part]}


def test_inventory_and_crafting_need_a_signed_in_player(client):
    for path in ("/api/inventory", "/api/crafting"):
        response = client.get(path)
        assert response.status_code == 401 and response.get_json()["field"] == "session"


def test_the_inventory_shows_minted_rewards_and_what_is_still_on_its_way(app, client):
    account = sign_in(client)
    grant(app, account.address, "gate-first-steps", {"shards": {"gate": 3}, "sahara": 25, "xp": 40})
    before = client.get("/api/inventory").get_json()
    assert before["xp"] == 40
    assert balances(before, "shards") == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}
    assert [(p["kind"], p["amount"], p["state"]) for p in before["pending"]] == [
        ("sahara", str(25 * 10**18), "pending"), ("shards", "3", "pending")]

    pay(app)
    after = client.get("/api/inventory").get_json()
    assert balances(after, "shards")[1] == 3
    assert after["sahara"] == {"wei": str(25 * 10**18), "amount": "25"}
    assert after["pending"] == []
    assert after["legend"]["held"] is False and balances(after, "guardians")[101] == 0


def test_crafting_says_what_is_missing(app, client):
    account = sign_in(client)
    grant(app, account.address, "gate-first-steps", {"shards": {"gate": 3}})
    pay(app)
    recipes = {r["key"]: r for r in client.get("/api/crafting").get_json()["recipes"]}
    gate = recipes["guardian-gate"]
    assert gate["can_craft"] is False and gate["transaction"] is None
    assert gate["reason"] == "needs 2 more Gate shards"
    assert gate["missing"] == [{"token_id": 1, "have": 3, "need": 5, "short": 2,
                                "text": "2 more Gate shards"}]
    assert recipes["legend"]["can_craft"] is False


def send_own(chain_tx, player: str, transaction: dict) -> None:
    """The player's wallet sends the transaction the API prepared (their key, their gas)."""
    assert transaction["from"] == player
    chain_tx.transact(player, transaction["to"], bytes.fromhex(transaction["data"][2:]))


def test_a_player_crafts_every_guardian_and_forges_the_legend(app, client, chain_tx, players,
                                                              suite):
    account = sign_in(client, dev_player(0))
    player = account.address
    assert player == players[0]
    chain_tx.chain.request("anvil_setBalance", [player, "0x0"])  # no gas of its own...
    claimed = client.post("/api/faucet")  # ... the devnet faucet gives a little
    assert claimed.status_code == 201 and int(claimed.get_json()["gas_sent"]) > 0
    grant(app, player, "citadel-all-regions", {"shards": ALL_SHARDS})
    pay(app)

    for region_number in range(1, 6):
        recipes = {r["makes"]: r for r in client.get("/api/crafting").get_json()["recipes"]}
        guardian = recipes[100 + region_number]
        assert guardian["can_craft"] and guardian["times"] == 1
        assert guardian["transaction"]["to"] == suite.shards.address
        send_own(chain_tx, player, guardian["transaction"])
        held = client.get("/api/inventory").get_json()
        assert balances(held, "guardians")[100 + region_number] == 1
        assert balances(held, "shards")[region_number] == 0

    legend = {r["key"]: r for r in client.get("/api/crafting").get_json()["recipes"]}["legend"]
    assert legend["can_craft"] and legend["transaction"]["to"] == suite.relic.address
    send_own(chain_tx, player, legend["transaction"])
    held = client.get("/api/inventory").get_json()
    assert held["legend"]["held"] is True
    assert balances(held, "guardians") == {101: 0, 102: 0, 103: 0, 104: 0, 105: 0}
    after = {r["key"]: r for r in client.get("/api/crafting").get_json()["recipes"]}["legend"]
    assert after["can_craft"] is False and after["reason"] == "already holds The Sahara Legend"
    # The craft was the player's own transaction: the events name the player.
    assert suite.relic.call("hasForged", player) is True


def test_an_unreachable_chain_is_a_503_naming_the_chain(make_app):
    app = make_app(CHAIN_RPC_URL="http://127.0.0.1:1")
    client = app.test_client()
    sign_in(client)
    response = client.get("/api/inventory")
    assert response.status_code == 503 and response.get_json()["field"] == "chain"


def test_the_embedded_worker_mints_what_the_ledger_owes(app, client):
    import time

    from legends.workers.rewards import start_reward_worker

    account = sign_in(client)
    grant(app, account.address, "oasis-first-label", {"shards": {"oasis": 2}})
    app.config["REWARD_IDLE_SECONDS"] = 0.05
    stop = start_reward_worker(app)
    try:
        deadline = time.monotonic() + 20
        while client.get("/api/inventory").get_json()["pending"] and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop()
    assert balances(client.get("/api/inventory").get_json(), "shards")[2] == 2
