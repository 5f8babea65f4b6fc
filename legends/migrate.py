"""Alembic, driven from code: ``legends db upgrade`` and the tests use these."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, MetaData

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def all_metadata() -> list[MetaData]:
    """Every package's table metadata, for Alembic."""
    from chain.store import ChainBase
    from legends.admin import store as admin_store  # noqa: F401  (registers its tables)
    from legends.auth import store as auth_store  # noqa: F401  (registers its tables)
    from legends.realtime import store as realtime_store  # noqa: F401  (registers its tables)
    from legends.scheduler import store as scheduler_store  # noqa: F401  (registers its tables)
    from nft import mint_audit_store  # noqa: F401  (registers its tables)
    from nft import store as reward_store  # noqa: F401  (registers its tables)
    from quests import campaign_store  # noqa: F401  (registers its tables)
    from quests import store as quest_store  # noqa: F401  (registers its tables)
    from quests.orm import Base

    return [ChainBase.metadata, Base.metadata]
