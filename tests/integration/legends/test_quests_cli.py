"""``legends quests load``: validate the catalog and load it; a bad file is one line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, select

from legends.cli import cli
from quests.store import QuestDefinition


@pytest.fixture
def run(tmp_path, database):
    """``legends *args`` on this run's database (the instance folder's SQLite, or PostgreSQL)."""
    env = {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database or "",
           "LEGENDS_ENV": "testing"}
    return lambda *args: CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)


def test_loading_the_quests_puts_the_catalog_in_the_database(run, tmp_path, database):
    assert run("db", "upgrade").exit_code == 0
    result = run("quests", "load")
    assert result.exit_code == 0, result.output
    assert "36 quests, 36 added or changed" in result.output
    assert "0 added or changed" in run("quests", "load").output
    engine = create_engine(database or f"sqlite:///{tmp_path / 'instance' / 'legends.db'}")
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(QuestDefinition)) == 36
    engine.dispose()


def test_a_bad_catalog_file_is_reported_with_the_file_quest_and_field(run, tmp_path):
    run("db", "upgrade")
    bad = tmp_path / "bad.yaml"
    bad.write_text("region: gate\nquests:\n  - id: gate.bad\n    title: Bad\n    story: s\n"
                   "    objectives: [{type: checkin, min_streak: 0}]\n")
    result = run("quests", "load", str(bad))
    assert result.exit_code == 1
    assert "bad.yaml: quest 'gate.bad': field 'objectives[0].min_streak'" in result.output
    assert "Traceback" not in result.output
