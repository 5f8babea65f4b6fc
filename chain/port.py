"""The chain port: the few operations the game needs from any EVM node.

Every network is "an RPC URL plus a signer". Game rules are tested against a fake of
this protocol (``tests/chain_fake.py``); :class:`chain.rpc.JsonRpcChain` is the real
implementation, and the only module that speaks JSON-RPC. Node errors surface as
:mod:`chain.errors` types: a reverted ``call`` or ``estimate_gas`` raises
:class:`chain.errors.RpcError` carrying the revert data, which the tx manager decodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

BlockTag = int | str  # a block number, or "latest" / "pending" / "earliest"


@dataclass(frozen=True)
class Log:
    address: str
    topics: tuple[bytes, ...]
    data: bytes
    block_number: int
    block_hash: str
    tx_hash: str
    log_index: int
    removed: bool = False
    block_time: int | None = None  # the node's ``blockTimestamp``, when it sends one


@dataclass(frozen=True)
class Receipt:
    tx_hash: str
    status: int
    block_number: int
    block_hash: str
    gas_used: int
    contract_address: str | None = None
    logs: tuple[Log, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.status == 1


@dataclass(frozen=True)
class Block:
    """A block header: what the indexer needs to follow the chain through reorgs."""

    number: int
    hash: str  # "" for a pending block
    parent_hash: str
    timestamp: int


@runtime_checkable
class ChainPort(Protocol):
    """What the game asks of a chain. Addresses are checksummed hex strings."""

    # -- reading -----------------------------------------------------------------------
    def chain_id(self) -> int: ...

    def block_number(self) -> int: ...

    def block(self, number: BlockTag = "latest") -> Block | None: ...

    def call(self, to: str, data: bytes, block: BlockTag = "latest", sender: str | None = None) -> bytes: ...

    def logs(
        self,
        addresses: Sequence[str],
        from_block: int,
        to_block: int,
        topics: Sequence[Any] | None = None,
    ) -> list[Log]: ...

    # -- accounts ----------------------------------------------------------------------
    def balance(self, address: str) -> int: ...

    def code(self, address: str) -> bytes: ...

    def nonce(self, address: str, block: BlockTag = "pending") -> int: ...

    # -- transactions ------------------------------------------------------------------
    def gas_price(self) -> int: ...

    def estimate_gas(self, sender: str, to: str | None, data: bytes, value: int = 0) -> int: ...

    def send(self, raw_tx: bytes) -> str: ...

    def receipt(self, tx_hash: str, *, logs: bool = True) -> Receipt | None:
        """The receipt, or None while the tx is not mined. ``logs=False`` skips decoding
        them (a 200-entry mint batch has 200+ logs its sender never reads)."""
        ...

    def wait(self, tx_hash: str, timeout: float = 30.0, *, logs: bool = True) -> Receipt:
        """The receipt once mined; :class:`chain.errors.TxTimeout` after ``timeout`` seconds."""
        ...

    # -- test and devnet chains ----------------------------------------------------------
    def snapshot(self) -> str: ...

    def revert(self, snapshot_id: str) -> bool: ...
