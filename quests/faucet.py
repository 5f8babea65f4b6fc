"""The Gate's SAHARA faucet: when a claim is refused and what the player is told, and the
devnet's gas drip for players who arrive with an empty wallet.

The cooldown and the daily cap are the token contract's (per address, enforced on chain);
these rules let the game refuse a claim before it costs a transaction, with the same answer
the chain would give.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from quests.units import WEI_PER_SAHARA

GAS_DRIP_WEI = 5 * 10**16  # 0.05 ETH: enough for dozens of quest transactions on the devnet
GAS_DRIP_BELOW_WEI = 10**16  # only players below 0.01 ETH get a drip


class FaucetRefused(Exception):
    """No claim possible now; ``next_claim_at`` (unix seconds) says when."""

    def __init__(self, message: str, next_claim_at: int, now: int) -> None:
        super().__init__(message)
        self.next_claim_at = next_claim_at
        self.retry_after = max(next_claim_at - now, 1)


@dataclass(frozen=True)
class FaucetRules:
    amount: int
    cooldown: int  # seconds between two claims of one address
    daily_cap: int  # 0 = no cap


def can_claim(next_claim_at: int, now: int) -> bool:
    return next_claim_at <= now


def refusal(rules: FaucetRules, claimed_today: int, next_claim_at: int, now: int) -> FaucetRefused:
    """Why a claim is refused now, and when the next one can be made (always in the future:
    a claim refused by the chain a moment after ours said yes is retried a second later)."""
    if rules.daily_cap and claimed_today + rules.amount > rules.daily_cap:
        message = (f"this address reached today's faucet cap of {rules.daily_cap // WEI_PER_SAHARA} "
                   "SAHARA; claim again after midnight UTC")
    else:
        message = f"this address claimed recently; the faucet allows one claim every {rules.cooldown}s"
    return FaucetRefused(message, max(next_claim_at, now + 1), now)


def gas_drip(network: str, balance: int) -> int:
    """Wei of gas to send a player: on the devnet a little to anyone who has almost none (so
    they can send their own quest and crafting transactions); elsewhere players bring theirs."""
    if network != "devnet" or balance >= GAS_DRIP_BELOW_WEI:
        return 0
    return GAS_DRIP_WEI


class OneClaimAtATime:
    """One claim per address at a time (in this process; other processes meet the chain's
    rule). An address's lock is dropped as soon as nobody holds or waits for it, so the
    table holds only the claims in flight."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}  # address -> (lock, users)

    @contextmanager
    def claiming(self, address: str) -> Iterator[None]:
        key = address.lower()
        with self._guard:
            lock, users = self._locks.get(key) or (threading.Lock(), 0)
            self._locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        """Addresses with a claim in flight or waiting."""
        with self._guard:
            return len(self._locks)
