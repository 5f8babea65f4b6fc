"""Shared pieces of the benchmarks: a private devnet with the suite deployed, simple
statistics and a fixed-width, markdown-compatible table printer."""

from __future__ import annotations

import math
import socket
import statistics
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from chain import artifacts
from chain.accounts import Signers
from chain.bindings import Suite
from chain.deploy import deploy_suite
from chain.devnet import Devnet, DevnetConfig
from chain.keyring import devnet_custody, instance_keyring
from chain.rpc import JsonRpcChain
from chain.store import MemoryManifestStore
from chain.txmanager import TxManager

COLUMNS: tuple[tuple[str, str], ...] = (
    ("benchmark", "benchmark"),
    ("n", "n"),
    ("seconds", "seconds"),
    ("per_second", "per second"),
    ("mints_per_second", "mints/s"),
    ("note", "note"),
)
NUMERIC = {"n", "seconds", "per_second", "mints_per_second"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def devnet_suite(port: int | None = None) -> Iterator[tuple[TxManager, Suite, Signers]]:
    """A private anvil (temp folder, free port unless ``port``) with the suite deployed,
    started exactly as ``legends up`` starts the devnet (state file included).

    Yields ``(tx_manager, suite, signers)``; anvil is stopped and the folder removed after.
    """
    with tempfile.TemporaryDirectory(prefix="legends-bench-") as folder:
        node = Devnet(DevnetConfig(instance_path=Path(folder), port=port or free_port()))
        node.start()
        try:
            tx = TxManager(JsonRpcChain(node.config.url), artifacts.error_decoder())
            keyring = instance_keyring(Path(folder))  # the service keys, as `legends up` draws them
            signers = keyring.signers
            manifest, _ = deploy_suite(tx, signers, MemoryManifestStore(), say=lambda _m: None,
                                       custody=devnet_custody(keyring))
            yield tx, Suite.bind(manifest.addresses, tx), signers
        finally:
            node.stop()


# -- statistics --------------------------------------------------------------------------
def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def p99(values: Sequence[float]) -> float:
    """99th percentile, nearest rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def rate(n: float, seconds: float) -> float:
    return n / seconds if seconds > 0 else 0.0


def latency_note(seconds: Sequence[float]) -> str:
    """``median 2.1 ms, p99 4.0 ms`` for per-operation wall times in seconds."""
    return f"median {median(seconds) * 1000:.2f} ms, p99 {p99(seconds) * 1000:.2f} ms"


# -- table ---------------------------------------------------------------------------------
def _cell(key: str, value: Any) -> str:
    if value is None or value == "":
        return "" if key == "note" else "-"
    if key == "n":
        return str(int(value))
    if key == "seconds":
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"
    return str(value)


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """A fixed-width markdown table of ``rows`` (numbers right-aligned)."""
    cells = [[_cell(key, row.get(key)) for key, _ in COLUMNS] for row in rows]
    widths = [max([len(title)] + [len(r[i]) for r in cells]) for i, (_, title) in enumerate(COLUMNS)]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if key in NUMERIC else v.ljust(w)
                 for (key, _), v, w in zip(COLUMNS, values, widths)]
        return "| " + " | ".join(parts) + " |"

    rule = "|" + "|".join(
        ("-" * (w + 1) + ":") if key in NUMERIC else ("-" * (w + 2))
        for (key, _), w in zip(COLUMNS, widths)) + "|"
    return "\n".join([line([t for _, t in COLUMNS]), rule, *(line(r) for r in cells)])


def print_table(title: str, rows: Sequence[dict[str, Any]]) -> None:
    print(f"\n### {title}\n")
    print(format_table(rows))
    print(flush=True)
