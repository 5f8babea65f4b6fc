"""The fee cap (``CHAIN_MAX_FEE_GWEI``) on the devnet: the worker never offers more than the
cap. A stuck transaction whose replacement would have to bid above it is left as it is (the
batch is deferred, a warning logged) and confirmed when it lands; a market above the cap sends
nothing until the base fee falls under it; a new mint is signed with at most the cap."""

from __future__ import annotations

import threading

import pytest
from reward_support import (
    assert_chain_matches_ledger,
    batches,
    fresh_address,
    grant_states,
    later,
    mining_off,
    record,
    shard_grants,
    spying_worker,
    sqlite_sessions,
)

from chain.fees import GWEI

pytestmark = pytest.mark.devnet


@pytest.fixture
def owed(tmp_path):
    sessions = sqlite_sessions(tmp_path)
    players = [fresh_address() for _ in range(3)]
    record(sessions, shard_grants(players))
    return sessions, players


def one_logged_cycle(worker) -> None:
    """One pass of the worker's own loop, which logs what went wrong."""
    stop = threading.Event()
    worker.run(stop, pause=lambda _seconds: stop.set())


def test_a_stuck_tx_is_not_outbid_beyond_the_cap_and_is_confirmed_when_it_lands(
        owed, devnet, suite, signers, chain_tx, caplog):
    sessions, players = owed
    worker = spying_worker(sessions, devnet.config.url, suite, signers, receipt_timeout=0.3)
    chain, tx = chain_tx.chain, worker.minter.tx
    with mining_off(chain):
        assert worker.run_once().deferred == 1  # stuck in the pool
        (stuck,) = worker.minter.broadcasts
        paid = tx.fees_of(stuck.tx_hash)
        tx.max_fee = paid.max_fee  # outbidding it needs +12.5%: above the cap
        worker.clock = later(3600)
        with caplog.at_level("WARNING", logger="nft.worker"):
            one_logged_cycle(worker)
        assert len(worker.minter.broadcasts) == 1  # no replacement was signed or sent
        assert any("fee cap" in r.getMessage() and "deferred" in r.getMessage()
                   for r in caplog.records)
        (batch,) = batches(sessions)
        assert "fee cap" in batch.last_error and batch.tx_hash == stuck.tx_hash
        assert batch.failures == 2 and batch.attempts == 1
        assert chain.pending_hashes() == [stuck.tx_hash]  # still the one at its own fees
        chain.mine()
    assert chain.receipt(stuck.tx_hash).ok
    worker.clock = later(7200)
    assert worker.run_once().confirmed == 3
    assert len(worker.minter.broadcasts) == 1
    assert_chain_matches_ledger(sessions, suite, players)


def test_a_market_above_the_cap_sends_nothing_until_the_base_fee_falls(
        owed, devnet, suite, signers, chain_tx):
    sessions, players = owed
    worker = spying_worker(sessions, devnet.config.url, suite, signers, receipt_timeout=2.0)
    chain, tx = chain_tx.chain, worker.minter.tx
    nonce, usual = chain.nonce(signers.minter.address), chain.gas_price()
    try:
        chain.set_next_base_fee(50 * GWEI)
        chain.mine()
        assert chain.gas_price() > 20 * GWEI
        tx.max_fee = 20 * GWEI
        cycle = worker.run_once()
        assert cycle.deferred == 1 and cycle.sent == 0 and "fee cap" in cycle.errors[0]
        assert worker.minter.broadcasts == [] and grant_states(sessions) == {"pending": 3}
        assert chain.nonce(signers.minter.address) == nonce  # no nonce taken, no gap left
    finally:
        chain.set_next_base_fee(usual)  # the devnet is shared: its base fee goes back
        chain.mine()
    price = chain.gas_price()
    assert price < 20 * GWEI
    tx.max_fee = price + price // 2  # under the market's 2 x price + tip: lowered to the cap
    worker.clock = later(3600)
    assert worker.run_once().confirmed == 3
    (sent,) = worker.minter.broadcasts
    assert sent.nonce == nonce and tx.fees_of(sent.tx_hash).max_fee == tx.max_fee
    assert_chain_matches_ledger(sessions, suite, players)
