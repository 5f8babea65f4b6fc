"""The devnet keeps its state across restarts; deploying is idempotent."""

from __future__ import annotations

import dataclasses

import pytest

from chain import artifacts
from chain.accounts import dev_signers
from chain.bindings import Suite
from chain.deploy import SuiteParams, deploy_suite
from chain.devnet import Devnet, DevnetConfig
from chain.rpc import JsonRpcChain
from chain.store import MemoryManifestStore
from chain.txmanager import TxManager

TOKEN = 10**18

pytestmark = pytest.mark.devnet  # one test starts a devnet of its own


def fresh_devnet(tmp_path, port):
    return Devnet(DevnetConfig(instance_path=tmp_path, port=port))


def tx_for(node):
    return TxManager(JsonRpcChain(node.config.url), artifacts.error_decoder())


def test_restarting_the_devnet_keeps_contracts_balances_and_tokens(tmp_path):
    from netutil import free_port

    node = fresh_devnet(tmp_path, free_port())
    node.start()
    try:
        tx = tx_for(node)
        signers = dev_signers()
        store = MemoryManifestStore()
        manifest, _ = deploy_suite(tx, signers, store, say=lambda _m: None)
        suite = Suite.bind(manifest.addresses, tx)
        player = signers.faucet.address
        admin = signers.deployer.address
        suite.token.transact(admin, "mint", player, 42 * TOKEN)
        suite.shards.transact(admin, "mintBatch", [player, player], [1, 2], [3, 4], b"\x01" * 32)
        block = tx.chain.block_number()
    finally:
        assert node.stop()
    assert (tmp_path / "devnet" / "state.json").stat().st_size > 0

    node.start()
    try:
        tx = tx_for(node)
        suite = Suite.bind(manifest.addresses, tx)
        assert tx.chain.block_number() >= block
        assert suite.token.balance_of(player) == 42 * TOKEN
        assert suite.shards.balances(player, [1, 2]) == {1: 3, 2: 4}
        assert suite.shards.batch_minted(b"\x01" * 32)
        # Deploying again over the restarted chain sends nothing.
        again, deployed = deploy_suite(tx, dev_signers(), store, say=lambda _m: None)
        assert deployed == [] and again.addresses == manifest.addresses
    finally:
        node.stop()


def test_deploy_twice_does_nothing(chain_tx, signers, suite):
    store = MemoryManifestStore()
    first, deployed = deploy_suite(chain_tx, signers, store, say=lambda _m: None)
    assert sorted(deployed) == sorted(artifacts.SUITE)
    block = chain_tx.chain.block_number()
    lines: list[str] = []
    second, deployed = deploy_suite(chain_tx, signers, store, say=lines.append)
    assert deployed == []
    assert chain_tx.chain.block_number() == block, "a no-op deploy must not send transactions"
    assert second.addresses == first.addresses
    assert sum(" unchanged at " in line for line in lines) == len(artifacts.SUITE)


def test_a_changed_contract_redeploys_only_itself_and_its_dependents(chain_tx, signers, suite):
    store = MemoryManifestStore()
    first, _ = deploy_suite(chain_tx, signers, store, say=lambda _m: None)
    # Governance's constructor arguments changed (longer voting period): only it moves.
    params = dataclasses.replace(SuiteParams(), voting_period=1200)
    lines: list[str] = []
    second, deployed = deploy_suite(chain_tx, signers, store, params, say=lines.append)
    assert deployed == ["Governance"]
    assert any("Governance" in line and "changed" in line for line in lines)
    assert second.addresses["Governance"] != first.addresses["Governance"]
    assert {n: a for n, a in second.addresses.items() if n != "Governance"} == {
        n: a for n, a in first.addresses.items() if n != "Governance"}

    # A changed token moves everything that points at it.
    params = dataclasses.replace(params, faucet_amount=50 * TOKEN)
    _, deployed = deploy_suite(chain_tx, signers, store, params, say=lambda _m: None)
    assert deployed[0] == "SaharaToken"
    assert {"DataServices", "AgentRegistry", "AIMarketplace", "Staking"} <= set(deployed)
    assert "SaharaID" not in deployed and "LegendShards" not in deployed


def test_deploy_wires_roles_and_recipes(suite, signers):
    assert suite.shards.has_role("FORGE_ROLE", suite.relic.address)
    assert suite.shards.has_role("MINTER_ROLE", signers.minter.address)
    assert suite.token.has_role("MINTER_ROLE", signers.minter.address)
    assert suite.token.has_role("FAUCET_ROLE", signers.faucet.address)
    assert suite.agents.has_role("ATTESTER_ROLE", signers.attester.address)
    for region in range(1, 6):
        assert tuple(suite.shards.call("recipes", 100 + region)) == (region, 5)
