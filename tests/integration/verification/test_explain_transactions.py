"""``POST /api/quests/<id>/explain {"tx": ...}``: a player hands in one of their transactions and
reads, in words, why it reverted (its decoded custom error, and what to do) or why it did or
did not count. Transactions that revert are really mined here (sent with a gas limit, as a
wallet that skips estimation would), so the game only knows their hash."""

from __future__ import annotations

import time

import pytest
from eth_utils import keccak
from quest_game import sign_in_cookie

from chain.store import SqlManifestStore
from legends.wiring import npcs
from legends.workers.caretaker import build_caretaker

TOKEN = 10**18
GAS = 300_000


@pytest.fixture
def world(vapp, suite):
    with vapp.app_context():
        link = vapp.extensions["legends.chain"]
        npcs.seed(link, link.manifest(SqlManifestStore(vapp.extensions["legends.db"].sessions)),
                  say=lambda _line: None)
    return vapp.test_client().get("/api/world/npcs").get_json()


@pytest.fixture
def web(vapp, sign_in):
    def client_for(address: str):
        sign_in(address)
        return sign_in_cookie(vapp, vapp.test_client(), address)

    return client_for


def mined(chain_tx, tx_hash: str):
    for _ in range(500):
        receipt = chain_tx.chain.receipt(tx_hash)
        if receipt is not None:
            return receipt
        time.sleep(0.01)
    raise AssertionError(f"{tx_hash} was not mined")


def reverted_tx(chain_tx, contract, sender: str, fn: str, *args) -> str:
    tx_hash = contract.send(sender, fn, *args, gas=GAS)
    assert mined(chain_tx, tx_hash).status == 0
    return tx_hash


def explain(client, quest_id: str, tx_hash: str) -> dict:
    response = client.post(f"/api/quests/{quest_id}/explain", json={"tx": tx_hash})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_vote_without_power_at_the_snapshot_is_explained_with_the_motion_to_vote_on(
        vapp, world, funded, suite, chain_tx, web, unlock, make_loop, settle):
    player, first = funded[0], world["proposal"]["proposal_id"]
    client = web(player)
    unlock(player, "citadel")
    suite.token.transact(player, "claim")
    suite.token.transact(player, "approve", suite.staking.address, 100 * TOKEN)
    suite.staking.transact(player, "stake", 100 * TOKEN)
    settle(make_loop())
    vote = reverted_tx(chain_tx, suite.governance, player, "castVote", first, 1)
    body = explain(client, "citadel.vote", vote)
    assert body["outcome"] == "reverted" and body["error"]["name"] == "NoVotingPower"
    assert "your stake came after this proposal's snapshot" in body["explanation"]
    assert body["next"] == f"vote on motion #{first + 1}, which opens in 2 s"
    build_caretaker(vapp).tick()  # the patrons ask the council elder for a fresh motion
    again = explain(client, "citadel.vote", vote)
    assert again["next"] == f"vote on motion #{first + 1}, which is open now"
    suite.governance.transact(player, "castVote", first + 1, 1)


def test_a_second_identity_mint_is_explained_and_the_id_held_still_completes_the_quest(
        world, funded, suite, chain_tx, web):
    player = funded[1]
    client = web(player)
    suite.identity.transact(player, "mint", "ipfs://me")  # before the game ever saw it
    second = reverted_tx(chain_tx, suite.identity, player, "mint", "ipfs://me-again")
    body = explain(client, "gate.sahara-id", second)
    assert body["error"]["name"] == "AlreadyHasIdentity" and body["error"]["contract"] == "SaharaID"
    assert body["explanation"] == ("your call to the Sahara ID registry reverted: you already hold a "
                                   "Sahara ID: one per traveller, and it never leaves you")
    assert "counts the ID you hold" in body["next"]
    page = client.get("/api/quests/gate.sahara-id").get_json()  # opening it reads the chain
    assert page["status"] == "completed"


def test_a_transfer_to_yourself_is_mined_but_explained_as_anti_wash(world, funded, suite, chain_tx, web):
    player = funded[2]
    client = web(player)
    suite.token.transact(player, "claim")
    receipt = suite.token.transact(player, "transfer", player, 5 * TOKEN)
    body = explain(client, "gate.full-waterskin", receipt.tx_hash)
    assert body["outcome"] == "not_counted"
    assert "5 SAHARA to yourself" in body["explanation"] and "anti-wash" in body["explanation"]


def test_a_counted_claim_and_labels_made_before_the_oasis_opened_are_explained(
        world, funded, suite, chain_tx, web, make_loop, settle):
    player = funded[3]
    client = web(player)
    loop = make_loop()
    claim = suite.token.transact(player, "claim")
    early = suite.data.transact(player, "submitLabel", world["caravan"]["task_id"], keccak(text="early"))
    suite.identity.transact(player, "mint", "ipfs://me")
    settle(loop)
    assert explain(client, "gate.faucet", claim.tx_hash)["outcome"] == "counted"
    body = explain(client, "oasis.first-labels", early.tx_hash)
    assert body["outcome"] == "not_counted"
    assert "before “Reading the Dunes” opened to you" in body["explanation"]
    assert body["events"][0]["verdict"] == "too_early"
    why = client.get("/api/quests/oasis.first-labels/why").get_json()
    assert [e["verdict"] for e in why["evidence_seen"]] == ["before_opening"]
    assert any("no need to accept it first" in h for h in why["hints"])


def test_bad_explain_requests_name_the_field(world, funded, suite, web, vapp):
    player, other = funded[0], funded[1]
    client = web(player)
    theirs = suite.token.transact(other, "claim").tx_hash

    def refused(body, status, field, quest="gate.faucet"):
        response = client.post(f"/api/quests/{quest}/explain", json=body)
        assert response.status_code == status, response.get_json()
        assert response.get_json()["field"] == field
        return response.get_json()

    refused({}, 400, "tx")
    refused({"tx": 42}, 400, "tx")
    refused({"tx": "0x1234"}, 400, "tx")
    refused({"tx": "0x" + "ab" * 32}, 404, "tx")
    refused({"tx": theirs}, 403, "tx")
    refused({"tx": theirs}, 404, "quest_id", quest="gate.nowhere")
    anonymous = vapp.test_client().post("/api/quests/gate.faucet/explain", json={"tx": theirs})
    assert anonymous.status_code == 401


def test_a_listing_made_before_the_bazaar_opened_completes_the_first_listing_from_the_chain(
        world, funded, suite, web, unlock, make_loop, settle):
    """A first listing is a once-per-wallet quest for the player: it also completes from the
    chain (their Listed logs), whatever the order of play."""
    player = funded[0]
    client = web(player)
    suite.market.transact(player, "list", 1, 7, 2 * TOKEN, "ipfs://an-early-stall")
    settle(make_loop())
    assert client.get("/api/quests/bazaar.first-listing").get_json()["status"] == "locked"
    unlock(player, "bazaar")  # the Bazaar opens later (quests finished off chain)
    page = client.get("/api/quests/bazaar.first-listing").get_json()
    assert page["status"] == "completed", page
