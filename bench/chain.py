"""Raw devnet throughput through the project's own tx manager: the baseline the rewards
pipeline is measured against.

Every row goes through :class:`chain.txmanager.TxManager` (local signing, cached nonce and
fees, ``eth_sendRawTransaction`` then receipt polling) against a private anvil that mines a
block per transaction, started exactly as ``legends up`` starts it. Each row starts from the
freshly deployed suite (``evm_snapshot`` / ``evm_revert`` around it).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_utils import keccak, to_checksum_address

from bench.common import devnet_suite, latency_note, median, rate
from chain.accounts import Signers
from chain.bindings import Suite
from chain.rpc import JsonRpcChain
from chain.txmanager import TxManager

TITLE = "Chain baseline (anvil, one block per tx, through chain.txmanager)"
TOKEN = 10**18
SHARD_ID = 1

# Row keys other benchmarks look up (e.g. bench.rewards compares against SINGLE_MINT).
SINGLE_MINT = "shards_single_explicit"
SINGLE_MINT_ESTIMATED = "shards_single_estimated"
PIPELINED_MINT = "shards_single_pipelined"
BATCH_MINT = "shards_batch"


@dataclass(frozen=True)
class Sizes:
    transfers: int
    single: int  # per sequential mint row
    estimated: int  # per mint row that estimates gas (slower: one more round trip)
    pipelined: int
    batches: int  # mintBatch txs of ``batch_size`` entries
    batch_size: int
    signs: int
    pings: int


FULL = Sizes(transfers=300, single=300, estimated=200, pipelined=400, batches=10, batch_size=200,
             signs=2000, pings=500)
QUICK = Sizes(transfers=60, single=60, estimated=40, pipelined=80, batches=3, batch_size=200,
              signs=300, pings=100)
TINY = Sizes(transfers=5, single=5, estimated=5, pipelined=5, batches=1, batch_size=20,
             signs=5, pings=5)


def sizes_for(quick: bool) -> Sizes:
    return QUICK if quick else FULL


class Fresh:
    """Distinct, never-used recipient addresses and batch ids."""

    def __init__(self, label: str = "bench") -> None:
        self.label = label
        self._n = itertools.count()

    def address(self) -> str:
        return to_checksum_address(keccak(f"{self.label}-addr-{next(self._n)}".encode())[12:])

    def batch_id(self) -> bytes:
        return keccak(f"{self.label}-batch-{next(self._n)}".encode())


def row(key: str, benchmark: str, n: int, seconds: float, *, mints: int | None = None,
        note: str = "", **extra: Any) -> dict[str, Any]:
    """One result row; ``mints`` is the number of token mints done in ``seconds``."""
    return {
        "key": key, "benchmark": benchmark, "n": n, "seconds": seconds,
        "per_second": rate(n, seconds),
        "mints_per_second": rate(mints, seconds) if mints is not None else None,
        "note": note, **extra,
    }


def padded(gas: int) -> int:
    """The tx manager's own margin on an estimate, so explicit gas is comparable."""
    return gas * 12 // 10 + 10_000


# -- the benchmarks ------------------------------------------------------------------------
def sequential(tx: TxManager, n: int, make: Callable[[], tuple[str, str, bytes, int]],
               gas: int | None) -> tuple[float, list[float], list[int]]:
    """``n`` x (send, wait): total seconds, per-tx latencies, gas used."""
    latencies, gas_used = [], []
    started = time.perf_counter()
    for _ in range(n):
        sender, to, data, value = make()
        t0 = time.perf_counter()
        receipt = tx.wait(tx.send(sender, to, data, value=value, gas=gas),
                          sender=sender, to=to, data=data)
        latencies.append(time.perf_counter() - t0)
        gas_used.append(receipt.gas_used)
    return time.perf_counter() - started, latencies, gas_used


def bench_transfers(tx: TxManager, signers: Signers, sizes: Sizes, fresh: Fresh) -> dict[str, Any]:
    sender = signers.deployer.address
    seconds, lat, _ = sequential(tx, sizes.transfers, lambda: (sender, fresh.address(), b"", 1), 21_000)
    return row("eth_transfer", "ETH transfer, send+wait", sizes.transfers, seconds,
               note=latency_note(lat))


def bench_single_mints(tx: TxManager, suite: Suite, signers: Signers, sizes: Sizes,
                       fresh: Fresh) -> list[dict[str, Any]]:
    """Four rows (shards / token x explicit / estimated gas), each rolled back after it."""
    minter = signers.minter.address
    shards, token = suite.shards, suite.token

    def shard_mint() -> tuple[str, str, bytes, int]:
        data = shards.encode("mintBatch", [fresh.address()], [SHARD_ID], [1], fresh.batch_id())
        return minter, shards.address, data, 0

    def token_mint() -> tuple[str, str, bytes, int]:
        return minter, token.address, token.encode("mint", fresh.address(), TOKEN), 0

    rows = []
    for key, label, make in (("shards_single", "LegendShards.mintBatch x1", shard_mint),
                             ("token_single", "SaharaToken.mint", token_mint)):
        sender, to, data, _ = make()
        gas = padded(tx.estimate(sender, to, data))
        for mode, n, gas_arg in (("explicit", sizes.single, gas), ("estimated", sizes.estimated, None)):
            def one(key=key, label=label, make=make, mode=mode, n=n, gas_arg=gas_arg) -> list[dict[str, Any]]:
                seconds, lat, used = sequential(tx, n, make, gas_arg)
                return [row(f"{key}_{mode}", f"{label}, {mode} gas", n, seconds, mints=n,
                            note=f"{latency_note(lat)}; {int(median(used)):,} gas/mint")]
            rows += isolated(tx, one)
    return rows


def bench_pipelined(tx: TxManager, suite: Suite, signers: Signers, sizes: Sizes,
                    fresh: Fresh) -> dict[str, Any]:
    minter, shards = signers.minter.address, suite.shards
    payloads = [shards.encode("mintBatch", [fresh.address()], [SHARD_ID], [1], fresh.batch_id())
                for _ in range(sizes.pipelined)]
    gas = padded(tx.estimate(minter, shards.address, payloads[0]))
    started = time.perf_counter()
    hashes = [tx.send(minter, shards.address, data, gas=gas) for data in payloads]
    sent = time.perf_counter() - started
    for tx_hash, data in zip(hashes, payloads):
        tx.wait(tx_hash, sender=minter, to=shards.address, data=data)
    seconds = time.perf_counter() - started
    return row(PIPELINED_MINT, "LegendShards.mintBatch x1, pipelined", sizes.pipelined, seconds,
               mints=sizes.pipelined,
               note=f"send phase {rate(sizes.pipelined, sent):,.0f} tx/s, then wait for all")


def bench_batches(tx: TxManager, suite: Suite, signers: Signers, sizes: Sizes,
                  fresh: Fresh) -> dict[str, Any]:
    minter, shards, size = signers.minter.address, suite.shards, sizes.batch_size

    def make() -> tuple[str, str, bytes, int]:
        recipients = [fresh.address() for _ in range(size)]
        data = shards.encode("mintBatch", recipients, [SHARD_ID] * size, [1] * size, fresh.batch_id())
        return minter, shards.address, data, 0

    sender, to, data, _ = make()
    gas = padded(tx.estimate(sender, to, data))
    seconds, lat, used = sequential(tx, sizes.batches, make, gas)
    mints = sizes.batches * size
    return row(BATCH_MINT, f"LegendShards.mintBatch x{size}", sizes.batches, seconds, mints=mints,
               note=(f"{median(used) / size:,.0f} gas/mint ({int(median(used)):,}/tx), "
                     f"median {median(lat) * 1000:.1f} ms/tx; new recipients"),
               batch_size=size)


def bench_sign(tx: TxManager, suite: Suite, signers: Signers, sizes: Sizes,
               fresh: Fresh) -> dict[str, Any]:
    minter, shards = signers.minter.address, suite.shards
    data = shards.encode("mintBatch", [fresh.address()], [SHARD_ID], [1], fresh.batch_id())
    tx.sign(minter, shards.address, data, nonce=0, gas=100_000)  # warm the chain id / fee cache
    started = time.perf_counter()
    for i in range(sizes.signs):
        tx.sign(minter, shards.address, data, nonce=i, gas=100_000)
    seconds = time.perf_counter() - started
    return row("sign", "TxManager.sign only (no broadcast)", sizes.signs, seconds,
               note=f"eth_keys backend: {signer_backend(signers)}; no RPC but the 2 s fee cache")


def signer_backend(signers: Signers) -> str:
    """The eth_keys backend the signer keys use (CoinCurveECCBackend = libsecp256k1)."""
    key = getattr(signers.minter, "_key_obj", None)
    backend = getattr(key, "backend", None)
    if backend is None:
        from eth_keys.backends import get_backend

        backend = get_backend()
    return type(backend).__name__


def bench_round_trip(tx: TxManager, sizes: Sizes) -> list[dict[str, Any]]:
    """One JSON-RPC call as the tx manager makes it: the floor under every transaction."""
    chain = JsonRpcChain(tx.chain.url)
    chain.block_number()
    latencies: list[float] = []
    for _ in range(sizes.pings):
        t0 = time.perf_counter()
        chain.block_number()
        latencies.append(time.perf_counter() - t0)
    return [row("rpc_round_trip", "RPC round trip (eth_blockNumber)", sizes.pings, sum(latencies),
                note=latency_note(latencies))]


def run(quick: bool = False, *, port: int | None = None, sizes: Sizes | None = None) -> list[dict[str, Any]]:
    """Run every chain benchmark on a private devnet; one dict per table row.

    Each row has ``key`` (stable, e.g. :data:`SINGLE_MINT`), ``benchmark``, ``n``,
    ``seconds``, ``per_second``, ``mints_per_second`` (None when nothing is minted), ``note``.
    """
    sizes = sizes or sizes_for(quick)
    fresh = Fresh()
    rows: list[dict[str, Any]] = []
    with devnet_suite(port) as (tx, suite, signers):
        for bench in (
            lambda: [bench_transfers(tx, signers, sizes, fresh)],
            lambda: bench_single_mints(tx, suite, signers, sizes, fresh),
            lambda: [bench_pipelined(tx, suite, signers, sizes, fresh)],
            lambda: [bench_batches(tx, suite, signers, sizes, fresh)],
            lambda: [bench_sign(tx, suite, signers, sizes, fresh)],
            lambda: bench_round_trip(tx, sizes),
        ):
            rows += isolated(tx, bench)
    return rows


def isolated(tx: TxManager, bench: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Run ``bench`` and roll the chain back after it, so every row starts from the freshly
    deployed suite: anvil's cost per block grows with the state (it keeps a copy of the
    state per block), and the rows would otherwise slow down in the order they run."""
    snapshot = tx.chain.snapshot()
    try:
        return bench()
    finally:
        tx.chain.revert(snapshot)
        tx.forget_nonces()


def find(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """The row with ``key`` (e.g. ``find(rows, SINGLE_MINT)["mints_per_second"]``)."""
    for item in rows:
        if item["key"] == key:
            return item
    raise KeyError(key)
