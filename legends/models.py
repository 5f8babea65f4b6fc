"""Every package's table metadata, for Alembic."""

from __future__ import annotations

from sqlalchemy import MetaData


def all_metadata() -> list[MetaData]:
    from chain.store import ChainBase

    return [ChainBase.metadata]
