"""Bad input to the CLI: one line, non-zero exit, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

LEGENDS = str(Path(sys.executable).with_name("legends"))


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "INSTANCE_PATH": str(tmp_path / "instance"), "DEVNET_PORT": "1",
                **env}
    full_env.pop("DATABASE_URL", None)
    return subprocess.run([LEGENDS, *args], capture_output=True, text=True, env=full_env,
                          timeout=60, stdin=subprocess.DEVNULL)


def one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_unknown_network(tmp_path):
    one_line_error(run(tmp_path, "--network", "moon", "deploy"), "unknown network 'moon'")


def test_unreachable_rpc(tmp_path):
    run(tmp_path, "db", "upgrade")
    one_line_error(run(tmp_path, "--rpc-url", "http://127.0.0.1:1", "deploy"), "unreachable")


@pytest.mark.parametrize("key", ["zz", "0x1234"])
def test_bad_signer_key(tmp_path, key):
    run(tmp_path, "db", "upgrade")
    result = run(tmp_path, "--network", "external", "--rpc-url", "http://127.0.0.1:1", "deploy",
                 CHAIN_SIGNER_KEY=key)
    one_line_error(result, "signer key")


def test_missing_signer_key_off_the_devnet(tmp_path):
    run(tmp_path, "db", "upgrade")
    result = run(tmp_path, "--network", "external", "--rpc-url", "http://127.0.0.1:1", "deploy",
                 CHAIN_SIGNER_KEY="")
    one_line_error(result, "CHAIN_SIGNER_KEY")


def test_devnet_commands_refused_off_the_devnet(tmp_path):
    result = run(tmp_path, "--network", "external", "--rpc-url", "http://127.0.0.1:1",
                 "devnet", "start")
    one_line_error(result, "no bundled devnet")


def test_bad_environment_value(tmp_path):
    one_line_error(run(tmp_path, "devnet", "status", DEVNET_PORT="abc"), "DEVNET_PORT")
