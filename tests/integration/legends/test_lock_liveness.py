"""The single-instance locks hold up: a PostgreSQL holder whose connection dies notices, stops
its work and lets another process take over (or takes the lock again), and
``legends caretaker --once`` takes the same lock as the long-running caretaker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from legends.workers.locks import _key, run_as_only_one

# Advisory locks are per database, not per schema: a role of its own keeps this test clear of
# any other run's caretaker on the shared test database.
ROLE = f"caretaker-test-{uuid.uuid4().hex[:8]}"
LEGENDS = str(Path(sys.executable).with_name("legends"))


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def holder_pids(engine: sa.Engine) -> list[int]:
    with engine.connect() as conn:
        key = _key(ROLE, conn.scalar(sa.text("SELECT current_schema()")))
        return list(conn.scalars(sa.text(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 "
            "AND objid = CAST(:key AS oid)"), {"key": key}))


def terminate(engine: sa.Engine, pid: int) -> None:
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


class Holder:
    """One process's worth of ``run_as_only_one``: a thread, its own engine, a record."""

    def __init__(self, name: str, url: str, log: list[tuple[str, str]], *,
                 standby: float, give_up_when_lost: bool = False) -> None:
        self.name, self.log = name, log
        self.engine = sa.create_engine(url)
        self.stop = threading.Event()
        self.said: list[str] = []
        self.runs = 0
        self.give_up = give_up_when_lost
        self.thread = threading.Thread(target=run_as_only_one, args=(
            self.engine, ROLE, self.stop, self.work, self.say), kwargs={
            "standby_seconds": standby, "check_seconds": 0.05})

    def say(self, line: str) -> None:
        self.said.append(line)
        if self.give_up and "was lost" in line:
            self.stop.set()  # this process goes away after noticing: another takes over

    def work(self, held: threading.Event) -> None:
        self.runs += 1
        self.log.append((self.name, "working"))
        held.wait()
        self.log.append((self.name, "stopped"))

    def __enter__(self) -> Holder:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive()
        self.engine.dispose()


def test_a_holder_whose_connection_dies_stops_and_another_process_takes_over(postgres_url):
    log: list[tuple[str, str]] = []
    admin = sa.create_engine(postgres_url)
    with Holder("first", postgres_url, log, standby=0.05, give_up_when_lost=True) as first:
        wait_for(lambda: first.runs == 1)
        with Holder("second", postgres_url, log, standby=0.5) as second:
            wait_for(lambda: any("standing by" in line for line in second.said))
            time.sleep(0.3)  # several checks: a live lock is never taken for lost
            assert first.runs == 1 and second.runs == 0 and first.said == []
            [pid] = holder_pids(admin)
            terminate(admin, pid)
            wait_for(lambda: second.runs == 1)
            assert any("lock was lost" in line for line in first.said), first.said
            assert log[:3] == [("first", "working"), ("first", "stopped"), ("second", "working")]
            [new_pid] = holder_pids(admin)
            assert new_pid != pid
            assert not first.thread.is_alive() or first.stop.is_set()
    admin.dispose()


def test_a_holder_that_lost_its_lock_takes_it_again(postgres_url):
    log: list[tuple[str, str]] = []
    admin = sa.create_engine(postgres_url)
    with Holder("only", postgres_url, log, standby=0.05) as only:
        wait_for(lambda: only.runs == 1)
        time.sleep(0.3)  # several checks: a live lock is never taken for lost
        assert only.runs == 1 and only.said == []
        [pid] = holder_pids(admin)
        terminate(admin, pid)
        wait_for(lambda: only.runs == 2)
        assert log == [("only", "working"), ("only", "stopped"), ("only", "working")]
        [again] = holder_pids(admin)
        assert again != pid
    assert holder_pids(admin) == [], "stopping let the lock go"
    admin.dispose()


# -- caretaker --once ----------------------------------------------------------------------------
def caretaker(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [LEGENDS, "caretaker", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, stdin=subprocess.DEVNULL,
        preexec_fn=lambda: (signal.signal(signal.SIGINT, signal.SIG_DFL), os.setpgrp()))


@pytest.mark.devnet
def test_caretaker_once_refuses_while_the_long_running_caretaker_holds_the_lock(
        make_app, database, devnet, deployed, suite):
    from chain.store import SqlManifestStore

    app = make_app(CHAIN_RPC_URL=devnet.config.url)
    SqlManifestStore(app.extensions["legends.db"].sessions).save(deployed[0])
    env = {**os.environ, "INSTANCE_PATH": app.instance_path, "CHAIN_RPC_URL": devnet.config.url,
           "LEGENDS_ENV": "testing", "CARETAKER_TICK_SECONDS": "0.2"}
    env.pop("DATABASE_URL", None)
    if database is not None:  # the processes share the app's database, as one instance's do
        env["DATABASE_URL"] = database
    tending = caretaker(env)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(tending.stdout), daemon=True)
    reader.start()
    try:
        # Its first tick brings the caravan and tables a motion: it holds the lock then.
        wait_for(lambda: any("caretaker: " in line and "arrived" in line for line in lines)
                 or tending.poll() is not None, timeout=60)
        assert tending.poll() is None, "".join(lines)
        once = subprocess.run([LEGENDS, "caretaker", "--once"], env=env, capture_output=True,
                              text=True, timeout=60)
        assert once.returncode == 1, once.stdout + once.stderr
        assert "another caretaker is running on this database" in once.stdout + once.stderr
    finally:
        os.killpg(tending.pid, signal.SIGINT)
        tending.wait(30)
        reader.join(5)
    assert tending.returncode == 0, "".join(lines)
    # The long-running one is gone: --once does the work itself.
    once = subprocess.run([LEGENDS, "caretaker", "--once"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert once.returncode == 0, once.stdout + once.stderr
    assert "caretaker: " in once.stdout and "another caretaker" not in once.stdout
