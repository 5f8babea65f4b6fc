"""Persistence of the mint audit (:mod:`nft.mint_audit`): the unledgered mints found on chain,
and the ledger's batches they are judged against."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, UniqueConstraint, delete, func, select
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, Session, mapped_column

from nft.batching import MintTarget
from nft.ledger import GrantKind
from nft.mint_audit import Entry, Mint
from nft.store import Amount, RewardBatch, RewardGrant
from quests.orm import Base, address, intpk, timestamp


class UnledgeredMint(Base):
    """A shard mint found on chain that no ledger batch (nor a craft) accounts for."""

    __tablename__ = "unledgered_mint"
    __table_args__ = (UniqueConstraint("chain_id", "tx_hash", "log_index", "token_id"),)

    id: Mapped[intpk]
    chain_id: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = mapped_column(String(66))
    block: Mapped[int] = mapped_column(BigInteger, index=True)
    log_index: Mapped[int] = mapped_column(Integer)
    player: Mapped[address]
    token_id: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(Amount())
    operator: Mapped[address]
    found_at: Mapped[timestamp]


def ledger_batches(session: Session, batch_ids: Iterable[str]) -> dict[str, list[Entry]]:
    """The shard entries of the ledger's batches among ``batch_ids`` (lowercase hex)."""
    wanted = sorted({b.lower() for b in batch_ids})
    if not wanted:
        return {}
    rows = session.execute(
        select(RewardBatch.batch_id, RewardGrant.player, RewardGrant.token_id, RewardGrant.amount)
        .join(RewardGrant, RewardGrant.batch_ref == RewardBatch.id)
        .where(RewardBatch.batch_id.in_(wanted), RewardBatch.target == MintTarget.SHARDS.value,
               RewardGrant.kind == GrantKind.SHARDS.value))
    found: dict[str, list[Entry]] = {}
    for batch_id, player, token_id, amount in rows:
        found.setdefault(batch_id.lower(), []).append((player.lower(), int(token_id), amount))
    return found


def record(session: Session, chain_id: int, strays: Iterable[Mint], now: datetime) -> int:
    """Store ``strays`` (a mint seen before is not stored twice); returns how many are new."""
    new = 0
    for mint in strays:
        known = session.scalar(select(UnledgeredMint.id).where(
            UnledgeredMint.chain_id == chain_id, UnledgeredMint.tx_hash == mint.tx_hash,
            UnledgeredMint.log_index == mint.log_index, UnledgeredMint.token_id == mint.token_id))
        if known is None:
            session.add(UnledgeredMint(chain_id=chain_id, tx_hash=mint.tx_hash, block=mint.block,
                                       log_index=mint.log_index, player=mint.player,
                                       token_id=mint.token_id, amount=mint.amount,
                                       operator=mint.operator, found_at=now))
            new += 1
    session.flush()
    return new


def forget_from(session: Session, chain_id: int, block: int) -> None:
    """A reorg orphaned blocks from ``block`` on: what was found there is read again."""
    session.execute(delete(UnledgeredMint).where(UnledgeredMint.chain_id == chain_id,
                                                 UnledgeredMint.block >= block))


def summary(session: Session, chain_id: int | None, sample: int = 5) -> dict[str, object]:
    """How many unledgered mints this chain (None: any chain) has, and the newest few."""
    mine = UnledgeredMint.chain_id == chain_id if chain_id is not None else sa_true()
    count = session.scalar(select(func.count()).select_from(UnledgeredMint).where(mine)) or 0
    rows = session.scalars(select(UnledgeredMint).where(mine)
                           .order_by(UnledgeredMint.block.desc(), UnledgeredMint.id.desc())
                           .limit(sample))
    return {"count": count, "sample": [
        {"tx_hash": r.tx_hash, "block": r.block, "player": r.player, "token_id": r.token_id,
         "amount": str(r.amount), "operator": r.operator} for r in rows]}
