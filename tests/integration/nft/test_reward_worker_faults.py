"""Exactly-once minting against a real devnet: crash the worker between any two steps (or
kill its process), take the chain away, make a batch revert — a fresh worker always ends
with every grant confirmed and on-chain balances equal to the ledger, to the wei."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from reward_support import (
    add_player,
    assert_chain_matches_ledger,
    batches,
    free_port,
    fresh_address,
    fresh_minter,
    fresh_worker,
    grant_states,
    grants,
    later,
    ledger_sessions,
    onchain_minted,
    record,
    sahara_grants,
    shard_grants,
)

from chain import artifacts
from chain.bindings import Suite
from chain.deploy import deploy_suite
from chain.devnet import Devnet, DevnetConfig
from chain.keyring import devnet_custody
from chain.rpc import JsonRpcChain
from chain.store import MemoryManifestStore
from chain.txmanager import TxManager
from nft import outbox_batches
from nft.ledger import Grant, GrantKind
from nft.worker import STEPS, RewardWorker, SimulatedCrash, crash_at
from quests.orm import utcnow

pytestmark = pytest.mark.devnet
REPO = Path(__file__).resolve().parents[3]


def some_grants(n: int = 6) -> tuple[list[str], list[Grant]]:
    players = [fresh_address() for _ in range(n)]
    return players, shard_grants(players) + sahara_grants(players[: n // 2])


# What the ledger and the chain look like right after the crash, before any restart.
AFTER_CRASH = {
    "planned": ({"pending": 9}, [False, False, False]),
    "before_send": ({"sending": 9}, [False, False, False]),
    "after_send": ({"sending": 9}, [True, False, False]),
    "after_receipt": ({"sending": 9}, [True, True, True]),
    "before_commit": ({"sending": 9}, [True, True, True]),
}


@pytest.mark.parametrize("step", STEPS)
def test_a_crash_at_any_step_neither_loses_nor_doubles_a_reward(step, tmp_path, database_url, devnet, suite,
                                                                 signers):
    sessions = ledger_sessions(database_url)
    players, owed = some_grants()
    record(sessions, owed)  # 6 shard grants + 3 SAHARA grants: batches of 4, 2 and 3
    crashing = fresh_worker(sessions, devnet.config.url, suite, signers, max_entries=4,
                            hook=crash_at(step))
    with pytest.raises(SimulatedCrash):
        crashing.run_once()
    states, minted = AFTER_CRASH[step]
    assert grant_states(sessions) == states
    if step == "after_send":
        # Anvil mines a broadcast a moment after eth_sendRawTransaction answers; under load
        # the read below could otherwise come first.
        suite.shards.tx.chain.wait(batches(sessions)[0].tx_hash, 10)
    assert onchain_minted(suite, sessions) == minted

    restarted = fresh_worker(sessions, devnet.config.url, suite, signers, max_entries=4)
    cycle = restarted.run_once()
    assert cycle.errors == [] and cycle.confirmed == 9
    assert_chain_matches_ledger(sessions, suite, players)
    assert all(b.state == "confirmed" for b in batches(sessions))
    # Nothing is left to do, and running again mints nothing more.
    assert not restarted.run_once().busy
    assert_chain_matches_ledger(sessions, suite, players)


def test_crashing_at_every_step_in_turn_still_pays_exactly_once(database_url, devnet, suite, signers):
    sessions = ledger_sessions(database_url)
    players, owed = some_grants(10)
    record(sessions, owed)
    for step in STEPS:
        worker = fresh_worker(sessions, devnet.config.url, suite, signers, max_entries=3,
                              hook=crash_at(step, times=2))
        with pytest.raises(SimulatedCrash):
            worker.run_once()
        more = [fresh_address(step) for _ in range(2)]  # grants keep arriving meanwhile
        players += more
        record(sessions, shard_grants(more, source=f"oasis-{step.replace('_', '-')}"))
    final = fresh_worker(sessions, devnet.config.url, suite, signers, max_entries=3)
    final.run_once()
    final.run_once()
    assert_chain_matches_ledger(sessions, suite, players)


KILLER = """
import json, os, signal, sys
sys.path[:0] = [{repo!r}, {tests!r}]
from sqlalchemy.orm import sessionmaker
from chain.keyring import instance_keyring
from chain.bindings import Suite
from chain.rpc import JsonRpcChain
from chain.txmanager import TxManager
from chain import artifacts
from legends.db import make_engine
from reward_support import fresh_worker

def kill(step, batch_id):
    if step == {step!r}:
        os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no rollback, no flush

tx = TxManager(JsonRpcChain({url!r}), artifacts.error_decoder())
suite = Suite.bind(json.loads({addresses!r}), tx)
sessions = sessionmaker(make_engine({db!r}), expire_on_commit=False)
signers = instance_keyring({keys!r}).signers  # the session's devnet keys
fresh_worker(sessions, {url!r}, suite, signers, max_entries=4, hook=kill).run_once()
"""


@pytest.mark.parametrize("step", ["after_send", "before_commit"])
def test_a_killed_worker_process_is_reconciled_by_the_next_one(step, tmp_path, database_url, devnet, suite,
                                                               signers, keyring_home):
    db = database_url
    sessions = ledger_sessions(database_url)
    players, owed = some_grants()
    record(sessions, owed)
    addresses = json.dumps({c.contract_name: c.address for c in suite.all()})
    script = KILLER.format(repo=str(REPO), tests=str(Path(__file__).parent), step=step,
                           url=devnet.config.url, addresses=addresses, db=db,
                           keys=str(keyring_home))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == -9, done.stderr  # SIGKILL
    assert grant_states(sessions) == {"sending": 9}
    restarted = fresh_worker(sessions, devnet.config.url, suite, signers, max_entries=4)
    assert restarted.run_once().confirmed == 9
    assert_chain_matches_ledger(sessions, suite, players)


def test_a_reverting_batch_gives_its_grants_back_then_fails_them_after_max_attempts(
        tmp_path, database_url, devnet, suite, signers, chain_tx):
    sessions = ledger_sessions(database_url)
    players = [fresh_address() for _ in range(3)]
    record(sessions, shard_grants(players))
    admin, minter = signers.deployer.address, signers.minter.address
    role = suite.shards.call("MINTER_ROLE")
    suite.shards.transact(admin, "revokeRole", role, minter)  # every mintBatch now reverts

    worker = fresh_worker(sessions, devnet.config.url, suite, signers, max_attempts=2)
    assert worker.run_once().released == 1
    assert {g.state for g in grants(sessions)} == {"pending"}
    assert [g.attempts for g in grants(sessions)] == [1, 1, 1]
    assert worker.run_once().released == 1  # same grants, same batch id, row reused
    assert {g.state for g in grants(sessions)} == {"failed"}
    assert [b.state for b in batches(sessions)] == ["failed"]
    assert not worker.run_once().busy  # failed grants wait for an admin

    suite.shards.transact(admin, "grantRole", role, minter)
    with sessions.begin() as session:
        assert outbox_batches.retry_failed(session) == 3
    assert worker.run_once().confirmed == 3
    assert_chain_matches_ledger(sessions, suite, players)


def test_an_unreachable_chain_defers_everything_and_pays_once_it_is_back(tmp_path, database_url, signers,
                                                                         keyring):
    sessions = ledger_sessions(database_url)
    node = Devnet(DevnetConfig(instance_path=tmp_path / "private", port=free_port()))
    node.start()
    try:
        tx = TxManager(JsonRpcChain(node.config.url), artifacts.error_decoder())
        manifest, _ = deploy_suite(tx, signers, MemoryManifestStore(), say=lambda _m: None,
                                   custody=devnet_custody(keyring))
        suite = Suite.bind(manifest.addresses, tx)
        players, owed = some_grants()
        record(sessions, owed[:3])
        worker = RewardWorker(sessions, fresh_minter(node.config.url, suite, signers),
                              receipt_timeout=2.0)
        assert worker.run_once().confirmed == 3
    finally:
        node.stop()  # anvil saves its state; the worker keeps running
    record(sessions, owed[3:])
    cycle = worker.run_once()
    assert cycle.deferred == 2 and cycle.confirmed == 0
    assert "unreachable" in cycle.errors[0]
    # Nothing confirmed, nothing failed: every grant is still owed. (A batch the worker could
    # sign offline, from cached nonce and fees, is "sending": its tx hash is recorded.)
    states = grant_states(sessions)
    assert states["confirmed"] == 3 and set(states) <= {"confirmed", "pending", "sending"}
    waiting = [b for b in batches(sessions) if b.state != "confirmed"]
    now = utcnow().replace(tzinfo=None)
    assert len(waiting) == 2
    assert all(b.next_attempt_at.replace(tzinfo=None) > now for b in waiting)
    assert all("unreachable" in b.last_error for b in waiting)
    assert not worker.run_once().busy  # not due yet: no hammering of a dead node

    node.start()  # the same chain comes back
    try:
        worker.clock = later(3600)
        assert worker.run_once().confirmed == 6
        assert_chain_matches_ledger(sessions, suite, players)
    finally:
        node.stop()


def test_a_worker_started_without_a_chain_leaves_grants_pending_until_it_answers(
        tmp_path, database_url, devnet, suite, signers):
    sessions = ledger_sessions(database_url)
    players, owed = some_grants()
    record(sessions, owed)
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    worker = RewardWorker(sessions, fresh_minter(dead, suite, signers))
    cycle = worker.run_once()
    assert cycle.deferred == 2 and "unreachable" in cycle.errors[0]
    assert grant_states(sessions) == {"pending": 9}  # never signed: certainly not on chain
    now = utcnow().replace(tzinfo=None)
    assert all(b.state == "pending" and b.next_attempt_at.replace(tzinfo=None) > now
               for b in batches(sessions))
    back = fresh_worker(sessions, devnet.config.url, suite, signers, clock=later(600))
    assert back.run_once().confirmed == 9
    assert_chain_matches_ledger(sessions, suite, players)


def test_the_worker_loop_mints_what_arrives_until_stopped(tmp_path, database_url, devnet, suite, signers):
    sessions = ledger_sessions(database_url)
    worker = fresh_worker(sessions, devnet.config.url, suite, signers)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), kwargs={"idle": 0.05}, daemon=True)
    thread.start()
    try:
        players, owed = some_grants()
        record(sessions, owed)
        deadline = time.monotonic() + 20
        while grant_states(sessions) != {"confirmed": 9} and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert_chain_matches_ledger(sessions, suite, players)


def test_xp_is_never_minted(tmp_path, database_url, devnet, suite, signers):
    sessions = ledger_sessions(database_url)
    player = fresh_address()
    add_player(sessions, player)
    record(sessions, [Grant(player, "gate-first-steps", "once", GrantKind.XP, 50)])
    worker = fresh_worker(sessions, devnet.config.url, suite, signers)
    assert not worker.run_once().busy
    assert batches(sessions) == []
