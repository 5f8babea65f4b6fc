"""The chain port: the few operations the game needs from any EVM node.

Every network is "an RPC URL plus a signer". Game rules are tested against a fake of
this protocol; :class:`chain.rpc.JsonRpcChain` is the real implementation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


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


class ChainPort(Protocol):
    """What the game asks of a chain. Addresses are checksummed hex strings."""

    def chain_id(self) -> int: ...

    def block_number(self) -> int: ...

    def call(self, to: str, data: bytes, block: int | str = "latest") -> bytes: ...

    def send(self, raw_tx: bytes) -> str: ...

    def wait(self, tx_hash: str, timeout: float = 30.0) -> Receipt: ...

    def logs(
        self,
        addresses: Sequence[str],
        from_block: int,
        to_block: int,
        topics: Sequence[Any] | None = None,
    ) -> list[Log]: ...

    def snapshot(self) -> str: ...

    def revert(self, snapshot_id: str) -> bool: ...
