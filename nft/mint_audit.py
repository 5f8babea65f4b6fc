"""Shards on chain that the ledger did not mint.

Every shard a player holds should come from a reward batch of the ledger (``mintBatch`` with a
batch id the outbox recorded, carrying exactly that batch's grants) or from crafting (a
Guardian minted in the same transaction that burned the recipe). A mint from address zero that
is neither means a minter key was used outside the ledger; the audit records each one in
``unledgered_mint`` (:mod:`nft.mint_audit_store`) so that ``/healthz`` and the log can say so.

:func:`judge` is the rule, pure. The chain is read elsewhere
(:mod:`legends.wiring.mint_watch`), block range by block range, never rescanning.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Entry = tuple[str, int, int]  # (player, token id, amount), player lowercase


@dataclass(frozen=True, slots=True)
class Mint:
    """One token id minted to one player in one log (a TransferBatch log holds several)."""

    tx_hash: str
    block: int
    log_index: int
    player: str
    token_id: int
    amount: int
    operator: str

    @property
    def entry(self) -> Entry:
        return (self.player.lower(), self.token_id, self.amount)


@dataclass(frozen=True, slots=True)
class MintTx:
    """What one transaction did on the shards contract: its mints, the reward batch ids it
    minted (``RewardBatchMinted``) and the Guardians it crafted (``GuardianCrafted``)."""

    tx_hash: str
    mints: tuple[Mint, ...]
    batch_ids: tuple[str, ...] = ()
    crafted: tuple[tuple[str, int], ...] = ()  # (player, guardian id)


def judge(tx: MintTx, ledger: Mapping[str, Sequence[Entry]]) -> list[Mint]:
    """The mints of ``tx`` the ledger did not make. ``ledger``: batch id -> the entries of
    that ledger batch (grants of any state: the outbox records a batch before sending it)."""
    owed: Counter[Entry] = Counter()
    for batch_id in tx.batch_ids:
        owed.update(ledger.get(batch_id.lower(), ()))
    crafted = Counter((player.lower(), guardian, 1) for player, guardian in tx.crafted)
    strays = []
    for mint in tx.mints:
        for allowance in (owed, crafted):
            if allowance[mint.entry] > 0:
                allowance[mint.entry] -= 1
                break
        else:
            strays.append(mint)
    return strays
