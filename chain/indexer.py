"""The indexer: follows the suite's events from a cursor stored in the database.

``poll()`` reads the chain and plans a batch without moving anything; ``commit(session,
batch)`` moves the cursor inside the caller's transaction, so the events and whatever the
caller did with them commit together. A crash in between re-delivers the batch, which the
quest engine's unique evidence key makes harmless.

Reorgs: the hashes of recently processed blocks are kept (``chain_indexed_block``). When the
stored hash of the cursor's block no longer matches the chain, the indexer walks back to the
highest stored block that still matches and reports ``rewind_to`` = the first block after
it; the batch then re-reads the chain from there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chain import artifacts
from chain.abi import ContractAbi
from chain.deploy import Manifest
from chain.port import Block, ChainPort, Log
from chain.store import advance_cursor, load_cursor, recent_hashes

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

DEFAULT_MAX_RANGE = 1000  # blocks per eth_getLogs: public nodes cap ranges near this
DEFAULT_MAX_EVENTS = 50  # events per batch: the caller applies a batch in one transaction
DEFAULT_KEEP = 256  # block hashes kept below the cursor; deeper reorgs rewind to the oldest
FORK_CHUNK = 16  # canonical hashes fetched per step while walking back to a fork


@dataclass(frozen=True)
class IndexedEvent:
    """One decoded log of the suite, e.g. ``AIMarketplace.Sale``, with where it was found."""

    contract: str
    event: str
    args: Mapping[str, Any]
    block_number: int
    block_hash: str
    tx_hash: str
    log_index: int
    timestamp: int


@dataclass(frozen=True)
class IndexerBatch:
    """What one poll found. ``to_block < from_block`` means no new block to read."""

    events: tuple[IndexedEvent, ...]
    rewind_to: int | None
    from_block: int
    to_block: int
    head: int
    # Planning state that commit() needs: the cursor it started from and the hashes to keep.
    cursor_block: int | None = None
    to_hash: str = ""
    hashes: tuple[tuple[int, str], ...] = field(default=())

    @property
    def empty(self) -> bool:
        """Nothing to deliver and nothing to move (the cursor is at the confirmed head)."""
        return self.rewind_to is None and self.to_block < self.from_block


# -- pure planning ---------------------------------------------------------------------------
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
        if _same(canonical.get(number), stored_hash):
            return None if number == ordered[0][0] else number + 1
    return ordered[-1][0]


def _same(a: str | None, b: str) -> bool:
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


# -- the indexer -------------------------------------------------------------------------------
class Indexer:
    """Follows the logs of ``contracts`` (name -> address) on one chain for follower ``name``."""

    def __init__(self, rpc: ChainPort, sessions: sessionmaker[Session], *, chain_id: int,
                 contracts: Mapping[str, str], abis: Mapping[str, ContractAbi], start_block: int = 0,
                 name: str = "quests", confirmations: int = 0, max_range: int = DEFAULT_MAX_RANGE,
                 max_events: int = DEFAULT_MAX_EVENTS, keep: int = DEFAULT_KEEP) -> None:
        if confirmations < 0:
            raise ValueError("confirmations must be >= 0")
        if max_range < 1 or max_events < 1:
            raise ValueError("max_range and max_events must be >= 1")
        self.rpc = rpc
        self.sessions = sessions
        self.chain_id = chain_id
        self.name = name
        self.start_block = start_block
        self.confirmations = confirmations
        self.max_range = max_range
        self.max_events = max_events
        self.keep = max(keep, confirmations + 1)
        self.addresses = sorted(contracts.values())
        self._abi_by_address = {addr.lower(): abis[name] for name, addr in contracts.items()}

    @classmethod
    def for_manifest(cls, rpc: ChainPort, sessions: sessionmaker[Session], manifest: Manifest,
                     **options: Any) -> Indexer:
        """Follow the deployed suite of ``manifest`` from the block its first contract was
        deployed in (nothing of the suite can be older)."""
        manifest.require_complete()
        entries = manifest.entries.values()
        options.setdefault("start_block", min(e.block for e in entries))
        return cls(rpc, sessions, chain_id=manifest.chain_id, contracts=manifest.addresses,
                   abis={e.name: artifacts.load(e.name).abi for e in entries}, **options)

    # -- reading --------------------------------------------------------------------------
    def poll(self) -> IndexerBatch:
        """Plan the next batch (reads the cursor, the chain and the logs; writes nothing)."""
        with self.sessions() as session:
            cursor = load_cursor(session, self.chain_id, self.name)
        latest = self._header("latest")
        head = latest.number
        headers: dict[int, Block] = {head: latest}
        rewind_to = None
        if cursor is not None:
            rewind_to = self._check_fork(cursor.block, cursor.block_hash, head, headers)
        cursor_block = cursor.block if cursor else None
        resume = cursor_block if rewind_to is None else rewind_to - 1
        first, last = plan_range(resume if cursor else None, self.start_block, head,
                                 self.confirmations, self.max_range)
        if last < first:
            # Even with nothing to read, a rewind moves the cursor back to below the fork.
            to_hash = self._hash(resume, headers) if rewind_to is not None and resume >= 0 else ""
            return IndexerBatch((), rewind_to, first, first - 1, head, cursor_block, to_hash)
        # A block's hash covers all its ancestors: if ``last`` keeps its hash from before the
        # logs query until after the headers are read, logs and hashes describe one chain.
        # (Hashes read before the logs need no re-check: if they are stale, the next poll
        # sees the cursor's hash orphaned and rewinds.)
        pinned_block, pinned = last, self._hash(last, headers)
        known = len(headers)
        logs = sorted(self.rpc.logs(self.addresses, first, last),
                      key=lambda lg: (lg.block_number, lg.log_index))
        # Cut on the logs before decoding them (a log is at most one event): a backlog
        # decodes only its batch's logs, not the whole range's on every poll.
        raw_cut = last_block_within([item.block_number for item in logs], self.max_events)
        if raw_cut is not None:
            logs, last = [lg for lg in logs if lg.block_number <= raw_cut], raw_cut
        found = self._decoded(logs)
        # Cut the batch before reading block headers: a backlog fetches only its batch's.
        cut = last_block_within([item.block_number for item, _, _ in found], self.max_events)
        if cut is not None:
            found, last = [f for f in found if f[0].block_number <= cut], cut
        events = self._timed(found, headers)
        hashes: tuple[tuple[int, str], ...] = ()
        if events is not None:
            wanted = keep_hashes_of(first, last, head, self.keep, (e.block_number for e in events))
            hashes = tuple(sorted((n, self._hash(n, headers)) for n in wanted))
        still = self._header(pinned_block).hash if len(headers) > known else pinned
        if events is None or not _same(still, pinned):
            log.info("chain %s moved while reading blocks %s..%s; polling again", self.chain_id,
                     first, last)
            return IndexerBatch((), None, first, first - 1, head, cursor_block)
        return IndexerBatch(tuple(events), rewind_to, first, last, head, cursor_block,
                            dict(hashes)[last], hashes)

    def commit(self, session: Session, batch: IndexerBatch) -> None:
        """Move the cursor past ``batch`` inside the caller's transaction (no commit here)."""
        if batch.empty:
            return
        # An empty range after a rewind leaves the cursor just below the fork.
        to_block = max(batch.to_block, batch.from_block - 1)
        advance_cursor(session, self.chain_id, self.name, expected=batch.cursor_block,
                       block=to_block, block_hash=batch.to_hash, hashes=batch.hashes,
                       forget_from=batch.rewind_to, keep=self.keep)

    # -- helpers ----------------------------------------------------------------------------
    def _check_fork(self, block: int, block_hash: str, head: int,
                    headers: dict[int, Block]) -> int | None:
        """None when the cursor's block is still canonical, else the first orphaned block."""
        child = headers.get(block + 1)  # at the tip, the head's parent hash saves a round trip
        current = child.parent_hash if child else self._hash(block, headers) if block <= head else None
        if _same(current, block_hash):
            return None
        with self.sessions() as session:
            stored = recent_hashes(session, self.chain_id)
        stored = [(block, block_hash)] + [(n, h) for n, h in stored if n < block]
        canonical: dict[int, str | None] = {}
        for i in range(0, len(stored), FORK_CHUNK):
            chunk = stored[i:i + FORK_CHUNK]
            for number, _ in chunk:
                canonical[number] = self._hash(number, headers) if number <= head else None
            if any(_same(canonical[n], h) for n, h in chunk):
                break
        fork = first_orphaned(stored, canonical)
        assert fork is not None, "the cursor's own block did not match"
        log.warning("reorg on chain %s: %s's block %s is orphaned; re-reading from block %s",
                    self.chain_id, self.name, block, fork)
        return fork

    def _header(self, number: int | str) -> Block:
        found = self.rpc.block(number)
        if found is None:
            raise LookupError(f"block {number} is not on chain {self.chain_id}")
        return found

    def _hash(self, number: int, headers: dict[int, Block]) -> str:
        if number not in headers:
            headers[number] = self._header(number)
        return headers[number].hash

    def decode_logs(self, logs: Sequence[Log]) -> list[IndexedEvent]:
        """The suite's events among ``logs`` (a receipt's, say), with their block times."""
        return self._timed(self._decoded(logs), {}) or []

    def _decoded(self, logs: Sequence[Log]) -> list[tuple[Log, Any, tuple[str, Any]]]:
        """The suite's logs in chain order, each with its contract's ABI and decoded event."""
        found = []
        for item in sorted(logs, key=lambda lg: (lg.block_number, lg.log_index)):
            abi = self._abi_by_address.get(item.address.lower())
            decoded = abi.decode_log(item) if abi and not item.removed else None
            if decoded is not None:
                found.append((item, abi, decoded))
        return found

    def _timed(self, found: Sequence[tuple[Log, Any, tuple[str, Any]]],
               headers: dict[int, Block]) -> list[IndexedEvent] | None:
        """Decoded suite events with their block times; None when a log's block is not the
        block whose header we hold (the chain moved while we read it)."""
        events: list[IndexedEvent] = []
        for item, abi, decoded in found:
            if item.block_number not in headers and item.block_time is not None:
                # The node sent the block's time with the log: no header fetch (the poll
                # re-reads its pinned block after, so these hashes are checked as fetched ones).
                headers[item.block_number] = Block(item.block_number, item.block_hash, "",
                                                   item.block_time)
            self._hash(item.block_number, headers)  # else one header fetch per block, for its time
            header = headers[item.block_number]
            if not _same(header.hash, item.block_hash):
                return None
            events.append(IndexedEvent(
                contract=abi.name, event=decoded[0], args=_plain(decoded[1]),
                block_number=item.block_number, block_hash=item.block_hash, tx_hash=item.tx_hash,
                log_index=item.log_index, timestamp=header.timestamp))
        return events


def _plain(args: Mapping[str, Any]) -> dict[str, Any]:
    """Event args the game can store as JSON and compare: bytes become 0x-hex strings."""
    def plain(value: Any) -> Any:
        if isinstance(value, bytes):
            return "0x" + value.hex()
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, tuple):  # named tuples (structs) too: JSON keeps the positions
            return tuple(plain(v) for v in value)
        return value

    return {k: plain(v) for k, v in args.items()}

