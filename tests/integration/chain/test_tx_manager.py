"""The transaction manager against a real devnet: nonces under concurrency, idempotent broadcast,
reverts decoded from receipts, an unreachable node, nonces after a chain revert, and
replacements that outbid a stuck transaction."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from chain import artifacts
from chain.errors import ContractRevert, RpcError, RpcUnavailable
from chain.rpc import JsonRpcChain
from chain.txmanager import TxManager

TOKEN = 10**18


def tx_nonce(chain_tx, tx_hash: str) -> int:
    return int(chain_tx.chain.request("eth_getTransactionByHash", [tx_hash])["nonce"], 16)


def test_concurrent_sends_from_one_sender_get_distinct_nonces_and_all_mine(suite, signers, chain_tx):
    admin = signers.deployer.address
    start = chain_tx.chain.nonce(admin)
    recipients = [f"0x{i:040x}" for i in range(1, 33)]

    def mint(recipient: str):
        return suite.token.transact(admin, "mint", recipient, TOKEN)

    with ThreadPoolExecutor(max_workers=8) as pool:
        receipts = list(pool.map(mint, recipients))

    assert all(r.ok for r in receipts)
    nonces = sorted(tx_nonce(chain_tx, r.tx_hash) for r in receipts)
    assert nonces == list(range(start, start + len(recipients)))
    assert chain_tx.chain.nonce(admin, "latest") == start + len(recipients)
    assert all(suite.token.balance_of(r) == TOKEN for r in recipients)


def test_broadcasting_a_signed_tx_twice_mines_it_once(suite, signers, chain_tx):
    admin, player = signers.deployer.address, signers.faucet.address
    start = chain_tx.chain.nonce(admin)
    signed = chain_tx.sign(admin, suite.token.address, suite.token.encode("mint", player, TOKEN))
    assert signed.nonce == start

    first = chain_tx.broadcast(signed)
    second = chain_tx.broadcast(signed)  # a retry after e.g. a lost answer
    assert first == second == signed.tx_hash
    assert chain_tx.wait(first).ok
    assert chain_tx.chain.nonce(admin, "latest") == start + 1
    assert suite.token.balance_of(player) == TOKEN

    # The reserved nonce was consumed: the next send uses the following one.
    receipt = suite.token.transact(admin, "mint", player, TOKEN)
    assert tx_nonce(chain_tx, receipt.tx_hash) == start + 1


def test_a_reverted_tx_sent_without_estimation_raises_its_decoded_error_from_wait(suite, signers, chain_tx):
    stranger = signers.attester.address  # holds no FAUCET_ROLE
    data = suite.token.encode("claimFor", stranger)
    tx_hash = chain_tx.send(stranger, suite.token.address, data, gas=200_000)  # explicit gas: no estimate
    with pytest.raises(ContractRevert) as exc:
        chain_tx.wait(tx_hash, sender=stranger, to=suite.token.address, data=data)
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.args_by_name == {"account": stranger, "neededRole": suite.token.call("FAUCET_ROLE")}
    assert exc.value.tx_hash == tx_hash
    assert chain_tx.chain.receipt(tx_hash).status == 0, "the tx was mined, and failed"

    # The binding goes the same way when given a gas limit.
    with pytest.raises(ContractRevert) as exc:
        suite.token.transact(stranger, "claimFor", stranger, gas=200_000)
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.tx_hash is not None


def test_a_reverted_tx_without_call_details_is_a_generic_revert(suite, signers, chain_tx):
    stranger = signers.attester.address
    tx_hash = chain_tx.send(stranger, suite.token.address, suite.token.encode("claimFor", stranger),
                            gas=200_000)
    with pytest.raises(ContractRevert) as exc:
        chain_tx.wait(tx_hash)
    assert exc.value.error == "Reverted"
    assert exc.value.tx_hash == tx_hash


def test_a_tx_that_runs_out_of_gas_is_reported_as_out_of_gas(suite, signers, chain_tx):
    admin = signers.deployer.address
    with pytest.raises(ContractRevert) as exc:
        suite.token.transact(admin, "mint", signers.faucet.address, TOKEN, gas=30_000)
    assert exc.value.error == "OutOfGas"
    assert exc.value.args_by_name == {"gasLimit": 30_000}
    assert suite.token.balance_of(signers.faucet.address) == 0


def test_a_tx_needing_more_gas_when_mined_than_when_estimated_still_mines(suite, signers, chain_tx):
    """Estimated in the second of the previous stake, Staking accrues nothing; mined later, it writes
    two fresh storage slots (about 40k gas more than the estimate)."""
    admin, first, second = signers.deployer.address, signers.faucet.address, signers.attester.address
    for staker in (first, second):
        suite.token.transact(admin, "mint", staker, 100 * TOKEN)
        suite.token.transact(staker, "approve", suite.staking.address, 100 * TOKEN)
    staked = suite.staking.transact(first, "stake", 100 * TOKEN)
    at = chain_tx.chain.block(staked.block_number).timestamp

    data = suite.staking.encode("stake", 100 * TOKEN)
    chain_tx.chain.request("evm_setNextBlockTimestamp", [at])  # the estimate sees no time passing
    signed = chain_tx.sign(second, suite.staking.address, data)
    chain_tx.chain.request("evm_setNextBlockTimestamp", [at + 100])  # ...but the block comes later
    receipt = chain_tx.wait(chain_tx.broadcast(signed), sender=second, to=suite.staking.address, data=data)
    assert receipt.ok
    assert suite.staking.staked_of(second) == 100 * TOKEN


def test_an_unreachable_rpc_raises_rpc_unavailable():
    from netutil import free_port

    url = f"http://127.0.0.1:{free_port()}"
    tx = TxManager(JsonRpcChain(url, timeout=2.0), artifacts.error_decoder())
    with pytest.raises(RpcUnavailable) as exc:
        tx.chain.block_number()
    assert exc.value.url == url
    with pytest.raises(RpcUnavailable):
        tx.chain_id  # noqa: B018 - the property asks the node
    account = tx.add_signer("0x" + "11" * 32)
    with pytest.raises(RpcUnavailable):
        tx.transact(account, account, b"")


def test_sending_works_again_after_evm_revert_and_forget_nonces(suite, signers, chain_tx):
    admin, player = signers.deployer.address, signers.faucet.address
    start = chain_tx.chain.nonce(admin)
    snapshot = chain_tx.chain.snapshot()
    for _ in range(3):
        suite.token.transact(admin, "mint", player, TOKEN)
    assert chain_tx.chain.nonce(admin) == start + 3

    assert chain_tx.chain.revert(snapshot)
    chain_tx.forget_nonces()
    assert chain_tx.chain.nonce(admin) == start
    assert suite.token.balance_of(player) == 0

    receipt = suite.token.transact(admin, "mint", player, TOKEN)
    assert receipt.ok and tx_nonce(chain_tx, receipt.tx_hash) == start
    assert suite.token.balance_of(player) == TOKEN


def test_a_replacement_outbids_both_fees_of_the_tx_it_replaces(suite, signers, chain_tx):
    """Signed for the nonce of a transaction stuck in the pool, a replacement pays at least 10%
    more on maxFeePerGas and maxPriorityFeePerGas (what geth asks; anvil asks for more than
    the old maxFeePerGas), and the node takes it in the old one's place."""
    from chain.fees import is_underpriced

    admin, player = signers.deployer.address, signers.faucet.address
    data = suite.token.encode("mint", player, TOKEN)
    chain = chain_tx.chain
    chain.set_automine(False)
    try:
        stuck = chain_tx.sign(admin, suite.token.address, data)
        chain_tx.broadcast(stuck)
        same = chain_tx.sign(admin, suite.token.address, data + b"\x00", nonce=stuck.nonce)
        with pytest.raises(RpcError) as refused:  # the same fees do not replace it
            chain_tx.broadcast(same)
        assert is_underpriced(refused.value)

        # A manager that never saw the stuck transaction (a restarted process) asks the node.
        fresh = TxManager(JsonRpcChain(chain.url), artifacts.error_decoder())
        fresh.add_signer(signers.deployer)
        replacement = fresh.sign(admin, suite.token.address, data, nonce=stuck.nonce,
                                 replacing=stuck.tx_hash)
        old, new = stuck.fees, replacement.fees
        assert new.max_fee * 10 >= old.max_fee * 11 and new.tip * 10 >= old.tip * 11
        fresh.broadcast(replacement)
        assert chain.pending_hashes() == [replacement.tx_hash]
        chain.mine()
    finally:
        for tx_hash in chain.pending_hashes():
            chain.drop_transaction(tx_hash)
        chain.set_automine(True)
    assert chain.receipt(replacement.tx_hash).ok and chain.receipt(stuck.tx_hash) is None
    assert suite.token.balance_of(player) == TOKEN


def test_a_fresh_nonce_never_lands_on_a_slot_just_re_signed(suite, signers, chain_tx):
    admin = signers.deployer.address
    chain_tx.forget_nonces()
    start = chain_tx.chain.nonce(admin)
    again = chain_tx.sign(admin, suite.token.address, b"", nonce=start, gas=50_000)
    after = chain_tx.sign(admin, suite.token.address, b"", gas=50_000)
    assert (again.nonce, after.nonce) == (start, start + 1)
    chain_tx.forget_nonces()
