"""The SAHARA faucet for players without gas: the server's faucet relayer calls
``SaharaToken.claimFor(player)``; on the devnet it also tops up the player's gas.

The cooldown and the daily cap are the contract's (per address, enforced on chain); when a
claim is refused and what the player is told are the Gate's rules (:mod:`quests.faucet`).
The API checks them first so that a refused claim costs no transaction, and maps the contract's
``FaucetCooldown`` / ``FaucetDailyCapReached`` reverts (a claim racing in from another web
process) to the same answer: :class:`FaucetRefused` with the time of the next possible claim.
"""

from __future__ import annotations

import time
from typing import Any

from chain.bindings import Suite
from chain.errors import ContractRevert
from legends.wiring.chainlink import ChainLink
from quests.faucet import (
    GAS_DRIP_WEI,
    FaucetRefused,
    FaucetRules,
    OneClaimAtATime,
    can_claim,
    gas_drip,
    refusal,
)

__all__ = ["GAS_DRIP_WEI", "FaucetRefused", "claim", "drip_gas", "status"]

TRANSFER_GAS = 21_000
REFUSALS = ("FaucetCooldown", "FaucetDailyCapReached")

_claims = OneClaimAtATime()


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
            "next_claim_at": max(next_at, now), "can_claim": can_claim(next_at, now)}


def _refusal(link: ChainLink, suite: Suite, address: str, next_at: int | None = None
             ) -> FaucetRefused:
    now, found = chain_now(link), rules(suite)
    next_at = next_at if next_at is not None else suite.token.next_claim_at(address)
    return refusal(found, int(suite.token.call("claimedToday", address)), next_at, now)


def claim(link: ChainLink, suite: Suite, address: str) -> dict[str, Any]:
    """Claim for ``address``; raises :class:`FaucetRefused` on cooldown or cap."""
    with _claims.claiming(address):
        next_at = suite.token.next_claim_at(address)
        if not can_claim(next_at, chain_now(link)):
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
    """Send the player the gas drip :func:`quests.faucet.gas_drip` grants (the balance is read
    only on the devnet, the one network that drips)."""
    if link.network != "devnet":
        return 0
    drip = gas_drip(link.network, link.rpc.balance(address))
    if drip:
        link.tx.transact(link.signers.faucet.address, address, b"", value=drip, gas=TRANSFER_GAS)
    return drip
