"""The indexer's pure planning: which blocks to read next, where a reorg forked, where to
cut a batch, which block hashes to keep. No chain, no database (``chain.indexer`` uses it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def plan_range(cursor: int | None, start: int, head: int, confirmations: int,
               max_range: int) -> tuple[int, int]:
    """Blocks to read next: after the cursor (or from ``start``), at most ``max_range`` of
    them, never past the head minus the confirmation depth. Empty when ``to < from``."""
    first = start if cursor is None else cursor + 1
    last = min(head - confirmations, first + max_range - 1)
    return first, last


def first_orphaned(stored: Sequence[tuple[int, str]], canonical: Mapping[int, str | None]) -> int | None:
    """The first block to re-read after a reorg, or None when the newest stored hash holds.

    ``stored`` holds (number, hash) pairs the indexer processed; ``canonical`` the chain's
    hash at those numbers now (None or missing: past the head, or not fetched). The fork is
    just above the highest stored block that still matches; when none matches, everything
    stored is suspect and the lowest stored block is re-read.
    """
    if not stored:
        return None
    ordered = sorted(stored, reverse=True)
    for number, stored_hash in ordered:
        if same(canonical.get(number), stored_hash):
            return None if number == ordered[0][0] else number + 1
    return ordered[-1][0]


def same(a: str | None, b: str) -> bool:
    return a is not None and a.lower() == b.lower()


def last_block_within(event_blocks: Sequence[int], max_events: int) -> int | None:
    """Where to end a batch so it holds at most ``max_events`` events (ascending block numbers
    of the events read), or None when they all fit. Blocks are never split: a first block
    with more events than that goes whole. Short batches keep the database write lock short."""
    if len(event_blocks) <= max_events:
        return None
    return max(event_blocks[max_events] - 1, event_blocks[0])


def keep_hashes_of(first: int, last: int, head: int, keep: int, event_blocks: Iterable[int]) -> set[int]:
    """Blocks of ``first..last`` whose hash is worth storing: every block within ``keep`` of
    the head (where reorgs happen, so the fork point is exact), blocks with events, and the
    last one (the cursor). Deep catch-up ranges thus cost no extra header fetches."""
    near_tip = range(max(first, head - keep + 1), last + 1)
    return {*near_tip, *(b for b in event_blocks if first <= b <= last), last}
