"""Bodies of the SAHARA faucet."""

from __future__ import annotations

from pydantic import Field

from legends.api.contract import OptionalBody, Reply
from legends.api.shared_models import Address, TxHash, Wei


class Claim(OptionalBody):
    """Optional: naming an address other than the signed-in player's is refused (403)."""

    address: Address | None = None


class FaucetStatus(Reply):
    address: Address
    amount: Wei = Field(description="SAHARA (in wei) paid per claim")
    cooldown: int = Field(ge=0, description="Seconds between two claims of one address")
    daily_cap: Wei = Field(description="Most SAHARA (in wei) one address may claim per UTC day; 0: no cap")
    claimed_today: Wei
    next_claim_at: int = Field(ge=0, description="Unix seconds (chain time) of the next possible claim")
    can_claim: bool


class Claimed(Reply):
    address: Address
    amount: Wei
    tx_hash: TxHash
    next_claim_at: int = Field(ge=0)
    gas_sent: Wei = Field(description="ETH (in wei) sent for gas on the devnet to a player with almost none")
