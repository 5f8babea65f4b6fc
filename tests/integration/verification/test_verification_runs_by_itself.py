"""Verification runs by itself: as a daemon thread of the embedded app, and as its own
``legends indexer`` process; both stop cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from legends.workers import start_background
from legends.workers.verification import start_thread

LEGENDS = str(Path(sys.executable).with_name("legends"))


def verification_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "legends-verification"]


def wait_for(condition, timeout: float) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, f"not within {timeout}s"
        time.sleep(0.01)
    return time.monotonic() - started


def test_the_background_thread_completes_a_quest_within_a_second_of_the_block(vapp, funded, suite, sign_in,
                                                                              accept, verified, sink):
    player = funded[0]
    sign_in(player)
    stop = start_thread(vapp, sink=sink)
    try:
        accept(player, "gate.faucet")
        suite.token.transact(player, "claim")
        wait_for(lambda: "gate.faucet" in verified(player), timeout=1.0)
    finally:
        stop()
    assert verification_threads() == []


def test_start_background_runs_verification_and_stops_it_cleanly(vapp, suite):
    stop = start_background(vapp)
    try:
        assert len(verification_threads()) == 1
    finally:
        stop()
    assert verification_threads() == []


def test_the_indexer_process_verifies_and_stops_on_ctrl_c(vapp, devnet, funded, suite, sign_in, accept,
                                                          verified, tmp_path):
    player = funded[0]
    sign_in(player)
    accept(player, "gate.faucet")
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path / "instance"), "CHAIN_RPC_URL": devnet.config.url,
           "LEGENDS_ENV": "testing", "DATABASE_URL": vapp.config["DATABASE_URL"] or ""}
    process = subprocess.Popen(
        [LEGENDS, "indexer"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        stdin=subprocess.DEVNULL,
        preexec_fn=lambda: (signal.signal(signal.SIGINT, signal.SIG_DFL), os.setpgrp()))
    try:
        suite.token.transact(player, "claim")
        wait_for(lambda: "gate.faucet" in verified(player) or process.poll() is not None, timeout=30)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "gate.faucet" in verified(player), output
    assert "indexer stopped" in output and "Traceback" not in output
