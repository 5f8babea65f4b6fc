"""Persistence of the chain package: the deployment manifest, the indexer cursor and the
recent block hashes the indexer checks to notice reorgs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from chain.deploy import Manifest, ManifestEntry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ChainBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _now() -> datetime:
    return datetime.now(UTC)


class Deployment(ChainBase):
    """One contract of the suite on one chain (the manifest is the set of rows)."""

    __tablename__ = "chain_deployment"
    __table_args__ = (UniqueConstraint("chain_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(42))
    code_hash: Mapped[str] = mapped_column(String(66))
    block: Mapped[int] = mapped_column(BigInteger)
    deployed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Cursor(ChainBase):
    """How far a follower of the chain (the indexer) has got, per chain."""

    __tablename__ = "chain_cursor"
    __table_args__ = (UniqueConstraint("chain_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(64))
    block: Mapped[int] = mapped_column(BigInteger)
    block_hash: Mapped[str] = mapped_column(String(66), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now,
                                                 onupdate=_now)


class IndexedBlock(ChainBase):
    """The hash of a block the indexer processed, kept for a while to notice reorgs.

    Block hashes are facts of the chain, not of a follower, so they are keyed by chain only.
    """

    __tablename__ = "chain_indexed_block"
    __table_args__ = (UniqueConstraint("chain_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain_id: Mapped[int] = mapped_column(BigInteger)
    number: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(66))


@dataclass(frozen=True)
class CursorState:
    block: int
    block_hash: str


PRUNE_EVERY = 32  # prune old block hashes when the cursor crosses a multiple of this


class CursorConflict(RuntimeError):
    """Another follower moved the cursor since this batch was planned."""


def load_cursor(session: Session, chain_id: int, name: str) -> CursorState | None:
    row = session.scalar(select(Cursor).where(Cursor.chain_id == chain_id, Cursor.name == name))
    return CursorState(row.block, row.block_hash) if row else None


def recent_hashes(session: Session, chain_id: int, below: int | None = None) -> list[tuple[int, str]]:
    """Stored (number, hash) pairs of ``chain_id``, highest first (only ``< below`` if given)."""
    query = select(IndexedBlock.number, IndexedBlock.hash).where(IndexedBlock.chain_id == chain_id)
    if below is not None:
        query = query.where(IndexedBlock.number < below)
    return [(n, h) for n, h in session.execute(query.order_by(IndexedBlock.number.desc()))]


def advance_cursor(session: Session, chain_id: int, name: str, *, expected: int | None,
                   block: int, block_hash: str, hashes: Iterable[tuple[int, str]],
                   forget_from: int | None, keep: int) -> None:
    """Move the cursor to ``block`` inside the caller's transaction.

    ``expected`` is the cursor block the batch was planned from: if another process moved it
    meanwhile, :class:`CursorConflict` makes the caller roll back instead of applying events
    twice. Hashes from ``forget_from`` on (orphaned by a reorg) are replaced by ``hashes``;
    rows more than ``keep`` blocks below ``block`` are pruned now and then.
    """
    where = (Cursor.chain_id == chain_id, Cursor.name == name)
    plain = {"synchronize_session": False}  # no ORM objects of these tables are loaded
    if expected is None:
        if session.scalar(select(Cursor.id).where(*where)) is not None:
            raise CursorConflict(f"cursor {name!r} on chain {chain_id} appeared meanwhile")
        session.execute(insert(Cursor).values(chain_id=chain_id, name=name, block=block,
                                              block_hash=block_hash, updated_at=_now()))
    else:
        moved = session.execute(update(Cursor).where(*where, Cursor.block == expected)
                                .values(block=block, block_hash=block_hash, updated_at=_now())
                                .execution_options(**plain))
        if moved.rowcount != 1:
            raise CursorConflict(f"cursor {name!r} on chain {chain_id} moved from block {expected}")
    mine = IndexedBlock.chain_id == chain_id
    fresh = dict(hashes)
    if forget_from is not None:
        session.execute(delete(IndexedBlock).where(mine, IndexedBlock.number >= forget_from)
                        .execution_options(**plain))
    elif fresh:  # a follower sharing the table (another cursor name) may have stored them
        session.execute(delete(IndexedBlock).where(mine, IndexedBlock.number >= min(fresh))
                        .execution_options(**plain))
    if fresh:  # upserted: a follower sharing the table may store the same block meanwhile
        session.execute(_upsert_hashes(session), [{"chain_id": chain_id, "number": n, "hash": h}
                                                  for n, h in fresh.items()])
    if expected is None or block // PRUNE_EVERY != expected // PRUNE_EVERY:  # not urgent
        session.execute(delete(IndexedBlock).where(mine, IndexedBlock.number < block - keep)
                        .execution_options(**plain))


def _upsert_hashes(session: Session):  # type: ignore[no-untyped-def]
    """INSERT .. ON CONFLICT (chain_id, number) DO UPDATE: two followers (the indexer and the
    mint watch) storing one block's hash at once both succeed, the later hash wins."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    statement = dialect_insert(IndexedBlock)
    return statement.on_conflict_do_update(index_elements=["chain_id", "number"],
                                           set_={"hash": statement.excluded.hash})


class SqlManifestStore:
    """:class:`chain.deploy.ManifestStore` over the database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def load(self, chain_id: int) -> Manifest:
        with self.sessions() as session:
            rows = session.scalars(select(Deployment).where(Deployment.chain_id == chain_id))
            return Manifest(chain_id, {
                r.name: ManifestEntry(r.name, r.address, r.code_hash, r.block) for r in rows
            })

    def chain_ids(self) -> list[int]:
        """The chains this database holds a deployment for (usually exactly one)."""
        with self.sessions() as session:
            return sorted(session.scalars(select(Deployment.chain_id).distinct()))

    def save(self, manifest: Manifest) -> None:
        with self.sessions.begin() as session:
            existing = {
                r.name: r
                for r in session.scalars(
                    select(Deployment).where(Deployment.chain_id == manifest.chain_id))
            }
            for entry in manifest.entries.values():
                row = existing.get(entry.name)
                if row is None:
                    session.add(Deployment(chain_id=manifest.chain_id, name=entry.name,
                                           address=entry.address, code_hash=entry.code_hash,
                                           block=entry.block))
                elif (row.address, row.code_hash) != (entry.address, entry.code_hash):
                    row.address, row.code_hash, row.block = entry.address, entry.code_hash, entry.block
                    row.deployed_at = _now()


class MemoryManifestStore:
    """In-memory store for scripts and benchmarks that need no database."""

    def __init__(self) -> None:
        self._by_chain: dict[int, Manifest] = {}

    def load(self, chain_id: int) -> Manifest:
        return self._by_chain.get(chain_id, Manifest(chain_id))

    def save(self, manifest: Manifest) -> None:
        self._by_chain[manifest.chain_id] = manifest
