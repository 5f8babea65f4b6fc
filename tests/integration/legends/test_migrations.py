"""Migrations are the only source of tables; they go up and down on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from legends import migrate
from legends.migrate import all_metadata


def expected_tables() -> set[str]:
    return {t for md in all_metadata() for t in md.tables}


def tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def round_trip(url: str) -> None:
    migrate.upgrade(url)
    assert tables(url) == expected_tables()
    migrate.downgrade(url, "base")
    assert tables(url) == set()
    migrate.upgrade(url)
    assert tables(url) == expected_tables()


def test_migrations_upgrade_and_downgrade_on_sqlite(tmp_path):
    round_trip(f"sqlite:///{tmp_path / 'legends.db'}")


def test_migrations_upgrade_and_downgrade_on_postgres(postgres_url):
    round_trip(postgres_url)
    migrate.downgrade(postgres_url, "base")


# SQLite cannot reflect expression indexes (lower(address)); PostgreSQL runs them.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_models_match_the_migrations(tmp_path):
    """Autogenerate finds nothing to do: models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    url = f"sqlite:///{tmp_path / 'legends.db'}"
    migrate.upgrade(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diffs = compare_metadata(ctx, all_metadata())
    engine.dispose()
    assert diffs == []


def test_the_app_factory_never_creates_tables(tmp_path):
    from legends import create_app

    app = create_app({"ENV_NAME": "testing", "INSTANCE_PATH": str(tmp_path)})
    url = app.extensions["legends.db"].url
    app.extensions["legends.db"].status()
    assert tables(url) == set()
