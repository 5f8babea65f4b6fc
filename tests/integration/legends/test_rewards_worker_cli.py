"""``legends worker``: the reward worker as its own process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rewards_api_support import chain_app, grant

LEGENDS = str(Path(sys.executable).with_name("legends"))


def run(tmp_path: Path, *args: str, database: str | None = None) -> subprocess.CompletedProcess[str]:
    """``legends *args`` on the instance folder's SQLite database, or on ``database``."""
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path / "instance"), "DEVNET_PORT": "1",
           "DATABASE_URL": database or ""}
    return subprocess.run([LEGENDS, *args], capture_output=True, text=True, env=env, timeout=120,
                          stdin=subprocess.DEVNULL)


@pytest.mark.devnet
def test_worker_once_mints_what_the_ledger_owes(make_app, database, devnet, deployed, suite, tmp_path):
    from eth_account import Account

    app = chain_app(make_app, devnet, deployed)
    player = Account.create().address
    grant(app, player, "forge-first-agent", {"shards": {"forge": 2, "bazaar": 1}, "sahara": 5})
    result = run(tmp_path, "--rpc-url", devnet.config.url, "worker", "--once", database=database)
    assert result.returncode == 0, result.stderr
    assert "3 confirmed" in result.stdout
    assert suite.shards.balances(player, [3, 4]) == {3: 2, 4: 1}
    assert suite.token.balance_of(player) == 5 * 10**18


def test_worker_without_a_chain_is_a_one_line_error(make_app, tmp_path):
    make_app()  # a migrated database in the instance folder
    result = run(tmp_path, "--rpc-url", "http://127.0.0.1:1", "worker", "--once")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "unreachable" in lines[0]


@pytest.mark.devnet
def test_the_app_worker_counts_mints_at_the_confirmation_depth_and_polls_as_configured(
        make_app, devnet, deployed, suite, chain_tx):
    from datetime import timedelta

    from eth_account import Account

    from legends.workers.rewards import build_worker
    from quests.orm import utcnow

    app = chain_app(make_app, devnet, deployed, INDEXER_CONFIRMATIONS=1, CHAIN_RECEIPT_POLL_MS=25)
    worker = build_worker(app)
    assert worker.confirmations == 1 and worker.minter.tx.chain.poll == 0.025
    player = Account.create().address
    grant(app, player, "forge-first-agent", {"shards": {"forge": 2}})
    cycle = worker.run_once()
    assert cycle.sent == 1 and cycle.confirmed == 0 and cycle.waiting == 1  # mined at the head
    chain_tx.chain.mine()
    worker.clock = lambda: utcnow() + timedelta(seconds=10)  # past the batch's next look
    assert worker.run_once().confirmed == 1
    assert suite.shards.balances(player, [3]) == {3: 2}
