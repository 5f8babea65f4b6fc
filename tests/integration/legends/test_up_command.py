"""`legends up` (what `make run` runs) serves the deployed suite; Ctrl-C stops it all."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from netutil import free_port

pytestmark = pytest.mark.devnet  # `legends up` starts a devnet of its own

LEGENDS = str(Path(sys.executable).with_name("legends"))


def wait_for_health(url: str, process: subprocess.Popen, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "legends up exited early"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.load(response)
        except urllib.error.HTTPError as exc:
            return json.load(exc)
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the app never answered /healthz")


def start_up(tmp_path: Path, web_port: int, chain_port: int) -> subprocess.Popen:
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path / "instance"),
           "DEVNET_PORT": str(chain_port), "PUBLIC_URL": f"http://127.0.0.1:{web_port}"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return subprocess.Popen(
        [LEGENDS, "up", "--port", str(web_port)], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL,
        # Like a terminal: default SIGINT handling, its own process group.
        preexec_fn=lambda: (signal.signal(signal.SIGINT, signal.SIG_DFL), os.setpgrp()),
    )


def test_up_serves_the_suite_and_ctrl_c_stops_everything_keeping_state(tmp_path):
    web_port, chain_port = free_port(), free_port()
    process = start_up(tmp_path, web_port, chain_port)
    try:
        health = wait_for_health(f"http://127.0.0.1:{web_port}/healthz", process)
        assert health["status"] == "ok", health
        version = health["chain"]["suite"]["version"]
    finally:
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "devnet stopped (state saved)" in output
    assert "Traceback" not in output
    pid_file = tmp_path / "instance" / "devnet" / "anvil.pid"
    assert not pid_file.exists()
    # The devnet's service keys were drawn for this instance, private to its owner.
    keys = {p.name: p for p in (tmp_path / "instance" / "keys" / "devnet").iterdir()}
    assert {"deployer.key", "minter.key", "faucet.key", "attester.key"} <= set(keys)
    assert {stat.S_IMODE(p.stat().st_mode) for p in keys.values()} == {0o600}
    drawn = {name: p.read_text() for name, p in keys.items()}
    assert health["ledger"] == {"ok": True, "unledgered_mints": 0, "sample": []}

    # Second start: the devnet comes back with the suite where it was; nothing redeploys.
    process = start_up(tmp_path, web_port, chain_port)
    try:
        health = wait_for_health(f"http://127.0.0.1:{web_port}/healthz", process)
        assert health["chain"]["suite"]["version"] == version
    finally:
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert "0 deployed, 9 unchanged" in output
    assert {p.name: p.read_text() for p in keys.values()} == drawn, "the same keys, reused"
    assert "funded:" not in output and "handed over" not in output, "nothing left to do"
