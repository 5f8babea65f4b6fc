"""Helpers for the rewards tests: a migrated ledger database, fresh players, a worker that
behaves like a freshly started process, and the exactly-once check against the chain."""

from __future__ import annotations

import itertools
import socket
from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa
from eth_utils import keccak, to_checksum_address
from sqlalchemy.orm import Session, sessionmaker

from chain import artifacts
from chain.bindings import Suite
from chain.minter import ChainMinter
from chain.rpc import JsonRpcChain
from chain.txmanager import TxManager
from legends import migrate
from nft import outbox, outbox_reads
from nft.ledger import WEI_PER_SAHARA, Grant, GrantKind
from nft.store import RewardBatch, RewardGrant
from nft.tokens import SHARD_IDS
from nft.worker import RewardWorker
from quests.orm import Player, utcnow

_fresh = itertools.count()


def ledger_sessions(url: str) -> sessionmaker[Session]:
    """A migrated database at ``url`` with empty reward and player tables."""
    from legends.db import make_engine

    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        for table in ("reward_grant", "reward_batch", "auth_session", "player"):
            conn.execute(sa.text(f"DELETE FROM {table}"))
    return sessionmaker(engine, expire_on_commit=False)


def sqlite_sessions(tmp_path) -> sessionmaker[Session]:
    return ledger_sessions(f"sqlite:///{tmp_path / 'ledger.db'}")


def fresh_address(label: str = "player") -> str:
    """A never-used checksummed address (balances start at zero)."""
    return to_checksum_address(keccak(f"rewards-test-{label}-{next(_fresh)}".encode())[12:])


def add_player(sessions: sessionmaker[Session], address: str) -> None:
    with sessions.begin() as session:
        now = utcnow()
        session.add(Player(address=address, referral_code=keccak(address.encode()).hex()[:8],
                           xp=0, created_at=now, last_seen_at=now))


def shard_grants(players: list[str], source: str = "gate-first-steps", period: str = "once"
                 ) -> list[Grant]:
    """One grant per player of a few shards of a region that varies with the player."""
    return [Grant(p, source, period, GrantKind.SHARDS, 1 + i % 3, token_id=SHARD_IDS[i % 5])
            for i, p in enumerate(players)]


def sahara_grants(players: list[str], source: str = "gate-first-steps", period: str = "once"
                  ) -> list[Grant]:
    return [Grant(p, source, period, GrantKind.SAHARA, (10 + i) * WEI_PER_SAHARA)
            for i, p in enumerate(players)]


def record(sessions: sessionmaker[Session], grants: list[Grant]) -> list[outbox.GrantRecord]:
    with sessions.begin() as session:
        return outbox.record_grants(session, grants)


def fresh_minter(url: str, suite: Suite, signers) -> ChainMinter:
    """A minter with its own tx manager, as a freshly started worker process has."""
    tx = TxManager(JsonRpcChain(url, timeout=2.0), artifacts.error_decoder())
    tx.add_signer(signers.minter)
    return ChainMinter(tx, Suite.bind({c.contract_name: c.address for c in suite.all()}, tx),
                       signers.minter.address)


def fresh_worker(sessions, url: str, suite: Suite, signers, **options) -> RewardWorker:
    options.setdefault("receipt_timeout", 5.0)
    return RewardWorker(sessions, fresh_minter(url, suite, signers), **options)


def grant_states(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:
        return outbox_reads.state_counts(session)


def batches(sessions: sessionmaker[Session]) -> list[RewardBatch]:
    with sessions() as session:
        return list(session.scalars(sa.select(RewardBatch).order_by(RewardBatch.id)))


def grants(sessions: sessionmaker[Session]) -> list[RewardGrant]:
    with sessions() as session:
        return list(session.scalars(sa.select(RewardGrant).order_by(RewardGrant.id)))


def assert_chain_matches_ledger(sessions: sessionmaker[Session], suite: Suite,
                                players: list[str]) -> None:
    """On-chain balances equal the confirmed ledger sums exactly, and nothing is left open."""
    with sessions() as session:
        totals = outbox_reads.ledger_totals(session)
        assert outbox_reads.state_counts(session).keys() <= {"confirmed"}, outbox_reads.state_counts(session)
    for player in players:
        key = player.lower()
        onchain = suite.shards.balances(player, list(SHARD_IDS))
        expected = {t: totals.get((key, "shards", t), 0) for t in SHARD_IDS}
        assert onchain == expected, (player, onchain, expected)
        assert suite.token.balance_of(player) == totals.get((key, "sahara", None), 0), player


def free_port() -> int:
    """A port nothing listens on right now (not ``from conftest import``: several conftest
    modules share that name, and the one imported first wins)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def later(seconds: float):
    """A clock ``seconds`` ahead of now (to make deferred batches due)."""
    return lambda: utcnow() + timedelta(seconds=seconds)


@contextmanager
def mining_off(chain: JsonRpcChain):
    """The devnet stops mining on its own: transactions wait in its pool (stuck) until
    ``chain.mine()``. Afterwards the pool is emptied and mining per transaction resumes."""
    chain.set_automine(False)
    try:
        yield chain
    finally:
        for tx_hash in chain.pending_hashes():
            chain.drop_transaction(tx_hash)
        chain.set_automine(True)


class SpyingMinter(ChainMinter):
    """The real minter, keeping every transaction it broadcast (to replay one in a reorg)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.broadcasts: list = []

    def broadcast(self, signed):  # type: ignore[no-untyped-def]
        self.broadcasts.append(signed)
        return super().broadcast(signed)


def spying_worker(sessions, url: str, suite: Suite, signers, **options) -> RewardWorker:
    plain = fresh_minter(url, suite, signers)
    options.setdefault("receipt_timeout", 5.0)
    return RewardWorker(sessions, SpyingMinter(plain.tx, plain.suite, plain.sender), **options)


def onchain_minted(suite: Suite, sessions: sessionmaker[Session]) -> list[bool]:
    return [(suite.shards if b.target == "shards" else suite.token).call(
        "batchMinted", bytes.fromhex(b.batch_id[2:])) for b in batches(sessions)]
