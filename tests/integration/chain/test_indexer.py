"""The indexer on the real devnet: decoded events in chain order, a cursor that only moves
on commit, bounded ranges, confirmations, and reorgs made with ``anvil_reorg``."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from chain.indexer import Indexer
from chain.store import Cursor, CursorConflict, IndexedBlock

TOKEN = 10**18


@pytest.fixture
def sessions(database_url):
    """The cursor's database: SQLite, then PostgreSQL."""
    engine = create_engine(database_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def funded(players, chain_tx, suite):
    for player in players:
        chain_tx.chain.request("anvil_setBalance", [player, hex(100 * TOKEN)])
    return players


@pytest.fixture
def indexer_for(deployed, chain_tx, sessions):
    def build(**options) -> Indexer:
        return Indexer.for_manifest(chain_tx.chain, sessions, deployed[0], **options)

    return build


def catch_up(indexer: Indexer, sessions) -> list:
    events = []
    while not (batch := indexer.poll()).empty:
        with sessions.begin() as session:
            indexer.commit(session, batch)
        events.extend(batch.events)
    return events


def claims(events) -> list:
    return [e for e in events if (e.contract, e.event) == ("SaharaToken", "FaucetClaimed")]


def test_events_come_decoded_in_chain_order_with_their_block_time(indexer_for, sessions, suite, funded,
                                                                  chain_tx):
    indexer = indexer_for()
    catch_up(indexer, sessions)
    receipts = [suite.token.transact(p, "claim") for p in funded[:2]]
    batch = indexer.poll()
    found = claims(batch.events)
    assert [e.args["account"] for e in found] == funded[:2]
    assert [e.tx_hash for e in found] == [r.tx_hash for r in receipts]
    assert found[0].args["amount"] == 100 * TOKEN
    block = chain_tx.chain.block(receipts[0].block_number)
    assert found[0].timestamp == block.timestamp
    assert found[0].block_hash == receipts[0].block_hash
    assert batch.to_block == batch.head == receipts[-1].block_number


def test_poll_does_not_move_the_cursor_commit_does(indexer_for, sessions, suite, funded):
    indexer = indexer_for()
    catch_up(indexer, sessions)
    suite.token.transact(funded[0], "claim")
    first = indexer.poll()
    again = indexer.poll()
    assert first == again and len(claims(first.events)) == 1
    with sessions.begin() as session:
        indexer.commit(session, first)
    assert indexer.poll().empty
    with sessions() as session:
        assert session.scalar(select(Cursor.block)) == first.to_block


def test_a_batch_committed_twice_is_refused(indexer_for, sessions, suite, funded):
    indexer = indexer_for()
    catch_up(indexer, sessions)
    suite.token.transact(funded[0], "claim")
    batch = indexer.poll()
    with sessions.begin() as session:
        indexer.commit(session, batch)
    with pytest.raises(CursorConflict), sessions.begin() as session:
        indexer.commit(session, batch)


def test_each_poll_reads_a_bounded_range(indexer_for, sessions, suite, funded):
    indexer = indexer_for(max_range=2)
    catch_up(indexer, sessions)
    for player in funded:
        suite.token.transact(player, "claim")
    batches = []
    while not (batch := indexer.poll()).empty:
        batches.append(batch)
        with sessions.begin() as session:
            indexer.commit(session, batch)
    assert [b.to_block - b.from_block + 1 for b in batches] == [2, 2]
    assert [e.args["account"] for b in batches for e in claims(b.events)] == funded


def test_a_batch_holds_a_bounded_number_of_events(indexer_for, sessions, suite, funded):
    indexer = indexer_for(max_events=3)
    catch_up(indexer, sessions)
    for player in funded:  # one block per claim, 2 events each (Transfer + FaucetClaimed)
        suite.token.transact(player, "claim")
    batches = []
    while not (batch := indexer.poll()).empty:
        batches.append(batch)
        with sessions.begin() as session:
            indexer.commit(session, batch)
    assert [len(b.events) for b in batches] == [2, 2, 2, 2]
    assert [e.args["account"] for b in batches for e in claims(b.events)] == funded


def test_confirmations_hold_back_the_newest_blocks(indexer_for, sessions, suite, funded, chain_tx):
    indexer = indexer_for(confirmations=2)
    catch_up(indexer, sessions)
    suite.token.transact(funded[0], "claim")
    assert claims(catch_up(indexer, sessions)) == []
    chain_tx.chain.request("anvil_mine", ["0x2"])
    assert [e.args["account"] for e in claims(catch_up(indexer, sessions))] == [funded[0]]


def test_a_reorg_rewinds_to_the_first_orphaned_block(indexer_for, sessions, suite, funded, chain_tx):
    """anvil_reorg(depth, [[raw tx, block offset]]) replaces the newest ``depth`` blocks; the
    orphaned blocks' transactions are dropped, the given ones mined into the new blocks."""
    indexer = indexer_for()
    receipts = [suite.token.transact(p, "claim") for p in funded]
    catch_up(indexer, sessions)
    head = chain_tx.chain.block_number()
    assert receipts[-1].block_number == head
    # Orphan the last two claims; the new branch carries a different claim at its 2nd block.
    replacement = chain_tx.sign(funded[0], suite.token.address, suite.token.encode("transfer", funded[1], 1),
                                nonce=chain_tx.chain.nonce(funded[0], "latest"), gas=100_000)
    chain_tx.chain.request("anvil_reorg", [2, [["0x" + replacement.raw.hex(), 1]]])
    chain_tx.forget_nonces()
    assert chain_tx.chain.receipt(receipts[-1].tx_hash) is None
    batch = indexer.poll()
    assert batch.rewind_to == head - 1
    assert (batch.from_block, batch.to_block) == (head - 1, head)
    assert claims(batch.events) == []
    assert [(e.event, e.tx_hash) for e in batch.events] == [("Transfer", replacement.tx_hash)]
    with sessions.begin() as session:
        indexer.commit(session, batch)
    assert indexer.poll().empty
    with sessions() as session:
        stored = dict(session.execute(select(IndexedBlock.number, IndexedBlock.hash)).all())
    assert stored[head] == chain_tx.chain.block(head).hash


def test_a_chain_rolled_back_below_the_cursor_rewinds(indexer_for, sessions, suite, funded, chain_tx):
    indexer = indexer_for()
    catch_up(indexer, sessions)
    snap = chain_tx.chain.snapshot()
    suite.token.transact(funded[0], "claim")
    suite.token.transact(funded[1], "claim")
    catch_up(indexer, sessions)
    chain_tx.chain.revert(snap)
    chain_tx.forget_nonces()
    head = chain_tx.chain.block_number()
    batch = indexer.poll()
    assert batch.rewind_to == head + 1 and batch.events == ()
    with sessions.begin() as session:
        indexer.commit(session, batch)
    with sessions() as session:
        assert session.scalar(select(Cursor.block)) == head
        assert session.scalar(select(func.max(IndexedBlock.number))) <= head
    suite.token.transact(funded[2], "claim")
    assert [e.args["account"] for e in claims(catch_up(indexer, sessions))] == [funded[2]]


def test_old_block_hashes_are_pruned(indexer_for, sessions, suite, chain_tx):
    indexer = indexer_for(keep=3)
    chain_tx.chain.request("anvil_mine", [hex(40)])  # crosses a multiple of PRUNE_EVERY
    catch_up(indexer, sessions)
    with sessions() as session:
        numbers = session.scalars(select(IndexedBlock.number)).all()
    head = chain_tx.chain.block_number()
    assert head in numbers and min(numbers) >= head - 3
