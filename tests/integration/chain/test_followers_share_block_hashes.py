"""Two followers of one chain (the indexer and the mint watch, each with its own cursor) store
the hashes of the blocks they read in one table: storing the same block at the same moment
must not fail the later one (a unique violation used to stop the caretaker's watch)."""

from __future__ import annotations

import threading

from sqlalchemy import select

from chain.store import IndexedBlock, advance_cursor


def test_two_followers_storing_one_blocks_hash_at_once_both_succeed(make_app):
    sessions = make_app().extensions["legends.db"].sessions
    hashes = [(7, "0x" + "ab" * 32), (8, "0x" + "cd" * 32)]
    failures: list[BaseException] = []

    first = sessions()
    first.begin()
    advance_cursor(first, 31337, "indexer", expected=None, block=8, block_hash=hashes[-1][1],
                   hashes=hashes, forget_from=None, keep=256)

    def second_follower() -> None:
        try:
            with sessions.begin() as second:
                advance_cursor(second, 31337, "mint-audit", expected=None, block=8,
                               block_hash=hashes[-1][1], hashes=hashes, forget_from=None, keep=256)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    other = threading.Thread(target=second_follower)
    other.start()
    other.join(0.5)  # it waits for the first one's rows (PostgreSQL) or its write lock (SQLite)
    first.commit()
    first.close()
    other.join(20)
    assert not other.is_alive() and failures == []
    with sessions() as session:
        stored = session.execute(select(IndexedBlock.number, IndexedBlock.hash)
                                 .order_by(IndexedBlock.number)).all()
    assert [tuple(row) for row in stored] == hashes
