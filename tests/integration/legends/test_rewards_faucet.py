"""The SAHARA faucet: one claim per cooldown and a daily cap per address, enforced on chain
and checked by the API first; a refusal says when the next claim is possible."""

from __future__ import annotations

import threading

import pytest
from rewards_api_support import chain_app, sign_in

from quests.faucet import GAS_DRIP_WEI

pytestmark = pytest.mark.devnet
TOKEN = 10**18


@pytest.fixture
def app(make_app, devnet, deployed, suite):
    return chain_app(make_app, devnet, deployed)


def block_time(chain_tx) -> int:
    return chain_tx.chain.block("latest").timestamp


def assert_refused(response, *, mentions: str) -> dict:
    assert response.status_code == 429, response.get_json()
    body = response.get_json()
    assert body["field"] == "address" and mentions in body["error"]
    assert body["retry_after"] >= 1 and response.headers["Retry-After"] == str(body["retry_after"])
    return body


def test_a_claim_pays_the_player_and_tops_up_their_gas(app, client, suite, chain_tx):
    player = sign_in(client).address  # a brand-new key: no ETH, no SAHARA
    response = client.post("/api/faucet")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["amount"] == str(100 * TOKEN) and body["gas_sent"] == str(GAS_DRIP_WEI)
    assert suite.token.balance_of(player) == 100 * TOKEN
    assert chain_tx.chain.balance(player) == GAS_DRIP_WEI
    assert body["next_claim_at"] == block_time(chain_tx) + 3600


def test_a_second_claim_within_the_cooldown_says_when_to_come_back(app, client, suite, chain_tx):
    player = sign_in(client).address
    first = client.post("/api/faucet").get_json()
    blocks = chain_tx.chain.block_number()
    body = assert_refused(client.post("/api/faucet"), mentions="claimed recently")
    assert body["next_claim_at"] == first["next_claim_at"]
    assert 3500 < body["retry_after"] <= 3600
    assert chain_tx.chain.block_number() == blocks  # refused without a transaction
    assert suite.token.balance_of(player) == 100 * TOKEN
    status = client.get("/api/faucet").get_json()
    assert status["can_claim"] is False and status["next_claim_at"] == first["next_claim_at"]


def test_parallel_claims_pay_once(app, client, suite):
    player = sign_in(client).address
    cookie = client.get_cookie("session")
    start = threading.Barrier(6)
    statuses: list[int] = []

    def claim() -> None:
        mine = app.test_client()
        mine.set_cookie("session", cookie.value)
        start.wait()
        statuses.append(mine.post("/api/faucet").status_code)

    threads = [threading.Thread(target=claim) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [201] + [429] * 5
    assert suite.token.balance_of(player) == 100 * TOKEN


def test_two_web_processes_claiming_at_once_still_pay_once(make_app, devnet, deployed, suite,
                                                           tmp_path):
    # Two apps = two processes: no shared lock, only the chain's rule between them.
    apps = [chain_app(make_app, devnet, deployed, INSTANCE_PATH=str(tmp_path / f"web{i}"))
            for i in range(2)]
    clients = [a.test_client() for a in apps]
    account = sign_in(clients[0])
    sign_in(clients[1], account)
    start = threading.Barrier(2)
    statuses: list[int] = []

    def claim(client) -> None:
        start.wait()
        statuses.append(client.post("/api/faucet").status_code)

    threads = [threading.Thread(target=claim, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [201, 429]
    assert suite.token.balance_of(account.address) == 100 * TOKEN


def test_the_contracts_cooldown_revert_becomes_the_same_answer(app, client, suite, monkeypatch):
    from chain.bindings import SaharaToken

    sign_in(client)
    first = client.post("/api/faucet").get_json()
    # As if another process claimed a moment ago: the API's own check sees nothing.
    monkeypatch.setattr(SaharaToken, "next_claim_at", lambda self, account: 0)
    body = assert_refused(client.post("/api/faucet"), mentions="claimed recently")
    assert body["next_claim_at"] == first["next_claim_at"]


def test_the_daily_cap_stops_claims_until_midnight_utc(app, client, suite, signers, chain_tx):
    suite.token.transact(signers.deployer.address, "setFaucet", 100 * TOKEN, 0, 200 * TOKEN)
    player = sign_in(client).address
    assert client.post("/api/faucet").status_code == 201
    assert client.post("/api/faucet").status_code == 201  # no cooldown now; 200 of 200 claimed
    body = assert_refused(client.post("/api/faucet"), mentions="cap")
    now = block_time(chain_tx)
    assert body["next_claim_at"] == (now // 86400 + 1) * 86400
    assert suite.token.balance_of(player) == 200 * TOKEN


def test_the_faucet_pays_only_the_signed_in_player(app, client):
    assert client.post("/api/faucet").status_code == 401
    sign_in(client)
    other = client.post("/api/faucet", json={"address": "0x" + "11" * 20})
    assert other.status_code == 403 and other.get_json()["field"] == "address"
    assert client.post("/api/faucet", json={"address": 5}).get_json()["field"] == "address"
    assert client.post("/api/faucet", json=[1]).get_json()["field"] == "body"
    broken = client.post("/api/faucet", data="{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.get_json()["field"] == "body"


def test_players_with_enough_gas_get_none(app, client, chain_tx, players):
    from rewards_api_support import dev_player

    account = sign_in(client, dev_player(1))
    chain_tx.chain.request("anvil_setBalance", [account.address, hex(TOKEN)])
    body = client.post("/api/faucet").get_json()
    assert body["gas_sent"] == "0" and chain_tx.chain.balance(account.address) == TOKEN
