"""The reward worker's view of the chain: sign, send and check ``mintBatch`` transactions.

It fits the ``nft.ports.Minter`` protocol by shape only (``chain`` never imports ``nft``).
The minter key belongs to the reward worker alone, so this class may hold its own
:class:`TxManager` and drop its cached nonces after a failure without disturbing anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from chain.bindings import Suite
from chain.errors import RpcError, TxTimeout
from chain.fees import is_underpriced
from chain.port import BlockTag, Receipt
from chain.txmanager import SignedTx, TxManager

SHARDS, SAHARA = "shards", "sahara"

# Explicit gas instead of eth_estimateGas: one round trip less per batch, and a batch that
# would revert is mined as a failed receipt, which the worker knows how to reconcile.
# Measured on anvil: ~26.5k gas per new-recipient entry plus ~50k per call (both contracts).
BATCH_GAS_BASE = 80_000
BATCH_GAS_PER_ENTRY = 40_000


def batch_gas(entries: int) -> int:
    return BATCH_GAS_BASE + BATCH_GAS_PER_ENTRY * entries


class MintReceipt(NamedTuple):
    """What the worker reads of a receipt: ``"ok"`` or ``"reverted"``, and the block."""

    status: str
    block: int


def _mint_receipt(found: Receipt) -> MintReceipt:
    return MintReceipt("ok" if found.ok else "reverted", found.block_number)


class ChainMinter:
    """Mints reward batches on LegendShards and SaharaToken with the minter key."""

    def __init__(self, tx: TxManager, suite: Suite, minter: str) -> None:
        self.tx = tx
        self.suite = suite
        self.sender = minter

    def _contract(self, target: str):  # type: ignore[no-untyped-def]
        if target == SHARDS:
            return self.suite.shards
        if target == SAHARA:
            return self.suite.token
        raise ValueError(f"target: unknown mint target {target!r} (shards or sahara)")

    def sign_batch(self, target: str, to: Sequence[str], ids: Sequence[int],
                   amounts: Sequence[int], batch_id: bytes, nonce: int | None = None,
                   replacing: str | None = None) -> SignedTx:
        contract = self._contract(target)
        if target == SHARDS:
            data = contract.encode("mintBatch", list(to), list(ids), list(amounts), batch_id)
        else:
            data = contract.encode("mintBatch", list(to), list(amounts), batch_id)
        if nonce is not None and nonce < self.tx.chain.nonce(self.sender, "latest"):
            # The slot of the earlier attempt is taken by a mined tx (the worker saw no receipt
            # for ours), so our earlier tx can never be mined: a fresh nonce is safe.
            nonce = None
        return self.tx.sign(self.sender, contract.address, data, nonce=nonce,
                            gas=batch_gas(len(to)),
                            replacing=replacing if nonce is not None else None)

    def broadcast(self, signed: SignedTx) -> str:
        return self.tx.broadcast(signed)

    def is_underpriced(self, error: Exception) -> bool:
        return isinstance(error, RpcError) and is_underpriced(error)

    def head(self) -> int:
        return self.tx.chain.block_number()

    def receipt(self, tx_hash: str) -> MintReceipt | None:
        # Only the status: a 200-entry batch has 200+ logs that the worker never reads, and
        # decoding them (checksummed addresses) cost more than the rest of a cycle.
        found = self.tx.chain.receipt(tx_hash, logs=False)
        return _mint_receipt(found) if found is not None else None

    def wait(self, tx_hash: str, timeout: float) -> MintReceipt | None:
        try:
            found = self.tx.chain.wait(tx_hash, max(timeout, 0.0), logs=False)
        except TxTimeout:
            return None
        return _mint_receipt(found)

    def batch_minted(self, target: str, batch_id: bytes, block: BlockTag = "latest") -> bool:
        return bool(self._contract(target).call("batchMinted", batch_id, block=block))

    def balances(self, player: str, token_ids: Sequence[int]) -> dict[int, int]:
        return self.suite.shards.balances(player, list(token_ids))

    def sahara_balance(self, player: str) -> int:
        return self.suite.token.balance_of(player)

    def resync(self) -> None:
        self.tx.forget_nonces()
