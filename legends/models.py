"""Every package's table metadata, for Alembic."""

from __future__ import annotations

from sqlalchemy import MetaData


def all_metadata() -> list[MetaData]:
    from chain.store import ChainBase
    from legends import auth_store  # noqa: F401  (registers its tables)
    from nft import store as reward_store  # noqa: F401  (registers its tables)
    from quests import store as quest_store  # noqa: F401  (registers its tables)
    from quests.orm import Base

    return [ChainBase.metadata, Base.metadata]
