"""Supervisor of the bundled devnet: anvil from npm, on loopback, state kept in the
instance folder so that a stop and start keeps every contract, balance and token."""

from __future__ import annotations

import os
import platform
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from chain.errors import ChainError, ConfigError, RpcUnavailable
from chain.rpc import JsonRpcChain

REPO_ROOT = Path(__file__).resolve().parent.parent


def find_anvil() -> str:
    """The pinned anvil binary from node_modules (or ``ANVIL_BIN``)."""
    if os.environ.get("ANVIL_BIN"):
        return os.environ["ANVIL_BIN"]
    arch = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine(), "amd64")
    system = platform.system().lower()
    for candidate in (
        REPO_ROOT / f"node_modules/@foundry-rs/anvil-{system}-{arch}/bin/anvil",
        REPO_ROOT / "node_modules/.bin/anvil",
    ):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("anvil")
    if found:
        return found
    raise ConfigError("anvil not found: run `make install` (npm install) first")


def command_line(pid: int) -> list[str]:
    """The arguments ``pid`` was started with; empty when no such process (or a zombie)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        raw = b""
    except OSError:
        return []
    if raw:
        return [part.decode(errors="replace") for part in raw.split(b"\0") if part]
    if Path("/proc/self/cmdline").exists():
        return []  # Linux: no process, or a zombie
    try:  # no /proc (macOS): ask ps
        found = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True,
                               text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return []
    return found.stdout.split()


@dataclass
class DevnetConfig:
    instance_path: Path
    port: int = 8545
    chain_id: int = 31337
    block_time: float | None = None  # None: a block per transaction, instantly
    state_interval: int = 5

    @property
    def folder(self) -> Path:
        return self.instance_path / "devnet"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Devnet:
    def __init__(self, config: DevnetConfig) -> None:
        self.config = config
        self.state_file = config.folder / "state.json"
        self.pid_file = config.folder / "anvil.pid"
        self.log_file = config.folder / "anvil.log"

    def command(self) -> list[str]:
        cfg = self.config
        cmd = [
            find_anvil(), "--host", "127.0.0.1", "--port", str(cfg.port),
            "--chain-id", str(cfg.chain_id), "--state", str(self.state_file),
            # Not --preserve-historical-states: it rewrites every past state at each dump,
            # which grew the file to hundreds of MB and slowed anvil to a crawl.
            "--state-interval", str(cfg.state_interval),
        ]
        if cfg.block_time:
            cmd += ["--block-time", str(cfg.block_time)]
        return cmd

    def pid(self) -> int | None:
        """The pid of our anvil, from the pid file: None when the file is missing or names
        no process, or a process that is not this devnet's anvil (pids are reused after a
        reboot or a crash, and the file may be stale)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if self.is_ours(pid) else None

    def is_ours(self, pid: int) -> bool:
        """Whether ``pid`` runs anvil on this devnet's port (its command line says so)."""
        argv = command_line(pid)
        # The binary itself, or a launcher running it (`node .bin/anvil`, `sh anvil`).
        if not any("anvil" in Path(arg).name for arg in argv[:2]):
            return False
        port = str(self.config.port)
        return any(a == "--port" and b == port for a, b in zip(argv, argv[1:])) or (
            f"--port={port}" in argv)

    def rpc(self) -> JsonRpcChain:
        return JsonRpcChain(self.config.url, timeout=2.0)

    def answering(self) -> bool:
        try:
            self.rpc().block_number()
        except ChainError:
            return False
        return True

    def start(self, timeout: float = 30.0) -> int:
        """Start anvil in the background (no-op when it already runs); returns its pid."""
        running = self.pid()
        if running and self.answering():
            return running
        if self.answering():
            raise ConfigError(f"port {self.config.port} is taken by another process")
        self.config.folder.mkdir(parents=True, exist_ok=True)
        log = open(self.log_file, "ab")
        process = subprocess.Popen(
            self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        self.pid_file.write_text(str(process.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ChainError(f"anvil exited with code {process.returncode}; see {self.log_file}")
            if self.answering():
                return process.pid
            time.sleep(0.05)
        self.stop()
        raise RpcUnavailable(self.config.url, f"anvil did not answer within {timeout:.0f}s")

    def stop(self, timeout: float = 15.0) -> bool:
        """Stop anvil; it dumps its state on SIGTERM. Returns False when it was not running
        (a pid file naming any other process is removed, and that process left alone)."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.waitpid(pid, os.WNOHANG)  # reap when it is our child
            except ChildProcessError:
                pass
            if not self.is_ours(pid):  # gone (a zombie has no command line either)
                break
            time.sleep(0.05)
        else:
            if self.is_ours(pid):
                os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def status(self) -> dict[str, object]:
        pid = self.pid()
        info: dict[str, object] = {"running": False, "pid": pid, "url": self.config.url}
        try:
            rpc = self.rpc()
            info.update(running=True, chain_id=rpc.chain_id(), block=rpc.block_number())
        except ChainError:
            pass
        return info
