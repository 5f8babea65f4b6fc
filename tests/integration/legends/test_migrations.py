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


def drift(url: str) -> list:
    """What autogenerate would still do after ``upgrade head``: columns (and their types and
    nullability), tables, indexes and unique constraints the models and the schema disagree on.
    Server defaults are left out: their rendering differs between dialects."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": False})
            return compare_metadata(ctx, all_metadata())
    finally:
        engine.dispose()


# SQLite cannot reflect expression indexes (lower(address)); PostgreSQL compares them.
EXPRESSION_INDEX_WARNINGS = [
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
    pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index"),
]


@pytest.fixture(params=["sqlite", "postgres"])
def migrated_url(request, tmp_path):
    url = (f"sqlite:///{tmp_path / 'legends.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    migrate.upgrade(url)
    yield url
    migrate.downgrade(url, "base")


@EXPRESSION_INDEX_WARNINGS[0]
@EXPRESSION_INDEX_WARNINGS[1]
def test_models_match_the_migrated_schema(migrated_url):
    """Autogenerate finds nothing to do: models and migrations agree, indexes included."""
    assert drift(migrated_url) == []


@EXPRESSION_INDEX_WARNINGS[0]
@EXPRESSION_INDEX_WARNINGS[1]
def test_the_comparison_notices_a_missing_index(tmp_path):
    url = f"sqlite:///{tmp_path / 'legends.db'}"
    migrate.upgrade(url)
    engine = sa.create_engine(url)
    inspector = sa.inspect(engine)
    table = next(t for t in inspector.get_table_names() if inspector.get_indexes(t))
    index = inspector.get_indexes(table)[0]["name"]
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP INDEX "{index}"'))
    engine.dispose()
    assert [d[0] for d in drift(url)] == ["add_index"]


def test_the_app_factory_never_creates_tables(tmp_path):
    from legends import create_app

    app = create_app({"ENV_NAME": "testing", "INSTANCE_PATH": str(tmp_path)})
    url = app.extensions["legends.db"].url
    app.extensions["legends.db"].status()
    assert tables(url) == set()
