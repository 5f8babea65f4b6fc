"""The indexer's pure parts: which blocks to read next, where a reorg forked, which block
hashes to keep."""

from __future__ import annotations

from chain.indexer import first_orphaned, keep_hashes_of, last_block_within, plan_range


def test_a_fresh_indexer_starts_at_the_start_block():
    assert plan_range(None, start=5, head=20, confirmations=0, max_range=100) == (5, 20)


def test_the_next_range_starts_after_the_cursor():
    assert plan_range(10, start=5, head=20, confirmations=0, max_range=100) == (11, 20)


def test_a_range_is_bounded_per_poll():
    assert plan_range(10, start=0, head=5000, confirmations=0, max_range=1000) == (11, 1010)


def test_confirmations_hold_back_the_newest_blocks():
    assert plan_range(10, start=0, head=20, confirmations=3, max_range=100) == (11, 17)


def test_nothing_to_read_when_the_cursor_is_at_the_confirmed_head():
    first, last = plan_range(17, start=0, head=20, confirmations=3, max_range=100)
    assert last < first


def test_nothing_to_read_when_the_chain_is_younger_than_the_confirmation_depth():
    first, last = plan_range(None, start=0, head=2, confirmations=5, max_range=100)
    assert last < first


def test_no_reorg_when_the_newest_stored_hash_is_still_canonical():
    stored = [(10, "0xa"), (9, "0x9")]
    assert first_orphaned(stored, {10: "0xA", 9: "0x9"}) is None


def test_the_fork_is_just_above_the_highest_block_that_still_matches():
    stored = [(8, "0x8"), (9, "0x9"), (10, "0xa"), (11, "0xb")]
    canonical = {11: "0xB2", 10: "0xA2", 9: "0x9", 8: "0x8"}
    assert first_orphaned(stored, canonical) == 10


def test_sparse_stored_hashes_rewind_conservatively():
    # Only blocks 4 and 10 were kept; 10 changed, 4 did not: everything after 4 is re-read.
    assert first_orphaned([(4, "0x4"), (10, "0xa")], {10: "0xa2", 4: "0x4"}) == 5


def test_blocks_past_the_head_count_as_orphaned():
    # The chain got shorter (e.g. reverted): blocks 11 and 12 no longer exist.
    assert first_orphaned([(10, "0xa"), (11, "0xb"), (12, "0xc")], {12: None, 11: None, 10: "0xa"}) == 11


def test_a_reorg_deeper_than_every_stored_hash_rewinds_to_the_oldest_one():
    assert first_orphaned([(7, "0x7"), (8, "0x8")], {8: "0xx", 7: "0xy"}) == 7


def test_nothing_stored_means_nothing_to_rewind():
    assert first_orphaned([], {}) is None


def test_hashes_kept_near_the_tip_are_every_block():
    assert keep_hashes_of(95, 100, head=100, keep=10, event_blocks=[]) == {95, 96, 97, 98, 99, 100}


def test_deep_catch_up_keeps_only_event_blocks_and_the_last_one():
    assert keep_hashes_of(1, 1000, head=5000, keep=10, event_blocks=[3, 3, 700]) == {3, 700, 1000}


def test_the_tip_window_starts_keep_blocks_below_the_head():
    assert keep_hashes_of(1, 100, head=100, keep=3, event_blocks=[50]) == {50, 98, 99, 100}


def test_a_batch_that_fits_is_not_cut():
    assert last_block_within([3, 4, 4, 9], max_events=4) is None


def test_a_batch_ends_before_the_block_of_the_first_event_too_many():
    assert last_block_within([3, 4, 4, 9, 9], max_events=3) == 8


def test_blocks_are_never_split():
    # The 3rd event shares block 4 with the 2nd: the batch ends after block 3.
    assert last_block_within([3, 4, 4], max_events=2) == 3


def test_a_first_block_with_too_many_events_goes_whole():
    assert last_block_within([5, 5, 5, 6], max_events=2) == 5
