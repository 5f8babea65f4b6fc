"""A fresh wallet that plays before it ever signs in — claims from the faucet contract and
stakes, with its own signed transactions on the devnet — finds "Water at the Gate" completed
the first time it opens the quest log, and its stake kept for the Citadel. Public API only
for the player; the indexer loop is stepped by the test."""

from __future__ import annotations

from datetime import UTC, datetime

from eth_account import Account
from eth_account.messages import encode_defunct
from sqlalchemy import select

from chain import artifacts
from chain.bindings import Suite
from chain.rpc import JsonRpcChain
from chain.txmanager import TxManager
from legends.auth.siwe import SiweMessage
from quests.orm import Player
from quests.store import QuestEvidence, QuestInbox, WaysideLog

TOKEN = 10**18


def sign_in(client, account) -> dict:
    info = client.get("/api/auth/nonce").get_json()
    text = SiweMessage(
        domain=info["domain"], address=account.address, statement=info["statement"],
        uri=info["uri"], version="1", chain_id=info["chain_id"], nonce=info["nonce"],
        issued_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")).to_text()
    signature = account.sign_message(encode_defunct(text=text)).signature.hex()
    response = client.post("/api/auth/verify",
                           json={"message": text, "signature": "0x" + signature.removeprefix("0x")})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_wallet_that_claims_and_stakes_before_signing_in_finds_the_gate_quest_done(
        vapp, devnet, deployed, suite, chain_tx, sessions, make_loop, settle):
    loop = make_loop()  # the indexer runs all along; the wallet is nobody to it yet
    settle(loop)
    account = Account.create()
    chain_tx.chain.request("anvil_setBalance", [account.address, hex(10 * TOKEN)])  # gas money
    own = TxManager(JsonRpcChain(devnet.config.url), artifacts.error_decoder())
    own.add_signer(account)
    wallet = Suite.bind(dict(deployed[0].addresses), own)
    claim = wallet.token.transact(account.address, "claim")
    wallet.token.transact(account.address, "approve", wallet.staking.address, 100 * TOKEN)
    stake = wallet.staking.transact(account.address, "stake", 100 * TOKEN)
    settle(loop)
    with sessions() as session:
        waiting = session.scalars(select(WaysideLog.event).where(
            WaysideLog.address == account.address.lower())).all()
    assert sorted(waiting) == ["FaucetClaimed", "Staked"]

    client = vapp.test_client()
    assert sign_in(client, account)["created"] is True
    quests = {q["id"]: q for q in client.get("/api/quests").get_json()["quests"]}
    assert quests["gate.faucet"]["status"] in ("completed", "rewarded")
    assert quests["citadel.stake"]["status"] == "locked"  # the Citadel opens far later

    with sessions() as session:
        player = session.scalar(select(Player).where(Player.address == account.address))
        evidence = session.scalar(select(QuestEvidence).where(
            QuestEvidence.player_id == player.id, QuestEvidence.quest_id == "gate.faucet"))
        kept = session.scalars(select(QuestInbox.event).where(QuestInbox.player_id == player.id)).all()
        assert session.scalar(select(WaysideLog.id).where(
            WaysideLog.address == account.address.lower())) is None
    assert (evidence.tx_hash, evidence.block_number) == (claim.tx_hash, claim.block_number)
    assert evidence.rule_version == 1
    assert sorted(kept) == ["FaucetClaimed", "Staked"]  # the stake waits in the player's inbox
    assert stake.status == 1
