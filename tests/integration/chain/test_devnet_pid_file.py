"""``Devnet.stop`` kills only this devnet's anvil: a pid file naming any other process (pids
are reused; the file may be stale) is removed and that process survives."""

from __future__ import annotations

import os
import subprocess

import pytest
from netutil import free_port

from chain.devnet import Devnet, DevnetConfig


@pytest.fixture
def sleeper():
    process = subprocess.Popen(["sleep", "60"])
    yield process
    process.kill()
    process.wait()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def node_naming(tmp_path, pid: int, port: int) -> Devnet:
    node = Devnet(DevnetConfig(instance_path=tmp_path, port=port))
    node.config.folder.mkdir(parents=True, exist_ok=True)
    node.pid_file.write_text(str(pid))
    return node


def test_a_pid_file_naming_an_unrelated_process_leaves_it_alone(tmp_path, sleeper):
    node = node_naming(tmp_path, sleeper.pid, free_port())
    assert node.pid() is None
    assert node.stop() is False
    assert sleeper.poll() is None and alive(sleeper.pid), "the sleep must survive"
    assert not node.pid_file.exists()
    assert node.status()["pid"] is None


def test_a_pid_file_naming_another_devnets_anvil_leaves_it_running(tmp_path, devnet):
    """Another instance's anvil (same binary, another port) is not ours to stop."""
    ours = devnet.pid()
    assert ours is not None and devnet.is_ours(ours)
    node = node_naming(tmp_path, ours, free_port())
    assert node.stop() is False
    assert alive(ours) and devnet.answering()


def test_a_pid_file_naming_no_process_is_cleaned_up(tmp_path, sleeper):
    sleeper.kill()
    sleeper.wait()
    node = node_naming(tmp_path, sleeper.pid, free_port())
    assert node.stop() is False and not node.pid_file.exists()


@pytest.mark.devnet  # starts an anvil of its own
def test_our_own_anvil_is_stopped(tmp_path):
    node = Devnet(DevnetConfig(instance_path=tmp_path, port=free_port()))
    pid = node.start()
    try:
        assert node.pid() == pid and node.is_ours(pid)
    finally:
        assert node.stop() is True
    assert not alive(pid) and not node.pid_file.exists()
