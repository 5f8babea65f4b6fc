"""The next ``legends deploy`` (or ``legends up``) over a devnet saved before the instance
keys existed: every contract, token and manifest row is kept, the roles move to the instance's
keys, the NPCs are played by the instance's keys, and the world keeps running."""

from __future__ import annotations

import secrets

import pytest

from chain.accounts import dev_signers
from chain.deploy import deploy_suite as deploy_contracts
from chain.keyring import public_addresses
from chain.roles import intended_roles
from chain.store import SqlManifestStore

pytestmark = pytest.mark.devnet


def test_deploy_moves_an_old_devnets_roles_to_the_instance_keys(make_app, devnet, chain_tx, suite,
                                                                 players):
    from legends.wiring.chainlink import get_chain
    from legends.wiring.deploy import deploy_suite
    from legends.workers.caretaker import build_caretaker

    app = make_app(CHAIN_RPC_URL=devnet.config.url)
    store = SqlManifestStore(app.extensions["legends.db"].sessions)
    legacy = dev_signers()
    old, _ = deploy_contracts(chain_tx, legacy, store, say=lambda _m: None)  # as it used to be
    from chain.bindings import Suite

    old_suite = Suite.bind(old.addresses, chain_tx)
    old_suite.shards.transact(legacy.minter.address, "mintBatch", [players[0]], [1], [4],
                              secrets.token_bytes(32))
    lines: list[str] = []
    with app.app_context():
        manifest = deploy_suite(lines.append)
        link = get_chain()
        signers, keyring = link.signers, link.keyring()
    assert manifest.addresses == old.addresses, "\n".join(lines)
    assert any("handed over" in line for line in lines)
    assert old_suite.shards.balance_of(players[0], 1) == 4
    by_name = {c.contract_name: c for c in old_suite.all()}
    for name, roles in intended_roles(old_suite, signers).items():
        for role in roles:
            role_id = b"\x00" * 32 if role == "DEFAULT_ADMIN_ROLE" else by_name[name].call(role)
            assert not any(by_name[name].call("hasRole", role_id, a) for a in public_addresses())
    census = app.test_client().get("/api/world/npcs").get_json()
    assert census["merchant"] == keyring.merchant.address
    assert census["reviewer"] == signers.deployer.address and census["caravan"] is not None
    build_caretaker(app).tick()  # the caretaker acts with the new keys
