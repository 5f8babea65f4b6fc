"""What the quest views read from the chain: the head block (a quest accepted now counts
logs after it), the player's state for ``state`` objectives, and the indexer's lag.

``ChainReader`` reads the deployed suite through the chain layer: which check reads what is
``quests.objectives.state.CHECKS``, the one registry; :class:`SuiteState` only answers its
questions from the contracts. Tests replace
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
from quests.objectives.state import read_check
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
        manifest = self.link.manifest(store)
        since = min((e.block for e in manifest.entries.values()), default=0)
        world = SuiteState(self.link.suite(store), since)
        block = self.head_block()
        return [StateReading(check, read_check(world, check, token_id, address), token_id, block)
                for check, token_id in sorted(checks, key=lambda c: (c[0], c[1] or 0))]


class SuiteState:
    """:class:`quests.objectives.state.PlayerState` read from the deployed suite."""

    def __init__(self, suite: Suite, since: int = 0) -> None:
        self.suite = suite
        self.since = since  # the suite's first block: where a count of the player's logs starts

    def sahara_balance(self, address: str) -> int:
        return self.suite.token.balance_of(address)

    def stake(self, address: str) -> int:
        return self.suite.staking.staked_of(address)

    def voting_power(self, address: str) -> int:
        return int(self.suite.staking.call("votingPower", address))

    def pending_revenue(self, address: str) -> int:
        return self.suite.market.pending_revenue(address)

    def accepted_labels(self, address: str) -> int:
        return int(self.suite.data.call("acceptedCount", address))

    def has_identity(self, address: str) -> bool:
        return bool(self.suite.identity.id_of(address))

    def shard_balance(self, address: str, token_id: int) -> int:
        return self.suite.shards.balance_of(address, token_id)

    def legend_balance(self, address: str) -> int:
        return self.suite.relic.balance_of(address, LEGEND_ID)

    def listings_made(self, address: str) -> int:
        # No view counts a seller's listings; their Listed logs do (seller is indexed).
        return len(event_logs(self.suite.market, "Listed", self.since, None, topic(address)))


def init_app(app: Flask) -> None:
    app.extensions["legends.chain_reader"] = ChainReader(app.extensions["legends.chain"],
                                                         app.extensions["legends.db"].sessions)


def get_reader() -> StateSource:
    return current_app.extensions["legends.chain_reader"]
