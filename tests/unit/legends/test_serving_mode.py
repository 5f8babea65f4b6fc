"""Which async mode ``legends`` patches the process for, read from the command line before
anything is imported: gevent for serve/up on PostgreSQL, threading on SQLite, nothing else."""

from __future__ import annotations

import subprocess
import sys

import pytest

from legends import serving_mode
from legends.config import load_config

PG = load_config({"DATABASE_URL": "postgresql://127.0.0.1:5432/test"})
SQLITE = load_config({"DATABASE_URL": None})


@pytest.mark.parametrize(("argv", "config", "mode"), [
    (["serve"], PG, "gevent"),
    (["up", "--port", "5001"], PG, "gevent"),
    (["--network", "devnet", "serve", "--workers"], PG, "gevent"),
    (["--rpc-url", "http://127.0.0.1:8545", "up"], PG, "gevent"),
    (["serve"], SQLITE, "threading"),
    (["serve", "--async-mode", "threading"], PG, "threading"),
    (["serve", "--async-mode=gevent"], SQLITE, "gevent"),
    (["worker"], PG, None),
    (["indexer"], PG, None),
    (["--network", "serve", "db", "upgrade"], PG, None),  # "serve" is the option's value here
    ([], PG, None),
])
def test_the_serving_commands_pick_their_mode(argv, config, mode):
    assert serving_mode(argv, config) == mode


def test_importing_the_package_imports_no_networking():
    """``legends.main`` can only patch in time if ``import legends`` loads no socket yet."""
    code = ("import sys, legends; print(sorted(m for m in ('socket', 'ssl', 'threading', 'flask', "
            "'requests', 'psycopg', 'redis') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
