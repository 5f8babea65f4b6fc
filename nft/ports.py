"""What the reward worker needs from a chain: the ``Minter`` port.

:class:`chain.minter.ChainMinter` is the real one (it satisfies this protocol structurally,
without importing ``nft``); tests of the worker's rules may use a fake. ``target`` is
``"shards"`` (LegendShards) or ``"sahara"`` (SaharaToken), as :class:`nft.batching.MintTarget`.
Failures of the chain (unreachable RPC, timeouts, rejected sends) surface as exceptions; the
worker treats every one of them as "try again later".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

RECEIPT_OK = "ok"
RECEIPT_REVERTED = "reverted"


class MintReceipt(Protocol):
    """A mined transaction as the worker reads it: its status and the block it is in."""

    @property
    def status(self) -> str: ...  # "ok" or "reverted"

    @property
    def block(self) -> int: ...


class SignedMint(Protocol):
    """A signed ``mintBatch`` transaction whose hash is known before it is broadcast."""

    @property
    def tx_hash(self) -> str: ...

    @property
    def nonce(self) -> int: ...

    @property
    def sender(self) -> str: ...


class Minter(Protocol):
    def sign_batch(self, target: str, to: Sequence[str], ids: Sequence[int],
                   amounts: Sequence[int], batch_id: bytes, nonce: int | None = None,
                   replacing: str | None = None) -> SignedMint:
        """Sign ``mintBatch`` without sending it. ``nonce`` re-signs a replacement for the slot
        of an earlier attempt, outbidding the fees of ``replacing`` (that attempt's hash) by
        the node's replacement rule; the minter may pick a fresh nonce when that slot is
        already taken on chain (a transaction that can never be mined carries no risk)."""
        ...

    def broadcast(self, signed: SignedMint) -> str:
        """Send a signed transaction; sending one the node already has is not an error."""
        ...

    def is_underpriced(self, error: Exception) -> bool:
        """Whether a broadcast was refused for not outbidding a transaction of its nonce."""
        ...

    def head(self) -> int:
        """The number of the newest block."""
        ...

    def receipt(self, tx_hash: str) -> MintReceipt | None:
        """The mined transaction's status and block, or ``None`` when it is not mined."""
        ...

    def wait(self, tx_hash: str, timeout: float) -> MintReceipt | None:
        """Like :meth:`receipt`, polling for up to ``timeout`` seconds."""
        ...

    def batch_minted(self, target: str, batch_id: bytes, block: int | str = "latest") -> bool:
        """The on-chain ``batchMinted(batchId)`` of the target contract at ``block``: the truth."""
        ...

    def balances(self, player: str, token_ids: Sequence[int]) -> dict[int, int]:
        """LegendShards balances of a player (shards and Guardians)."""
        ...

    def sahara_balance(self, player: str) -> int:
        """SaharaToken balance of a player, in wei."""
        ...

    def resync(self) -> None:
        """Forget cached nonces and fees after a failure, so the next send asks the node."""
        ...
