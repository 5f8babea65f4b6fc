"""The world is playable by itself: after a deploy the caravan, the merchant and the council are
there; the caretaker reviews labels and keeps a proposal open; the Forge attests invocations
the player's own wallet records. No admin key is used by the tests below."""

from __future__ import annotations

import threading
import time

import pytest
from click.testing import CliRunner
from eth_utils import keccak
from netutil import free_port
from quest_game import sign_in_cookie

from chain import enums
from chain.errors import ContractRevert
from chain.store import SqlManifestStore
from legends.cli import cli
from legends.wiring import npcs
from legends.wiring.deploy import deploy_suite
from legends.workers import start_background
from legends.workers.caretaker import build_caretaker
from quests.npcs import oracle
from quests.npcs.bazaar import STAR_MAP_URI
from quests.npcs.cast import Stock

TOKEN = 10**18


@pytest.fixture
def world(vapp, suite):
    """Seed the NPCs as a deploy does; returns what ``GET /api/world/npcs`` reports."""
    with vapp.app_context():
        link = vapp.extensions["legends.chain"]
        npcs.seed(link, link.manifest(SqlManifestStore(vapp.extensions["legends.db"].sessions)),
                  say=lambda _line: None)
    response = vapp.test_client().get("/api/world/npcs")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def caretaker(vapp, world):
    return build_caretaker(vapp)


@pytest.fixture
def web(vapp):
    """A test client signed in as ``address`` (the Player row comes from ``sign_in``)."""
    def client_for(address: str):
        return sign_in_cookie(vapp, vapp.test_client(), address)

    return client_for


def claim_and_approve(suite, player: str, spender: str, amount: int) -> None:
    suite.token.transact(player, "claim")  # 100 SAHARA from the faucet
    suite.token.transact(player, "approve", spender, amount)


def pass_time(chain_tx, seconds: int) -> None:
    chain_tx.chain.request("evm_increaseTime", [seconds])
    chain_tx.chain.request("evm_mine")


# -- seeding ----------------------------------------------------------------------------------
def test_a_deploy_seeds_the_npcs_once_and_a_second_deploy_sends_nothing(vapp, suite, chain_tx, signers):
    first: list[str] = []
    with vapp.app_context():
        deploy_suite(first.append)
    assert any("Oasis caravan arrived" in line for line in first), first
    head = chain_tx.chain.block_number()
    again: list[str] = []
    with vapp.app_context():
        deploy_suite(again.append)
    assert chain_tx.chain.block_number() == head, "the second deploy sent transactions"
    assert "world: every NPC already in place" in again
    report = vapp.test_client().get("/api/world/npcs").get_json()
    merchant = report["merchant"]
    assert merchant not in (signers.deployer.address, signers.validator_pool)
    assert report["reviewer"] == signers.deployer.address
    assert report["caravan"]["task_id"] >= 1 and int(report["caravan"]["remaining_budget"]) >= 1_000 * TOKEN
    assert {item["kind"] for item in report["listings"]} == {"model", "agent"}
    assert all(item["seller"] == merchant and int(item["price"]) >= TOKEN for item in report["listings"])
    assert report["oracle"]["developer"] == merchant
    assert suite.governance.call("state", report["proposal"]["proposal_id"]) == enums.Governance.State.ACTIVE


# -- the Oasis ----------------------------------------------------------------------------------
def test_the_caretaker_accepts_a_players_labels_and_the_quest_completes(
        world, caretaker, funded, suite, sign_in, unlock, accept, make_loop, settle, verified):
    player, task = funded[0], world["caravan"]["task_id"]
    sign_in(player)
    unlock(player, "oasis")
    loop = make_loop()
    accept(player, "oasis.first-labels")
    for i in range(3):
        suite.data.transact(player, "submitLabel", task, keccak(text=f"dune-{i}"))
    settle(loop)
    assert verified(player) == {"oasis.first-labels"}
    accept(player, "oasis.label-accepted")
    before = suite.token.balance_of(player)
    steps = caretaker.tick()
    assert sum("accepted" in step for step in steps) == 3, steps
    assert suite.token.balance_of(player) == before + 3 * int(world["caravan"]["reward_per_label"])
    settle(loop)
    assert verified(player) == {"oasis.first-labels", "oasis.label-accepted"}
    assert caretaker.tick() == [], "a second tick finds nothing left to review"


def test_junk_labels_are_rejected_empty_or_copied(vapp, world, caretaker, funded, suite):
    player, task = funded[0], world["caravan"]["task_id"]
    copied = keccak(text="the same dune again")
    suite.data.transact(player, "submitLabel", task, b"\x00" * 32)
    suite.data.transact(player, "submitLabel", task, copied)
    first = caretaker.tick()
    assert any("rejected: an empty label" in step for step in first), first
    # A new caravan arrives (its purse counts as low here); the copy brought to it is junk.
    caretaker.stock = Stock(caravan_low_water=10**30)
    arrived = caretaker.tick()
    assert any("Oasis caravan arrived" in step for step in arrived), arrived
    newest = vapp.test_client().get("/api/world/npcs").get_json()["caravan"]["task_id"]
    assert newest != task
    suite.data.transact(player, "submitLabel", newest, copied)
    caretaker.stock = Stock()
    steps = caretaker.tick()
    assert any("rejected: a copy" in step for step in steps), steps
    statuses = [suite.data.call("labels", label)[2] for label in (1, 2, 3)]
    assert statuses == [2, 1, 2]  # rejected, accepted, rejected


# -- the Forge ----------------------------------------------------------------------------------
def test_a_licensee_invokes_the_oracle_and_records_it_with_their_own_wallet(
        world, web, funded, suite, chain_tx, signers, sign_in, finished, unlock, accept, make_loop,
        settle, verified):
    player, agent = funded[0], world["oracle"]["agent_id"]
    sign_in(player)
    unlock(player, "forge")
    finished(player, "forge.register-agent")
    loop = make_loop()
    accept(player, "forge.invoke")
    accept(player, "forge.license")
    claim_and_approve(suite, player, suite.agents.address, int(world["oracle"]["license_fee"]))
    suite.agents.transact(player, "licenseAgent", agent)
    question = "Where is the water, oracle?"
    response = web(player).post(f"/api/agents/{agent}/invoke", json={"input": question})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["output"] == oracle.ask(question)
    assert body["input_hash"] == "0x" + keccak(text=question).hex()
    assert body["tx"]["to"] == suite.agents.address
    receipt = chain_tx.transact(player, body["tx"]["to"], bytes.fromhex(body["tx"]["data"][2:]))
    (_name, invoked), = suite.agents.events(receipt, "AgentInvoked")
    assert invoked["caller"] == player and invoked["attester"] == signers.attester.address
    settle(loop)
    assert {"forge.invoke", "forge.license"} <= verified(player)


def test_an_unlicensed_player_is_refused_and_an_unknown_agent_is_not_found(world, web, funded, sign_in):
    player, agent = funded[1], world["oracle"]["agent_id"]
    sign_in(player)
    client = web(player)
    refused = client.post(f"/api/agents/{agent}/invoke", json={"input": "Tell me"})
    assert refused.status_code == 403 and refused.get_json()["field"] == "agent_id"
    missing = client.post("/api/agents/999/invoke", json={"input": "Tell me"})
    assert missing.status_code == 404 and missing.get_json()["field"] == "agent_id"
    blank = client.post(f"/api/agents/{agent}/invoke", json={"input": "   "})
    assert blank.status_code == 400 and blank.get_json()["field"] == "input"
    anonymous = web("").post(f"/api/agents/{agent}/invoke", json={"input": "Tell me"})
    assert anonymous.status_code == 401


def test_invocations_are_rate_limited_per_player(world, web, funded, suite, sign_in):
    player, other, agent = funded[0], funded[1], world["oracle"]["agent_id"]
    for address in (player, other):
        sign_in(address)
    suite.agents.transact(player, "registerAgent", "ipfs://my-djinn", 0, keccak(text="m"), [])
    mine = suite.agents.call("agentCount")
    client = web(player)
    answers = [client.post(f"/api/agents/{mine}/invoke", json={"input": f"question {i}"}).status_code
               for i in range(11)]
    assert answers == [200] * 10 + [429]
    limited = client.post(f"/api/agents/{mine}/invoke", json={"input": "one more"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    # The limit is per player: another traveller is still heard (and refused on the merits).
    assert web(other).post(f"/api/agents/{agent}/invoke", json={"input": "hi"}).status_code == 403


# -- the Bazaar ----------------------------------------------------------------------------------
def test_buying_the_merchants_listing_completes_the_first_purchase(
        world, funded, suite, sign_in, unlock, accept, make_loop, settle, verified):
    buyer = funded[0]
    sign_in(buyer)
    unlock(buyer, "bazaar")
    loop = make_loop()
    accept(buyer, "bazaar.first-purchase")
    stall = next(item for item in world["listings"] if item["uri"] == STAR_MAP_URI)
    claim_and_approve(suite, buyer, suite.market.address, int(stall["price"]))
    suite.market.transact(buyer, "buy", stall["listing_id"])
    settle(loop)
    assert verified(buyer) == {"bazaar.first-purchase"}


# -- the Citadel ---------------------------------------------------------------------------------
def test_a_new_staker_gets_a_fresh_motion_within_a_tick_and_their_vote_completes_the_quest(
        vapp, world, caretaker, funded, suite, chain_tx, sign_in, unlock, make_loop, settle, verified):
    player, first = funded[0], world["proposal"]["proposal_id"]
    sign_in(player)
    unlock(player, "citadel")
    loop = make_loop()
    claim_and_approve(suite, player, suite.staking.address, 100 * TOKEN)
    suite.staking.transact(player, "stake", 100 * TOKEN)  # after the first motion's snapshot
    settle(loop)
    with pytest.raises(ContractRevert) as refused:
        suite.governance.transact(player, "castVote", first, 1)
    assert refused.value.error == "NoVotingPower"
    steps = caretaker.tick()
    assert any("council debates" in step for step in steps), steps
    second = vapp.test_client().get("/api/world/npcs").get_json()["proposal"]["proposal_id"]
    assert second == first + 1
    assert caretaker.tick() == [], "the new motion's snapshot covers the stake: nothing more to do"
    suite.governance.transact(player, "castVote", second, 1)
    settle(loop)
    assert {"citadel.stake", "citadel.vote"} <= verified(player)
    # The motion passed on the player's vote: queued after the vote, executed after the timelock.
    pass_time(chain_tx, 601)
    assert any(f"proposal {second} passed" in step for step in caretaker.tick())
    pass_time(chain_tx, 301)
    assert any(f"proposal {second} was executed" in step for step in caretaker.tick())
    assert suite.governance.call("state", second) == 4


def test_patrons_label_a_players_task_license_their_agent_and_buy_their_listing(
        world, caretaker, funded, suite, signers):
    player = funded[0]
    claim_and_approve(suite, player, suite.data.address, 50 * TOKEN)
    receipt = suite.data.transact(player, "postTask", "ipfs://my-dunes", 5 * TOKEN, 20 * TOKEN)
    task = suite.data.events(receipt, "TaskPosted")[0][1]["taskId"]
    receipt = suite.agents.transact(player, "registerAgent", "ipfs://my-djinn", 2 * TOKEN,
                                    keccak(text="m"), [])
    agent = suite.agents.events(receipt, "AgentRegistered")[0][1]["agentId"]
    receipt = suite.market.transact(player, "list", 2, agent, 2 * TOKEN, "ipfs://my-stall")
    listing = suite.market.events(receipt, "Listed")[0][1]["listingId"]
    steps = caretaker.tick()
    assert sum("licensed agent" in step for step in steps) == 2, steps
    assert sum(f"bought listing {listing}" in step for step in steps) == 3, steps
    label = int(suite.data.call("labelCount"))
    assert suite.data.call("labels", label)[0] == task  # a patron labelled the player's task
    suite.data.transact(player, "reviewLabel", label, True)  # the poster reviews it
    made = suite.data.transact(player, "createDataset", task, "ipfs://bottled")
    assert suite.data.events(made, "DatasetCreated")[0][1]["owner"] == player
    assert suite.market.pending_revenue(player) > 0
    assert caretaker.tick() == [], "each is done once"


# -- running it ----------------------------------------------------------------------------------
def test_legends_caretaker_once_reviews_from_the_command_line(vapp, world, funded, suite, devnet, tmp_path):
    player = funded[0]
    suite.data.transact(player, "submitLabel", world["caravan"]["task_id"], keccak(text="palm"))
    result = CliRunner().invoke(cli, ["--rpc-url", devnet.config.url, "caretaker", "--once"], env={
        "INSTANCE_PATH": str(tmp_path / "instance"), "LEGENDS_ENV": "testing",
        "DATABASE_URL": vapp.config["DATABASE_URL"]})
    assert result.exit_code == 0, result.output
    assert "label 1 accepted" in result.output


def test_the_caretaker_thread_outlives_an_absent_chain_and_stops_with_the_rest(make_app, caplog):
    app = make_app(CHAIN_RPC_URL=f"http://127.0.0.1:{free_port()}", CARETAKER_TICK_SECONDS=0.05)
    stop = start_background(app)
    try:
        time.sleep(0.5)
        assert [t for t in threading.enumerate() if t.name == "legends-caretaker"]
    finally:
        stop()
    assert not [t for t in threading.enumerate() if t.name == "legends-caretaker"]
    assert "caretaker tick failed" in caplog.text
