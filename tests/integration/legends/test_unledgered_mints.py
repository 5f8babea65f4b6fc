"""Shards minted on chain outside the reward ledger are found (incrementally), logged and
reported by ``/healthz``; rewards the ledger paid and Guardians crafted are not."""

from __future__ import annotations

import logging
import secrets

import pytest
from eth_account import Account
from rewards_api_support import chain_app, grant, pay

from legends.wiring.mint_watch import build_mint_watch

pytestmark = pytest.mark.devnet


@pytest.fixture
def app(make_app, devnet, deployed, suite):
    return chain_app(make_app, devnet, deployed)


@pytest.fixture
def outsider(chain_tx):
    """A key the instance admin gives MINTER_ROLE by hand: a minter used outside the ledger."""
    account = Account.create()
    chain_tx.add_signer(account)
    chain_tx.chain.request("anvil_setBalance", [account.address, hex(10**19)])
    return account.address


def test_ledger_rewards_and_crafts_are_not_reported(app, suite, players, chain_tx):
    player = players[0]
    grant(app, player, "gate-first-steps", {"shards": {"gate": 5}})
    grant(app, player, "oasis-first-label", {"shards": {"oasis": 2}})
    pay(app)
    suite.shards.transact(player, "craft", 101)  # burns 5 Gate shards, mints Guardian 101
    assert suite.shards.balance_of(player, 101) == 1
    watch = build_mint_watch(app)
    assert watch.check() == []
    body = app.test_client().get("/healthz").get_json()
    assert body["ledger"] == {"ok": True, "unledgered_mints": 0, "sample": []}, body


def test_a_mint_by_hand_is_reported_once_in_the_log_and_on_healthz(app, suite, signers, players,
                                                                    outsider, caplog):
    player = players[0]
    grant(app, player, "gate-first-steps", {"shards": {"gate": 3}})
    pay(app)
    watch = build_mint_watch(app)
    assert watch.check() == []

    admin, role = signers.deployer.address, suite.shards.call("MINTER_ROLE")
    suite.shards.transact(admin, "grantRole", role, outsider)
    receipt = suite.shards.transact(outsider, "mintBatch", [player], [1], [15], secrets.token_bytes(32))
    # The ledger's own minter key used by hand is no better.
    suite.shards.transact(signers.minter.address, "mintBatch", [player, player], [2, 3], [1, 2],
                          secrets.token_bytes(32))
    with caplog.at_level(logging.WARNING, logger="legends.wiring.mint_watch"):
        found = watch.check()
    assert sorted((m.token_id, m.amount) for m in found) == [(1, 15), (2, 1), (3, 2)]
    assert {m.operator for m in found} == {outsider, signers.minter.address}
    warning = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warning) == 1 and "3 shard mint(s)" in warning[0]
    assert receipt.tx_hash in warning[0] and "ledger did not make" in warning[0]

    response = app.test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 503 and body["status"] == "degraded"
    assert body["ledger"]["ok"] is False and body["ledger"]["unledgered_mints"] == 3
    sample = {(s["token_id"], s["amount"]): s for s in body["ledger"]["sample"]}
    assert sample[(1, "15")]["tx_hash"] == receipt.tx_hash
    assert sample[(1, "15")]["player"].lower() == player.lower()

    # Incremental: nothing new is nothing found, and nothing is counted twice — not even by
    # a fresh watch (another process) that starts from the stored cursor.
    assert watch.check() == [] and build_mint_watch(app).check() == []
    assert app.test_client().get("/healthz").get_json()["ledger"]["unledgered_mints"] == 3


def test_a_reorg_that_drops_the_mint_drops_the_report(app, suite, signers, players, chain_tx):
    watch = build_mint_watch(app)
    watch.check()
    snap = chain_tx.chain.snapshot()
    suite.shards.transact(signers.minter.address, "mintBatch", [players[0]], [4], [7],
                          secrets.token_bytes(32))
    assert len(watch.check()) == 1
    chain_tx.chain.revert(snap)  # the block with the mint is gone...
    chain_tx.forget_nonces()
    suite.shards.transact(signers.deployer.address, "setRecipe", 101, 1, 5)  # ...a new one instead
    assert watch.check() == []
    assert app.test_client().get("/healthz").get_json()["ledger"]["unledgered_mints"] == 0
