"""Shared fixtures: a real devnet per test session (snapshot/revert around each test),
PostgreSQL and Redis when reachable (required when CI=true), and the Flask app.

Every test built on ``make_app`` (and so on ``app``, ``client`` and the folders' app
fixtures) runs twice, ``[sqlite]`` and ``[postgres]``: the ``database`` fixture is
parametrised in ``pytest_generate_tests``. The PostgreSQL runs share one private schema,
migrated once per session and emptied (TRUNCATE) before each test."""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from flask import Flask
from flask.testing import FlaskClient
from netutil import free_port

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL") or os.environ.get(
    "DATABASE_URL", "postgresql://127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), 1):
            return True
    except OSError:
        return False


# -- markers, applied by what a test uses ----------------------------------------------
# `pytest -m "not devnet"` runs the pure and database tiers alone, without starting anvil.
# A test gets a marker from the fixtures it uses (directly or through other fixtures), from a
# parametrized backend named "postgres", or from its module's own `pytestmark` (tests that
# start a devnet of their own, e.g. through the CLI, say so there).
FIXTURE_MARKERS = {
    "devnet": "devnet",
    "postgres_url": "postgres",
    "postgres_tier": "postgres",
    "redis_url": "redis",
    "page": "browser",
    "browser": "browser",
}
POSTGRES_PARAMS = {"postgres", "postgresql"}


def markers_for(item: pytest.Item) -> set[str]:
    names = set(getattr(item, "fixturenames", ()))
    found = {marker for fixture, marker in FIXTURE_MARKERS.items() if fixture in names}
    callspec = getattr(item, "callspec", None)
    if callspec is not None and POSTGRES_PARAMS & {str(v) for v in callspec.params.values()}:
        found.add("postgres")
    if "e2e" in Path(str(item.path)).parts:
        found.add("browser")
    return found


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Both databases for every test on the app's database. A test that asks for
    ``postgres_url`` itself is about PostgreSQL alone (it passes that URL); a test marked
    ``sqlite_only`` says why; the browser tests keep one database (SQLite): each browser
    package is a long session of its own, and what they add over the API tests is the
    browser, not the database."""
    names = metafunc.fixturenames
    if "database" not in names or "postgres_url" in names:  # the latter chooses its database itself
        return
    if "e2e" in Path(str(metafunc.definition.path)).parts or metafunc.definition.get_closest_marker(
            "sqlite_only"):
        metafunc.parametrize("database", ["sqlite"], indirect=True)
    else:
        metafunc.parametrize("database", DATABASES, indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for marker in sorted(markers_for(item) - {m.name for m in item.iter_markers()}):
            item.add_marker(getattr(pytest.mark, marker))


@pytest.fixture(scope="session")
def refusing_anvil(tmp_path_factory) -> str:
    script = tmp_path_factory.mktemp("no-anvil") / "anvil"
    script.write_text("#!/bin/sh\necho 'this test starts anvil: mark it devnet' >&2\nexit 1\n")
    script.chmod(0o755)
    return str(script)


@pytest.fixture(autouse=True)
def _no_anvil_without_the_devnet_marker(request, monkeypatch):
    """A test not marked ``devnet`` cannot start anvil, in this process or a child: so
    ``-m "not devnet"`` really runs without one, and a test that needs it says so."""
    if request.node.get_closest_marker("devnet") is None:
        monkeypatch.setenv("ANVIL_BIN", request.getfixturevalue("refusing_anvil"))


def need_service(url: str, port: int, name: str) -> None:
    if not reachable(url, port):
        if IN_CI:
            pytest.fail(f"{name} at {url} is required in CI but not reachable")
        pytest.skip(f"{name} not reachable at {url}")


# -- databases -------------------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_url():
    """A private schema in the PostgreSQL test database, dropped afterwards."""
    need_service(POSTGRES_URL, 5432, "PostgreSQL")
    import sqlalchemy as sa

    base = POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"legends_test_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


DATABASES = ["sqlite", "postgres"]


class PostgresTier:
    """One private schema for the PostgreSQL runs of the app tests: migrated once, emptied
    before each test. Emptying needs every table's lock, so a connection left inside a
    transaction by a test would block it: then a fresh schema is made and migrated instead."""

    def __init__(self, base: str) -> None:
        import sqlalchemy as sa

        self.base = base
        self.admin = sa.create_engine(base, poolclass=sa.pool.NullPool)
        self.schemas: list[str] = []
        self.url = self._fresh()

    def _fresh(self) -> str:
        import sqlalchemy as sa

        from legends import migrate

        schema = f"legends_tier_{uuid.uuid4().hex[:8]}"
        with self.admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        self.schemas.append(schema)
        sep = "&" if "?" in self.base else "?"
        url = f"{self.base}{sep}options=-csearch_path%3D{schema}"
        migrate.upgrade(url)
        self.dirty = False
        return url

    def empty(self) -> str:
        """The schema's URL with every table empty (and every id sequence restarted)."""
        import sqlalchemy as sa

        if not self.dirty:
            self.dirty = True
            return self.url
        schema = self.schemas[-1]
        try:
            with self.admin.begin() as conn:
                conn.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
                tables = conn.scalars(sa.text(
                    "SELECT tablename FROM pg_tables"
                    " WHERE schemaname = :s AND tablename != 'alembic_version'"),
                    {"s": schema}).all()
                names = ", ".join(f'"{schema}"."{t}"' for t in tables)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        except sa.exc.OperationalError:
            self.url = self._fresh()
        self.dirty = True
        return self.url

    def drop(self) -> None:
        import sqlalchemy as sa

        with self.admin.begin() as conn:
            for schema in self.schemas:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_tier():
    need_service(POSTGRES_URL, 5432, "PostgreSQL")
    tier = PostgresTier(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    yield tier
    tier.drop()


@pytest.fixture
def database(request) -> str | None:
    """The DATABASE_URL of this run of a test: None (SQLite in the instance folder) or the
    PostgreSQL tier's schema, emptied. Parametrised by ``pytest_generate_tests``."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return None
    return request.getfixturevalue("postgres_tier").empty()


@pytest.fixture
def database_url(database: str | None, tmp_path: Path) -> str:
    """This run's database as a URL, migrated: the PostgreSQL tier's schema, or a SQLite file
    (for tests of the ledger, the indexer or processes that need no app here)."""
    if database:
        return database
    from legends import migrate

    url = f"sqlite:///{tmp_path / 'legends.db'}"
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def redis_url():
    need_service(REDIS_URL, 6379, "Redis")
    return REDIS_URL


# -- devnet ----------------------------------------------------------------------------
@pytest.fixture(scope="session")
def devnet(tmp_path_factory):
    """One real anvil for the whole session."""
    from chain.devnet import Devnet, DevnetConfig

    node = Devnet(DevnetConfig(instance_path=tmp_path_factory.mktemp("devnet"), port=free_port()))
    node.start()
    yield node
    node.stop()


@pytest.fixture(scope="session")
def chain_tx(devnet):
    from chain import artifacts
    from chain.rpc import JsonRpcChain
    from chain.txmanager import TxManager

    return TxManager(JsonRpcChain(devnet.config.url), artifacts.error_decoder())


@pytest.fixture(scope="session")
def keyring_home(tmp_path_factory) -> Path:
    """An instance folder holding the session's devnet keys (``keys/devnet/``): every app a
    test builds gets a copy, so the app and the session's deployment share their keys."""
    from chain.keyring import instance_keyring

    home = tmp_path_factory.mktemp("keyring")
    instance_keyring(home)
    return home


@pytest.fixture(scope="session")
def keyring(keyring_home):
    from chain.keyring import instance_keyring

    return instance_keyring(keyring_home)


@pytest.fixture(scope="session")
def signers(keyring):
    """The service keys of the session's devnet: drawn per instance, as the app draws them
    (the public dev mnemonic holds no role of the suite)."""
    return keyring.signers


@pytest.fixture(scope="session")
def deployed(chain_tx, signers, keyring):
    """The suite deployed once per session, as ``legends deploy`` does: (manifest, Suite)."""
    from chain.bindings import Suite
    from chain.deploy import deploy_suite
    from chain.keyring import devnet_custody
    from chain.store import MemoryManifestStore

    manifest, _ = deploy_suite(chain_tx, signers, MemoryManifestStore(), say=lambda _m: None,
                               custody=devnet_custody(keyring))
    return manifest, Suite.bind(manifest.addresses, chain_tx)


@pytest.fixture
def suite(deployed, chain_tx):
    """The deployed suite, with the chain rolled back after the test."""
    snap = chain_tx.chain.snapshot()
    yield deployed[1]
    chain_tx.chain.revert(snap)
    chain_tx.forget_nonces()


@pytest.fixture(scope="session")
def player_accounts():
    """Four player keys from the dev mnemonic (derived once: derivation is slow)."""
    from chain.accounts import FIRST_PLAYER_INDEX, dev_account

    return [dev_account(FIRST_PLAYER_INDEX + i) for i in range(4)]


@pytest.fixture
def players(chain_tx, player_accounts):
    """Player addresses with 100 ETH each, registered with the tx manager. Anvil only
    funds dev accounts 0-9, so the balance is set here (rolled back with the snapshot)."""
    for account in player_accounts:
        chain_tx.add_signer(account)
        chain_tx.chain.request("anvil_setBalance", [account.address, hex(100 * 10**18)])
    return [a.address for a in player_accounts]


# -- app -------------------------------------------------------------------------------
def copy_keyring(keyring_home: Path, instance: Path) -> None:
    """The session's devnet keys into an instance folder (modes kept: 0600)."""
    import shutil

    shutil.copytree(keyring_home / "keys", instance / "keys", dirs_exist_ok=True)


@pytest.fixture
def make_app(tmp_path: Path, database: str | None, keyring_home: Path):
    """Build an app in a private instance folder (with the session's devnet keys) on this
    run's migrated database (SQLite there, or the PostgreSQL tier's schema); every app built
    shares it, as processes of one instance do. Its engines are closed after the test."""
    from legends import create_app, migrate

    built = []

    def build(**overrides):
        config = {"ENV_NAME": "testing", "INSTANCE_PATH": str(tmp_path / "instance"),
                  "DATABASE_URL": database, **overrides}
        copy_keyring(keyring_home, Path(config["INSTANCE_PATH"]))
        app = create_app(config)
        if config["DATABASE_URL"] != database or database is None:
            migrate.upgrade(app.extensions["legends.db"].url)  # the tier's schema is migrated
        built.append(app)
        return app

    yield build
    for app in built:
        app.extensions["legends.db"].engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


# -- the test client, as the game's browser client calls ----------------------------------
class BrowserClient(FlaskClient):
    """Flask's test client sending ``X-Requested-With: legends`` on every request, as the
    browser client does on its changes (``legends.auth.forgery`` requires it of a request with
    the session cookie). A test of a forged request drops it: ``client.environ_base.pop(
    "HTTP_X_REQUESTED_WITH")``."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_X_REQUESTED_WITH"] = "legends"


Flask.test_client_class = BrowserClient
