"""Only one reward worker per database: a second one stands by (or, run once, refuses)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from legends.workers.locks import AlreadyRunning, only_one
from legends.workers.rewards import ROLE, run_worker


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    url = (f"sqlite:///{tmp_path / 'legends.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    engine = sa.create_engine(url)
    yield engine
    engine.dispose()


def test_a_second_holder_is_refused_until_the_first_lets_go(engine):
    with only_one(engine, ROLE):
        with pytest.raises(AlreadyRunning, match="another reward worker"):
            with only_one(engine, ROLE):
                pass
    with only_one(engine, ROLE):  # released: free again
        pass


def test_other_roles_do_not_block_each_other(engine):
    with only_one(engine, ROLE), only_one(engine, "caretaker"):
        pass


def test_another_schema_is_another_game_with_its_own_worker(postgres_url):
    """Advisory locks are database-wide: the key names the schema, so a game in another
    schema of the same database (another deployment, another test run) is not held up."""
    import uuid

    base = postgres_url.split("?")[0]
    admin = sa.create_engine(base)
    schema = f"legends_lock_{uuid.uuid4().hex[:8]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    here, there = sa.create_engine(postgres_url), sa.create_engine(f"{base}?options=-csearch_path%3D{schema}")
    try:
        with only_one(here, ROLE), only_one(there, ROLE):  # one each
            with pytest.raises(AlreadyRunning):
                with only_one(sa.create_engine(postgres_url), ROLE):  # but never two in one schema
                    pass
    finally:
        here.dispose()
        there.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_the_in_process_worker_stands_by_while_another_one_runs(make_app, monkeypatch):
    app = make_app(CHAIN_RPC_URL="http://127.0.0.1:1")
    said: list[str] = []
    monkeypatch.setattr("legends.workers.rewards.build_worker", lambda _app: object())
    stop = threading.Event()
    with only_one(app.extensions["legends.db"].engine, ROLE):
        thread = threading.Thread(target=run_worker, args=(app, stop, said.append))
        thread.start()
        thread.join(0.5)
        stop.set()
        thread.join(5)
    assert said == ["another reward worker is running on this database; standing by"]


def test_worker_once_refuses_while_another_worker_holds_the_database(make_app, database):
    from click.testing import CliRunner

    from legends.cli import cli

    app = make_app(CHAIN_RPC_URL="http://127.0.0.1:1")
    instance = app.instance_path
    with only_one(app.extensions["legends.db"].engine, ROLE):
        result = CliRunner().invoke(cli, ["worker", "--once"],
                                    env={"INSTANCE_PATH": instance, "DATABASE_URL": database or "",
                                         "CHAIN_RPC_URL": "http://127.0.0.1:1"})
    assert result.exit_code == 1
    assert "another reward worker is running" in result.output


def test_deployments_in_other_schemas_of_one_database_do_not_block_each_other(postgres_url):
    """The advisory lock is the database's: its key names the schema, so a reward worker in
    another schema (another deployment, another test run) does not make this one stand by."""
    other_schema = postgres_url.rsplit("%3D", 1)[0] + "%3Dpublic"
    mine, theirs = sa.create_engine(postgres_url), sa.create_engine(other_schema)
    try:
        with only_one(theirs, ROLE), only_one(mine, ROLE):
            with pytest.raises(AlreadyRunning):
                with only_one(mine, ROLE):
                    pass
    finally:
        mine.dispose()
        theirs.dispose()
