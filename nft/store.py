"""Persistence of the rewards: the grant ledger and the minting outbox's batches.

``reward_grant`` is the append-only ledger: a row is never deleted and what it owes (player,
kind, token, amount) never changes; only its outbox ``state`` and batch link move. Its
``grant_key`` column carries :attr:`nft.ledger.Grant.key` under a UNIQUE constraint, which is
what makes granting twice a no-op even when two requests race.

``reward_batch`` is one ``mintBatch`` call: its deterministic id (also passed on chain), the
last transaction signed for it and the retry bookkeeping. A grant's state says whether a
transaction carrying it may exist: ``pending`` grants (planned into a batch or not) were never
in a signed transaction; ``sending`` ones may be on chain.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, String, TypeDecorator, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quests.orm import Base, address, intpk, timestamp, utcnow


class Amount(TypeDecorator[int]):
    """A whole number of any size, stored as decimal text.

    SAHARA amounts are in wei (100 SAHARA = 10**20), beyond a BIGINT; SQLite has no exact
    wide numeric type, so text keeps them exact on both backends. Sums are done in Python.
    """

    impl = String(78)
    cache_ok = True

    def process_bind_param(self, value: int | None, dialect: object) -> str | None:
        return None if value is None else str(int(value))

    def process_result_value(self, value: str | None, dialect: object) -> int | None:
        return None if value is None else int(value)


class RewardBatch(Base):
    """One ``mintBatch`` transaction-to-be (and the last tx signed for it)."""

    __tablename__ = "reward_batch"
    # Recently confirmed batches are re-read in (mined block, id) order off this index.
    __table_args__ = (Index("ix_reward_batch_mined_block", "mined_block", "id"),)

    id: Mapped[intpk]
    batch_id: Mapped[str] = mapped_column(String(66), unique=True)  # 0x + 64 hex, on chain too
    target: Mapped[str] = mapped_column(String(16))  # nft.batching.MintTarget
    state: Mapped[str] = mapped_column(String(16), index=True)  # nft.batching.OutboxState
    entries: Mapped[int] = mapped_column(Integer)
    tx_hash: Mapped[str | None] = mapped_column(String(66))
    sender: Mapped[address | None]
    nonce: Mapped[int | None] = mapped_column(BigInteger)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # transactions signed
    failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive errors (backoff)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The block its mint was seen in when confirmed: a confirmed batch is looked at again
    # while this block is recent, in case a reorg deeper than the depth undid the mint.
    mined_block: Mapped[int | None] = mapped_column(BigInteger)

    grants: Mapped[list[RewardGrant]] = relationship(back_populates="batch")


UNPLANNED = text("state = 'pending' AND batch_ref IS NULL")


class RewardGrant(Base):
    """One line of the ledger: ``amount`` of ``kind`` (``token_id`` for shards) to ``player``."""

    __tablename__ = "reward_grant"
    # The worker plans the oldest unplanned grants (pending, no batch) off this partial
    # index in id order, without reading or sorting the rest of the backlog.
    __table_args__ = (Index("ix_reward_grant_unplanned", "id", postgresql_where=UNPLANNED,
                            sqlite_where=UNPLANNED),)

    id: Mapped[intpk]
    grant_key: Mapped[str] = mapped_column(String(200), unique=True)
    player: Mapped[address] = mapped_column(index=True)  # lowercase, as in the key
    source: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # nft.ledger.GrantKind
    token_id: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Amount())
    state: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # batches that reverted with it
    batch_ref: Mapped[int | None] = mapped_column(ForeignKey("reward_batch.id"), index=True)
    created_at: Mapped[timestamp]
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    batch: Mapped[RewardBatch | None] = relationship(back_populates="grants")
