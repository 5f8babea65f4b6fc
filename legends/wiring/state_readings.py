"""What the quest views read from the chain: the head block (a quest accepted now counts
logs after it), the player's state for ``state`` objectives, and the indexer's lag.

``ChainReader`` reads the deployed suite through the chain layer; tests replace
``app.extensions["legends.chain_reader"]`` with a fake of the same three methods.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chain.bindings import Suite
from chain.errors import ChainError
from chain.npcs import event_logs, topic
from chain.store import Cursor, SqlManifestStore
from legends.wiring.chainlink import ChainLink
from quests.evidence import StateReading
from quests.world import LEGEND_ID

INDEXER_CURSOR = "quests"  # chain.indexer.Indexer's default follower name


class StateSource(Protocol):
    def head_block(self) -> int: ...

    def indexer_lag(self) -> int | None: ...

    def readings(self, address: str, checks: Iterable[tuple[str, int | None]]) -> list[StateReading]: ...


class ChainReader:
    def __init__(self, link: ChainLink, sessions: sessionmaker[Session]) -> None:
        self.link = link
        self.sessions = sessions

    def head_block(self) -> int:
        return self.link.rpc.block_number()

    def indexer_lag(self) -> int | None:
        """Blocks between the chain head and the indexer's cursor (None: unknown)."""
        try:
            head, chain_id = self.head_block(), self.link.tx.chain_id
        except ChainError:
            return None
        with self.sessions() as session:
            rows = session.execute(select(Cursor.name, Cursor.block).where(Cursor.chain_id == chain_id)).all()
        if not rows:
            return None
        cursor = dict(rows).get(INDEXER_CURSOR, max(block for _, block in rows))
        return max(0, head - cursor)

    def readings(self, address: str, checks: Iterable[tuple[str, int | None]]) -> list[StateReading]:
        store = SqlManifestStore(self.sessions)
        suite, manifest = self.link.suite(store), self.link.manifest(store)
        block = self.head_block()
        since = min((e.block for e in manifest.entries.values()), default=0)
        return [StateReading(check, read(suite, check, token_id, address, since), token_id, block)
                for check, token_id in sorted(checks, key=lambda c: (c[0], c[1] or 0))]


def read(suite: Suite, check: str, token_id: int | None, address: str, since: int = 0) -> int:
    """One state check (the names of ``quests.objectives.state.CHECKS``) for ``address``;
    ``since`` is the suite's first block (where a count of the player's logs starts)."""
    if check == "sahara_balance":
        return suite.token.balance_of(address)
    if check == "staked":
        return suite.staking.staked_of(address)
    if check == "voting_power":
        return int(suite.staking.call("votingPower", address))
    if check == "pending_revenue":
        return suite.market.pending_revenue(address)
    if check == "accepted_labels":
        return int(suite.data.call("acceptedCount", address))
    if check == "listings_made":
        # No view counts a seller's listings; their Listed logs do (seller is indexed).
        return len(event_logs(suite.market, "Listed", since, None, topic(address)))
    if check == "has_identity":
        return 1 if suite.identity.id_of(address) else 0
    if check == "owns_token" and token_id is not None:
        if token_id == LEGEND_ID:
            return suite.relic.balance_of(address, token_id)
        return suite.shards.balance_of(address, token_id)
    raise ValueError(f"no on-chain reading for check {check!r}")


def init_app(app: Flask) -> None:
    app.extensions["legends.chain_reader"] = ChainReader(app.extensions["legends.chain"],
                                                         app.extensions["legends.db"].sessions)


def get_reader() -> StateSource:
    return current_app.extensions["legends.chain_reader"]
