"""Fees of EIP-1559 transactions and of their replacements.

A node takes a transaction for a nonce it already holds in its pool only when the new one
pays more: geth and most clients want at least +10% on both ``maxFeePerGas`` and
``maxPriorityFeePerGas`` (on ``gasPrice`` for a legacy transaction), anvil a higher
``maxFeePerGas``. A replacement here raises both by :data:`REPLACEMENT_BUMP` (+12.5%) over
the transaction it replaces, and never pays less than the market asks at the time.

A cap (``CHAIN_MAX_FEE_GWEI``, :func:`capped`) bounds what a signer ever offers: a new
transaction's ``maxFeePerGas`` is lowered to the cap (it is mined once the base fee is below
it), and a replacement that would have to bid above the cap, or a market asking more than the
cap, is refused with :class:`FeeCapExceeded` instead of paying more.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Generic, TypeVar

from chain.errors import ChainError, RpcError

T = TypeVar("T")

GWEI = 10**9
REPLACEMENT_BUMP = (9, 8)  # new fee >= old * 9 / 8, comfortably above the common +10%

# What nodes answer when a transaction for a held nonce does not pay enough to replace it.
_UNDERPRICED = ("replacement transaction underpriced", "replacement underpriced",
                "transaction underpriced", "fee too low")


@dataclass(frozen=True, slots=True)
class Fees:
    """``maxFeePerGas`` and ``maxPriorityFeePerGas`` of a type-2 transaction, in wei."""

    max_fee: int
    tip: int

    def fields(self) -> dict[str, int]:
        return {"maxFeePerGas": self.max_fee, "maxPriorityFeePerGas": self.tip}


def market(gas_price: int) -> Fees:
    """Fees for a new transaction from the node's ``eth_gasPrice``: a tip of at most 1 gwei and
    room for the base fee to double before the transaction stops being mineable."""
    tip = min(GWEI, gas_price)
    return Fees(2 * gas_price + tip, tip)


def bumped(replaced: Fees, now: Fees) -> Fees:
    """Fees for a replacement of ``replaced``: both raised by :data:`REPLACEMENT_BUMP`
    (rounded up, at least +1 wei), or the market's ``now`` where that is higher."""
    up, down = REPLACEMENT_BUMP
    tip = max(now.tip, -(-replaced.tip * up // down), replaced.tip + 1)
    max_fee = max(now.max_fee, -(-replaced.max_fee * up // down), replaced.max_fee + 1, tip)
    return Fees(max_fee, tip)


class FeeCapExceeded(ChainError):
    """Signing would offer more than the fee cap; nothing was signed."""


def capped(fees: Fees, cap: int | None, *, gas_price: int, replacing: bool) -> Fees:
    """``fees`` within ``cap`` (wei per gas; ``None``: no cap). A new transaction is lowered to
    the cap while the market's gas price fits under it; a replacement is never lowered (it
    would not outbid), so one that needs more than the cap raises :class:`FeeCapExceeded`."""
    if cap is None or fees.max_fee <= cap:
        return fees
    gwei = f"{fees.max_fee / GWEI:.3f} gwei"
    if replacing:
        raise FeeCapExceeded(f"outbidding needs maxFeePerGas {gwei}, above the fee cap of "
                             f"{cap / GWEI:.3f} gwei: not replaced")
    if gas_price > cap:
        raise FeeCapExceeded(f"the gas price is {gas_price / GWEI:.3f} gwei, above the fee cap "
                             f"of {cap / GWEI:.3f} gwei: not sent")
    return Fees(cap, min(fees.tip, cap))


def is_underpriced(error: RpcError) -> bool:
    """Whether the node refused a transaction for paying too little to replace one it holds."""
    text = error.rpc_message.lower()
    return any(words in text for words in _UNDERPRICED)


class Recent(Generic[T]):
    """What is known of the last ``size`` transactions, by hash (the oldest is forgotten
    first); safe to share between threads."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: dict[str, T] = {}
        self._lock = threading.Lock()

    def put(self, tx_hash: str, value: T) -> None:
        with self._lock:
            self._items[tx_hash] = value
            while len(self._items) > self.size:
                del self._items[next(iter(self._items))]

    def get(self, tx_hash: str) -> T | None:
        with self._lock:
            return self._items.get(tx_hash)
