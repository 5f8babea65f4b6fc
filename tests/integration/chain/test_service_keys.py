"""The devnet's service keys are the instance's own: the public dev mnemonic (which anyone
reading the RPC knows) cannot mint, grant, review or attest anything, and a devnet saved
before the instance keys existed hands its roles over on the next deploy."""

from __future__ import annotations

import os
import secrets
import stat
import threading

import pytest

from chain.accounts import dev_account, dev_signers
from chain.deploy import deploy_suite
from chain.errors import ConfigError, ContractRevert
from chain.keyring import (
    NPC_KEYS,
    SERVICE_KEYS,
    devnet_custody,
    instance_keyring,
    keys_folder,
    load_or_create,
    public_addresses,
)
from chain.roles import intended_roles
from chain.store import MemoryManifestStore

PUBLIC = range(10)  # the dev accounts anvil funds: what an outsider would try first


@pytest.fixture(scope="module")
def public_keys(chain_tx):
    accounts = [dev_account(i) for i in PUBLIC]
    for account in accounts:
        chain_tx.add_signer(account)
    return accounts


def reverts_unauthorized(contract, sender: str, fn: str, *args) -> None:
    with pytest.raises(ContractRevert) as caught:
        contract.transact(sender, fn, *args)
    assert caught.value.error == "AccessControlUnauthorizedAccount", caught.value


# -- the keys on disk ----------------------------------------------------------------------------
def test_keys_are_drawn_once_per_instance_private_and_reused(tmp_path):
    first = instance_keyring(tmp_path)
    folder = keys_folder(tmp_path)
    for name in (*SERVICE_KEYS, *NPC_KEYS):
        assert stat.S_IMODE((folder / f"{name}.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    again = instance_keyring(tmp_path)
    assert {n: a.address for n, a in again.accounts.items()} == {
        n: a.address for n, a in first.accounts.items()}
    addresses = [a.address for a in first.accounts.values()]
    assert len(set(addresses)) == len(addresses), "every role has a key of its own"
    assert not set(addresses) & public_addresses()
    other = instance_keyring(tmp_path / "elsewhere")
    assert not {a.address for a in other.accounts.values()} & set(addresses)


def test_processes_drawing_at_once_share_one_key(tmp_path):
    found: list[str] = []

    def draw() -> None:
        found.append(load_or_create(tmp_path, "minter").address)

    threads = [threading.Thread(target=draw) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 16 and len(set(found)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minter.key"], "no stray files"


def test_a_key_file_others_can_read_is_refused(tmp_path):
    load_or_create(tmp_path, "minter")
    os.chmod(tmp_path / "minter.key", 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        load_or_create(tmp_path, "minter")


def test_a_public_mnemonic_key_put_in_the_folder_is_refused(tmp_path):
    path = tmp_path / "faucet.key"
    path.write_text("0x" + dev_account(1).key.hex().removeprefix("0x"))
    path.chmod(0o600)
    with pytest.raises(ConfigError, match="public dev mnemonic"):
        load_or_create(tmp_path, "faucet")


def test_a_damaged_key_file_is_refused(tmp_path):
    path = tmp_path / "attester.key"
    path.write_text("0x12")
    path.chmod(0o600)
    with pytest.raises(ConfigError, match="does not hold a private key"):
        load_or_create(tmp_path, "attester")


# -- the deployed suite ----------------------------------------------------------------------------
def test_the_public_mnemonic_cannot_mint_grant_or_attest(suite, public_keys, players):
    batch = secrets.token_bytes(32)
    for account in public_keys:
        who = account.address
        reverts_unauthorized(suite.shards, who, "mintBatch", [players[0]], [1], [15], batch)
        reverts_unauthorized(suite.token, who, "mint", players[0], 10**21)
        reverts_unauthorized(suite.token, who, "claimFor", players[0])
        reverts_unauthorized(suite.shards, who, "grantRole", suite.shards.call("MINTER_ROLE"), who)
        reverts_unauthorized(suite.agents, who, "grantRole", suite.agents.call("ATTESTER_ROLE"), who)
        reverts_unauthorized(suite.data, who, "grantRole", suite.data.call("REVIEWER_ROLE"), who)
    assert suite.shards.balance_of(players[0], 1) == 0


def test_no_public_account_holds_any_role_of_the_suite(suite, signers):
    by_name = {c.contract_name: c for c in suite.all()}
    for name, roles in intended_roles(suite, signers).items():
        for role in roles:
            role_id = b"\x00" * 32 if role == "DEFAULT_ADMIN_ROLE" else by_name[name].call(role)
            for address in public_addresses():
                assert not by_name[name].call("hasRole", role_id, address), (name, role, address)


def test_the_service_keys_are_funded(chain_tx, deployed, keyring):
    for name, account in keyring.accounts.items():
        assert chain_tx.chain.balance(account.address) > 0, name


def test_a_devnet_saved_before_the_instance_keys_hands_its_roles_over(
        suite, chain_tx, signers, keyring, public_keys, players):
    """An older devnet state: everything deployed by the public mnemonic, shards minted. The
    next deploy keeps every contract and token, and takes every role off the mnemonic."""
    store = MemoryManifestStore()
    legacy = dev_signers()
    old, _ = deploy_suite(chain_tx, legacy, store, say=lambda _m: None)
    from chain.bindings import Suite

    old_suite = Suite.bind(old.addresses, chain_tx)
    old_suite.shards.transact(legacy.minter.address, "mintBatch", [players[0]], [2], [3],
                              secrets.token_bytes(32))

    lines: list[str] = []
    moved, deployed = deploy_suite(chain_tx, signers, store, say=lines.append,
                                   custody=devnet_custody(keyring))
    assert deployed == [] and moved.addresses == old.addresses
    assert sum(" kept at " in line for line in lines) == 8  # all but SaharaID (no arguments)
    assert old_suite.shards.balance_of(players[0], 2) == 3
    assert old_suite.market.call("validatorPool") == signers.validator_pool
    for account in public_keys:
        reverts_unauthorized(old_suite.shards, account.address, "mintBatch", [players[0]], [2],
                             [1], secrets.token_bytes(32))
        reverts_unauthorized(old_suite.token, account.address, "mint", players[0], 1)
    old_suite.shards.transact(signers.minter.address, "mintBatch", [players[0]], [2], [1],
                              secrets.token_bytes(32))
    assert old_suite.shards.balance_of(players[0], 2) == 4

    block = chain_tx.chain.block_number()
    _, deployed = deploy_suite(chain_tx, signers, store, say=lambda _m: None,
                               custody=devnet_custody(keyring))
    assert deployed == [] and chain_tx.chain.block_number() == block, "settled: nothing sent"


def test_a_role_granted_by_hand_is_taken_back_on_the_next_deploy(
        suite, chain_tx, signers, keyring, deployed, players):
    role = suite.shards.call("MINTER_ROLE")
    suite.shards.transact(signers.deployer.address, "grantRole", role, players[1])
    store = MemoryManifestStore()
    store.save(deployed[0])
    lines: list[str] = []
    deploy_suite(chain_tx, signers, store, say=lines.append, custody=devnet_custody(keyring))
    assert not suite.shards.has_role("MINTER_ROLE", players[1])
    assert any("MINTER_ROLE revoked from " + players[1] in line for line in lines)
    assert suite.shards.has_role("MINTER_ROLE", signers.minter.address)
