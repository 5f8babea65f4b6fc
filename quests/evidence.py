"""What verification feeds the rules: chain events, state readings, answers, check-ins and
activated referrals, plus the player they concern.

Addresses are EIP-55 checksummed strings and compared case-insensitively; uints are ints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Player:
    """The player a rule is judged for, known by their wallet address."""

    address: str

    def is_me(self, value: Any) -> bool:
        """True when ``value`` is this player's address (any letter case)."""
        return same_value(value, self.address)


@dataclass(frozen=True)
class ChainEvent:
    """One decoded log of the contract suite, e.g. ``DataServices.LabelSubmitted``."""

    contract: str
    event: str
    args: Mapping[str, Any]
    block_number: int
    tx_hash: str
    log_index: int
    timestamp: int  # block timestamp, seconds since the epoch (UTC)

    @property
    def key(self) -> str:
        """Identity of the log: the same (tx hash, log index) is counted at most once."""
        return f"{self.tx_hash.lower()}:{self.log_index}"

    @property
    def at(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp, UTC)

    def ref(self) -> dict[str, Any]:
        return {
            "kind": "event",
            "contract": self.contract,
            "event": self.event,
            "tx_hash": self.tx_hash,
            "block_number": self.block_number,
            "log_index": self.log_index,
        }


@dataclass(frozen=True)
class StateReading:
    """A view call made for the player, e.g. ``staked`` -> 40e18 wei.

    Checks: ``sahara_balance``, ``staked``, ``voting_power``, ``pending_revenue`` (wei),
    ``owns_token`` (balance of ``token_id``), ``has_identity`` (0/1), ``accepted_labels``,
    ``listings_made`` (how many times the player listed in the Bazaar, ever).
    """

    check: str
    value: int
    token_id: int | None = None
    block_number: int | None = None

    def ref(self) -> dict[str, Any]:
        ref: dict[str, Any] = {"kind": "state", "check": self.check, "value": self.value}
        if self.token_id is not None:
            ref["token_id"] = self.token_id
        if self.block_number is not None:
            ref["block_number"] = self.block_number
        return ref


@dataclass(frozen=True)
class Answer:
    """A player's answer to a quest's quiz question, given at ``at`` (for the cooldown)."""

    text: str
    at: datetime | None = field(default=None, compare=False)

    def ref(self) -> dict[str, Any]:
        return {"kind": "answer"}  # never store the text: a right answer must not leak


@dataclass(frozen=True)
class CheckIn:
    """A daily check-in; ``streak`` is the streak length including this day."""

    at: datetime
    streak: int = 1

    def ref(self) -> dict[str, Any]:
        return {"kind": "checkin", "day": self.at.astimezone(UTC).date().isoformat(), "streak": self.streak}


@dataclass(frozen=True)
class ReferralActivated:
    """An invitee of the player completed every activation quest (see ``quests.referrals``)."""

    invitee: str
    at: datetime | None = field(default=None, compare=False)

    def ref(self) -> dict[str, Any]:
        return {"kind": "referral", "invitee": self.invitee}


Evidence = ChainEvent | StateReading | Answer | CheckIn | ReferralActivated


def same_value(a: Any, b: Any) -> bool:
    """Equality for event args: hex strings (addresses, hashes) ignore letter case."""
    if isinstance(a, str) and isinstance(b, str):
        if a.startswith(("0x", "0X")) and b.startswith(("0x", "0X")):
            return a.lower() == b.lower()
        return a == b
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b
