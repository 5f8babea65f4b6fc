"""Persistence of the chain package: the deployment manifest and the indexer cursor."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, String, UniqueConstraint, select
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
