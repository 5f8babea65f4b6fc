"""What a real network does to the worker's transactions, reproduced on the devnet: a
transaction that sits in the pool and is never mined (mining off), one the node evicts
(``anvil_dropTransaction``), one that lands late, a replacement the node finds underpriced,
and a broadcast the node refuses. Every grant is still minted exactly once."""

from __future__ import annotations

import time

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

from chain.fees import Fees
from chain.txmanager import TxManager

pytestmark = pytest.mark.devnet


def owed(sessions, n: int = 3) -> list[str]:
    players = [fresh_address() for _ in range(n)]
    record(sessions, shard_grants(players))
    return players


def fees(worker, tx_hash: str) -> Fees:
    found = worker.minter.tx.fees_of(tx_hash)
    assert found is not None, tx_hash
    return found


def test_a_stuck_tx_is_replaced_with_higher_fees_and_mined_once(tmp_path, devnet, suite, signers,
                                                                chain_tx):
    sessions = sqlite_sessions(tmp_path)
    players = owed(sessions)
    worker = spying_worker(sessions, devnet.config.url, suite, signers, receipt_timeout=0.3)
    chain = chain_tx.chain
    with mining_off(chain):
        cycle = worker.run_once()
        assert cycle.deferred == 1 and "no receipt" in cycle.errors[0]
        assert grant_states(sessions) == {"sending": 3}
        (stuck,) = worker.minter.broadcasts
        assert not worker.run_once().busy  # backing off, not hammering
        worker.clock = later(3600)
        assert worker.run_once().deferred == 1  # replaced, and still not mined
        first, replacement = worker.minter.broadcasts
        assert replacement.nonce == first.nonce and replacement.tx_hash != first.tx_hash
        old, new = fees(worker, first.tx_hash), fees(worker, replacement.tx_hash)
        # Both fees up by at least the 10% nodes ask of a replacement.
        assert new.max_fee * 10 >= old.max_fee * 11 and new.tip * 10 >= old.tip * 11
        assert chain.pending_hashes() == [replacement.tx_hash]  # the node let go of the first
        chain.mine()
    assert chain.receipt(replacement.tx_hash).ok and chain.receipt(stuck.tx_hash) is None
    worker.clock = later(7200)
    assert worker.run_once().confirmed == 3
    assert [b.attempts for b in batches(sessions)] == [2]
    assert_chain_matches_ledger(sessions, suite, players)


def test_a_dropped_tx_is_sent_again_exactly_once(tmp_path, devnet, suite, signers, chain_tx):
    sessions = sqlite_sessions(tmp_path)
    players = owed(sessions)
    worker = spying_worker(sessions, devnet.config.url, suite, signers, receipt_timeout=0.3)
    chain = chain_tx.chain
    with mining_off(chain):
        assert worker.run_once().deferred == 1
        (dropped,) = worker.minter.broadcasts
        chain.drop_transaction(dropped.tx_hash)  # the node evicted it
        assert chain.pending_hashes() == []
    worker.clock = later(3600)
    assert worker.run_once().confirmed == 3
    first, again = worker.minter.broadcasts
    # The node forgot it, so there is nothing to outbid: the same transaction goes again.
    assert again.nonce == first.nonce and again.fees == first.fees
    assert chain.receipt(again.tx_hash).ok
    assert_chain_matches_ledger(sessions, suite, players)
    assert not worker.run_once().busy


def test_a_tx_that_lands_late_is_confirmed_without_a_resend(tmp_path, devnet, suite, signers,
                                                            chain_tx):
    sessions = sqlite_sessions(tmp_path)
    players = owed(sessions)
    worker = spying_worker(sessions, devnet.config.url, suite, signers, receipt_timeout=0.3)
    with mining_off(chain_tx.chain):
        assert worker.run_once().deferred == 1
        chain_tx.chain.mine()  # mined after the worker gave up waiting
    worker.clock = later(3600)
    assert worker.run_once().confirmed == 3
    assert len(worker.minter.broadcasts) == 1
    assert_chain_matches_ledger(sessions, suite, players)


def test_a_group_of_stuck_txs_waits_one_receipt_timeout_and_is_deferred_together(
        tmp_path, devnet, suite, signers, chain_tx):
    sessions = sqlite_sessions(tmp_path)
    players = owed(sessions, 4)
    worker = spying_worker(sessions, devnet.config.url, suite, signers, receipt_timeout=1.0,
                           max_entries=1)
    with mining_off(chain_tx.chain):
        started = time.monotonic()
        cycle = worker.run_once()
        took = time.monotonic() - started
        assert cycle.sent == 4 and cycle.deferred == 4 and len(cycle.errors) == 1
        assert took < 2.5, f"{took:.1f}s: a receipt timeout per stuck transaction"
        assert len({b.next_attempt_at for b in batches(sessions)}) == 1  # due together
        chain_tx.chain.mine()
    worker.clock = later(3600)
    assert worker.run_once().confirmed == 4
    assert len(worker.minter.broadcasts) == 4
    assert_chain_matches_ledger(sessions, suite, players)


def test_a_replacement_the_node_finds_underpriced_is_outbid_again(tmp_path, devnet, suite,
                                                                  signers, chain_tx):
    sessions = sqlite_sessions(tmp_path)
    players = owed(sessions)
    worker = spying_worker(sessions, devnet.config.url, suite, signers, receipt_timeout=0.3)
    chain = chain_tx.chain
    with mining_off(chain):
        assert worker.run_once().deferred == 1
        (first,) = worker.minter.broadcasts
        # Another transaction of the minter's for that nonce, paying 20% more, takes its place
        # in the pool (say, sent by hand): a replacement +12.5% over ours is underpriced.
        paid = fees(worker, first.tx_hash)
        other = TxManager(chain, worker.minter.tx.decoder)
        minter = other.add_signer(signers.minter)
        with other._locks[minter]:  # sign at a chosen fee, as a hand-made transaction would
            interloper = other._sign_locked(minter, minter, b"", first.nonce, 0, 21_000,
                                            Fees(paid.max_fee * 6 // 5, paid.tip * 6 // 5))
        other.broadcast(interloper)
        worker.clock = later(3600)
        cycle = worker.run_once()
        assert cycle.deferred == 1 and "no receipt" in cycle.errors[0]  # sent, mining is off
        outbid = worker.minter.broadcasts[-1]
        # The node no longer holds ours, so the re-send goes at the market's fees (the same
        # transaction), is underpriced, is outbid (+12.5%: still underpriced) and outbid again.
        assert len(worker.minter.broadcasts) == 4
        assert chain.pending_hashes() == [outbid.tx_hash]
        assert fees(worker, outbid.tx_hash).max_fee > paid.max_fee * 6 // 5
        chain.mine()
    assert chain.receipt(interloper.tx_hash) is None
    worker.clock = later(7200)
    assert worker.run_once().confirmed == 3
    assert [b.attempts for b in batches(sessions)] == [4]
    assert_chain_matches_ledger(sessions, suite, players)


def test_outbidding_is_bounded_and_then_defers(tmp_path, devnet, suite, signers, chain_tx):
    sessions = sqlite_sessions(tmp_path)
    owed(sessions)
    worker = spying_worker(sessions, devnet.config.url, suite, signers, receipt_timeout=0.3,
                           max_bumps=2)
    chain = chain_tx.chain
    with mining_off(chain):
        worker.run_once()
        (first,) = worker.minter.broadcasts
        paid = fees(worker, first.tx_hash)
        other = TxManager(chain, worker.minter.tx.decoder)
        minter = other.add_signer(signers.minter)
        with other._locks[minter]:
            interloper = other._sign_locked(minter, minter, b"", first.nonce, 0, 21_000,
                                            Fees(paid.max_fee * 10, paid.tip * 10))
        other.broadcast(interloper)
        worker.clock = later(3600)
        cycle = worker.run_once()
        assert cycle.deferred == 1 and "underpriced" in cycle.errors[0]
        assert len(worker.minter.broadcasts) == 1 + 1 + 2  # first, the re-send, two bumps
        assert chain.pending_hashes() == [interloper.tx_hash]
    assert grant_states(sessions) == {"sending": 3}


def test_a_refused_broadcast_defers_the_later_nonces_with_it(tmp_path, devnet, suite, signers,
                                                             chain_tx):
    sessions = sqlite_sessions(tmp_path)
    players = owed(sessions, 3)
    chain, minter = chain_tx.chain, signers.minter.address
    balance = chain.balance(minter)
    seen: list[str] = []

    def refuse_the_second(step: str, batch_id: str) -> None:
        if step == "before_send":
            seen.append(batch_id)
            if len(seen) == 2:  # the node refuses this one: no gas money
                # (once the first is mined: anvil mines a moment after the broadcast answers)
                chain.wait(worker.minter.broadcasts[0].tx_hash, 10)
                chain.request("anvil_setBalance", [minter, "0x0"])

    worker = spying_worker(sessions, devnet.config.url, suite, signers, max_entries=1,
                           hook=refuse_the_second)
    cycle = worker.run_once()
    chain.request("anvil_setBalance", [minter, hex(balance)])
    assert cycle.sent == 1 and cycle.confirmed == 1 and cycle.deferred == 2
    assert len(seen) == 2  # the third was never broadcast behind the refused nonce
    assert chain.pending_hashes() == []  # nothing waits in the pool behind a gap
    waiting = [b for b in batches(sessions) if b.state == "sending"]
    assert len(waiting) == 2 and len({b.next_attempt_at for b in waiting}) == 1
    assert worker.minter.tx._nonces == {}  # resynced from the node
    worker.clock = later(3600)
    assert worker.run_once().confirmed == 2
    assert_chain_matches_ledger(sessions, suite, players)


def test_backoff_grows_with_each_refusal(tmp_path, devnet, suite, signers, chain_tx):
    sessions = sqlite_sessions(tmp_path)
    owed(sessions)
    chain_tx.chain.request("anvil_setBalance", [signers.minter.address, "0x0"])  # rolled back
    delays = []
    worker = spying_worker(sessions, devnet.config.url, suite, signers)
    for hours in range(1, 5):
        worker.clock = later(hours * 3600)
        cycle = worker.run_once()
        assert cycle.deferred == 1 and "funds" in cycle.errors[0].lower(), cycle.errors
        (batch,) = batches(sessions)
        now = later(hours * 3600)().replace(tzinfo=None)
        delays.append((batch.next_attempt_at.replace(tzinfo=None) - now).total_seconds())
    assert delays[0] < 4 and delays[-1] > delays[0] and all(d <= 300 for d in delays)
    assert grant_states(sessions) == {"sending": 3}
    # The node never took any of them, so none needed outbidding: the fees did not climb.
    assert len(worker.minter.broadcasts) == 4
    assert len({tx.fees for tx in worker.minter.broadcasts}) == 1
