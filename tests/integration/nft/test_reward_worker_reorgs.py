"""The worker counts a mint only at the confirmation depth (head - confirmations), on a
devnet that reorganises on demand (``anvil_reorg``): a reorg shallower or deeper than the
depth that drops a mint makes the worker send it again exactly once; one that carries the mint
into the new branch, or lets an earlier attempt land instead of its replacement, is waited
for and never sent again. No grant is ever confirmed while unminted, none minted twice."""

from __future__ import annotations

import pytest
from reward_support import (
    assert_chain_matches_ledger,
    batches,
    fresh_address,
    grant_states,
    later,
    mining_off,
    onchain_minted,
    record,
    shard_grants,
    spying_worker,
    sqlite_sessions,
)

from nft import outbox_reads

pytestmark = pytest.mark.devnet
DEPTH = 2


@pytest.fixture
def ledger(tmp_path):
    sessions = sqlite_sessions(tmp_path)
    players = [fresh_address() for _ in range(3)]
    record(sessions, shard_grants(players))
    return sessions, players


@pytest.fixture
def worker(ledger, devnet, suite, signers):
    made = spying_worker(ledger[0], devnet.config.url, suite, signers, confirmations=DEPTH,
                         receipt_timeout=2.0, hold=0.0)
    hours = iter(range(1, 1000))
    made.next_cycle = lambda: (setattr(made, "clock", later(3600 * next(hours))), made.run_once())[1]
    return made


def never_confirmed_unminted(sessions, suite) -> None:
    for batch, minted in zip(batches(sessions), onchain_minted(suite, sessions), strict=True):
        assert batch.state != "confirmed" or minted, batch.batch_id


def test_a_mint_counts_only_once_it_is_at_the_confirmation_depth(ledger, worker, suite, chain_tx):
    sessions, players = ledger
    cycle = worker.run_once()
    assert cycle.sent == 1 and cycle.confirmed == 0 and cycle.waiting == 1
    assert onchain_minted(suite, sessions) == [True]  # minted at the head, not yet deep
    for _ in range(DEPTH - 1):
        chain_tx.chain.mine()
        assert worker.next_cycle().waiting == 1
    assert grant_states(sessions) == {"sending": 3}
    chain_tx.chain.mine()
    assert worker.next_cycle().confirmed == 3
    assert len(worker.minter.broadcasts) == 1
    assert_chain_matches_ledger(sessions, suite, players)


@pytest.mark.parametrize("reorg", [1, DEPTH, DEPTH + 2], ids=["shallower", "as-deep", "deeper"])
def test_a_reorg_that_drops_the_mint_sends_it_again_exactly_once(reorg, ledger, worker, suite,
                                                                  chain_tx):
    sessions, players = ledger
    chain = chain_tx.chain
    chain.mine(DEPTH + 2)  # blocks for the deeper reorg to take away
    assert worker.run_once().waiting == 1
    (dropped,) = worker.minter.broadcasts
    chain.mine(reorg - 1)  # the mint sits `reorg` blocks deep, still above the depth if shallower
    chain.reorg(reorg)  # the mint's block is orphaned; its transaction is gone
    assert chain.receipt(dropped.tx_hash) is None and onchain_minted(suite, sessions) == [False]
    never_confirmed_unminted(sessions, suite)

    cycle = worker.next_cycle()
    assert cycle.sent == 1 and cycle.confirmed == 0  # sent again, waiting for its depth
    chain.mine(DEPTH)
    assert worker.next_cycle().confirmed == 3
    first, again = worker.minter.broadcasts
    assert again.nonce == first.nonce and chain.receipt(again.tx_hash).ok
    assert [b.attempts for b in batches(sessions)] == [2]
    assert_chain_matches_ledger(sessions, suite, players)
    assert not worker.next_cycle().busy


def test_a_reorg_that_carries_the_mint_into_the_new_branch_is_not_sent_again(ledger, worker, suite,
                                                                            chain_tx):
    sessions, players = ledger
    chain = chain_tx.chain
    assert worker.run_once().waiting == 1
    (mint,) = worker.minter.broadcasts
    mined = chain.receipt(mint.tx_hash)
    chain.mine()
    chain.reorg(2, [(mint.raw, 1)])  # the same transaction, one block later on the new branch
    moved = chain.receipt(mint.tx_hash)
    assert moved.ok and moved.block_number == mined.block_number + 1
    assert worker.next_cycle().waiting == 1
    chain.mine(DEPTH)
    assert worker.next_cycle().confirmed == 3
    assert len(worker.minter.broadcasts) == 1
    assert_chain_matches_ledger(sessions, suite, players)


def test_an_earlier_attempt_that_lands_instead_of_its_replacement_is_waited_for(
        ledger, worker, suite, chain_tx):
    sessions, players = ledger
    chain = chain_tx.chain
    worker.receipt_timeout = 0.3
    with mining_off(chain):
        assert worker.run_once().deferred == 1
        assert worker.next_cycle().deferred == 1  # replaced in the pool, still not mined
        first, replacement = worker.minter.broadcasts
        # Another node's miner still had the first attempt and mines it: the recorded hash
        # (the replacement's) never gets a receipt, yet the batch is minted.
        chain.drop_transaction(replacement.tx_hash)
        chain.mine()
        chain.reorg(1, [(first.raw, 0)])
        assert chain.receipt(first.tx_hash).ok and chain.receipt(replacement.tx_hash) is None
    assert worker.next_cycle().waiting == 1  # minted above the depth: wait, do not send again
    chain.mine(DEPTH)
    assert worker.next_cycle().confirmed == 3
    assert len(worker.minter.broadcasts) == 2
    assert_chain_matches_ledger(sessions, suite, players)


# -- a reorg deeper than the depth, after the batch was confirmed -------------------------------
@pytest.mark.parametrize("carried", [False, True], ids=["mint-lost", "mint-carried-above-depth"])
def test_a_deeper_reorg_after_the_confirmation_reopens_the_batch_and_it_is_minted_once(
        carried, ledger, worker, suite, chain_tx, caplog):
    sessions, players = ledger
    chain = chain_tx.chain
    worker.recheck.every = 0  # re-check every cycle
    chain.mine(DEPTH + 4)  # blocks for the deep reorg to take away
    assert worker.run_once().waiting == 1
    (mint,) = worker.minter.broadcasts
    mined = chain.receipt(mint.tx_hash).block_number
    chain.mine(DEPTH)
    assert worker.next_cycle().confirmed == 3
    (batch,) = batches(sessions)
    assert batch.state == "confirmed" and batch.mined_block == mined
    assert not worker.next_cycle().busy  # still minted at the depth: nothing to do

    # A reorg deeper than the depth orphans the mint's block after the ledger confirmed it;
    # carried, the same transaction lands again in the new branch's newest block, above the depth.
    chain.reorg(DEPTH + 2, [(mint.raw, DEPTH + 1)] if carried else [])
    assert onchain_minted(suite, sessions) == [carried]
    assert chain.receipt(mint.tx_hash) is None if not carried else chain.receipt(mint.tx_hash).ok
    assert grant_states(sessions) == {"confirmed": 3}  # what the reorg left behind

    with caplog.at_level("WARNING", logger="nft.worker"):
        cycle = worker.next_cycle()
    assert cycle.reopened == 3
    assert any("reopened" in r.getMessage() and batch.batch_id in r.getMessage()
               for r in caplog.records)
    with sessions() as session:  # what the player's inventory lists: owed again
        for player in players:
            (open_grant,) = outbox_reads.open_grants_for(session, player.lower())
            assert open_grant.record.state.value == "sending" and "reorg" in open_grant.last_error
    (reopened,) = batches(sessions)
    assert reopened.state == "sending" and reopened.mined_block is None
    assert "reorg" in reopened.last_error
    if carried:
        assert cycle.sent == 0 and cycle.waiting == 1  # the mint is back, above the depth
    else:
        assert cycle.sent == 1  # the same batch again, in the slot of its first send

    chain.mine(DEPTH)
    assert worker.next_cycle().confirmed == 3
    assert len(worker.minter.broadcasts) == (1 if carried else 2)
    (final,) = batches(sessions)
    assert final.state == "confirmed" and final.mined_block is not None
    assert_chain_matches_ledger(sessions, suite, players)  # minted exactly once, to the unit
    assert not worker.next_cycle().busy


def test_a_confirmed_batch_is_not_re_checked_once_it_is_older_than_the_window(
        ledger, devnet, suite, signers, chain_tx):
    sessions, _players = ledger
    chain = chain_tx.chain
    made = spying_worker(sessions, devnet.config.url, suite, signers, confirmations=0,
                         reorg_window=4, recheck_every=0)
    assert made.run_once().confirmed == 3
    chain.mine(5)  # the mint is now beyond the window: final, never read again
    reads = []
    original = made.minter.batch_minted
    made.minter.batch_minted = lambda *a, **k: reads.append(a) or original(*a, **k)
    assert not made.run_once().busy and reads == []
