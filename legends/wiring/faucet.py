"""The SAHARA faucet for players without gas: the server's faucet relayer calls
``SaharaToken.claimFor(player)``; on the devnet it also tops up the player's gas.

The cooldown and the daily cap are the contract's (per address, enforced on chain). The API
checks them first so that a refused claim costs no transaction, and maps the contract's
``FaucetCooldown`` / ``FaucetDailyCapReached`` reverts (a claim racing in from another web
process) to the same answer: :class:`FaucetRefused` with the time of the next possible claim.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from chain.bindings import Suite
from chain.errors import ContractRevert
from legends.wiring.chainlink import ChainLink

GAS_DRIP_WEI = 5 * 10**16  # 0.05 ETH: enough for dozens of quest transactions on the devnet
GAS_DRIP_BELOW_WEI = 10**16  # only players below 0.01 ETH get a drip
TRANSFER_GAS = 21_000
REFUSALS = ("FaucetCooldown", "FaucetDailyCapReached")

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(address: str) -> threading.Lock:
    # One claim per address at a time in this process; other processes meet the chain's rule.
    with _locks_guard:
        return _locks.setdefault(address.lower(), threading.Lock())


class FaucetRefused(Exception):
    """No claim possible now; ``next_claim_at`` (unix seconds) says when."""

    def __init__(self, message: str, next_claim_at: int, now: int) -> None:
        super().__init__(message)
        self.next_claim_at = next_claim_at
        self.retry_after = max(next_claim_at - now, 1)


@dataclass(frozen=True)
class FaucetRules:
    amount: int
    cooldown: int
    daily_cap: int  # 0 = no cap


def rules(suite: Suite) -> FaucetRules:
    token = suite.token
    return FaucetRules(int(token.call("faucetAmount")), int(token.call("faucetCooldown")),
                       int(token.call("faucetDailyCap")))


def chain_now(link: ChainLink) -> int:
    """The chain's idea of now: the timestamp the next block would get.

    Not the wall clock: a devnet's clock may be moved (``evm_increaseTime``), and an idle
    automining devnet's latest block can be hours old. Nodes that do not build a pending
    block get the latest block's time, bounded below by the wall clock.
    """
    pending = link.rpc.block("pending")
    if pending and pending.timestamp:
        return pending.timestamp
    latest = link.rpc.block("latest")
    return max(latest.timestamp if latest else 0, int(time.time()))


def status(link: ChainLink, suite: Suite, address: str) -> dict[str, Any]:
    """When the player can claim next, and the faucet's rules."""
    now, found = chain_now(link), rules(suite)
    next_at = suite.token.next_claim_at(address)
    return {"address": address, "amount": str(found.amount), "cooldown": found.cooldown,
            "daily_cap": str(found.daily_cap),
            "claimed_today": str(int(suite.token.call("claimedToday", address))),
            "next_claim_at": max(next_at, now), "can_claim": next_at <= now}


def _refusal(link: ChainLink, suite: Suite, address: str, next_at: int | None = None
             ) -> FaucetRefused:
    now, found = chain_now(link), rules(suite)
    next_at = next_at if next_at is not None else suite.token.next_claim_at(address)
    claimed = int(suite.token.call("claimedToday", address))
    if found.daily_cap and claimed + found.amount > found.daily_cap:
        message = (f"this address reached today's faucet cap of {found.daily_cap // 10**18} "
                   "SAHARA; claim again after midnight UTC")
    else:
        message = f"this address claimed recently; the faucet allows one claim every {found.cooldown}s"
    return FaucetRefused(message, max(next_at, now + 1), now)


def claim(link: ChainLink, suite: Suite, address: str) -> dict[str, Any]:
    """Claim for ``address``; raises :class:`FaucetRefused` on cooldown or cap."""
    with _lock_for(address):
        next_at = suite.token.next_claim_at(address)
        if next_at > chain_now(link):
            raise _refusal(link, suite, address, next_at)
        faucet = link.signers.faucet.address
        try:
            receipt = suite.token.transact(faucet, "claimFor", address)
        except ContractRevert as exc:
            if exc.error not in REFUSALS:
                raise
            raise _refusal(link, suite, address, exc.args_by_name.get("nextClaimAt")) from None
        claimed = next(args for name, args in suite.token.events(receipt, "FaucetClaimed"))
        gas_sent = drip_gas(link, address)
        return {"address": address, "amount": str(claimed["amount"]),
                "tx_hash": receipt.tx_hash, "next_claim_at": int(claimed["nextClaimAt"]),
                "gas_sent": str(gas_sent)}


def drip_gas(link: ChainLink, address: str) -> int:
    """On the devnet, send a little ETH to a player who has almost none (so they can send
    their own quest and crafting transactions); elsewhere players bring their own gas."""
    if link.network != "devnet" or link.rpc.balance(address) >= GAS_DRIP_BELOW_WEI:
        return 0
    link.tx.transact(link.signers.faucet.address, address, b"", value=GAS_DRIP_WEI,
                     gas=TRANSFER_GAS)
    return GAS_DRIP_WEI
