"""Bodies of what a player owns (``GET /api/inventory``) and can craft (``GET /api/crafting``)."""

from __future__ import annotations

from pydantic import Field

from legends.api.contract import Reply
from legends.api.shared_models import Address, Moment, Transaction, TxHash, Wei

TokenId = int

class Token(Reply):
    token_id: TokenId = Field(ge=0)
    name: str
    region: str | None = Field(description="The region whose shard or Guardian this is; null for the Legend")
    balance: int = Field(ge=0)

class Legend(Token):
    held: bool

class Sahara(Reply):
    wei: Wei
    amount: str = Field(pattern=r"^[0-9]+(\.[0-9]+)?$", description="Whole SAHARA, as a decimal string")

class PendingGrant(Reply):
    """A reward recorded in the ledger and not yet confirmed on chain."""

    source: str
    period: str
    kind: str
    token_id: int | None
    amount: Wei
    state: str
    created_at: Moment | None
    tx_hash: TxHash | None
    next_attempt_at: Moment | None
    last_error: str | None

class Inventory(Reply):
    address: Address
    shards: list[Token]
    guardians: list[Token]
    legend: Legend
    sahara: Sahara
    xp: int = Field(ge=0)
    pending: list[PendingGrant]

class Missing(Reply):
    token_id: TokenId = Field(ge=0)
    have: int = Field(ge=0)
    need: int = Field(ge=1)
    short: int = Field(ge=0)
    text: str

class Recipe(Reply):
    key: str
    makes: TokenId = Field(ge=0)
    name: str
    can_craft: bool
    times: int = Field(ge=0, description="How many times the player can craft it now")
    reason: str | None
    missing: list[Missing]
    transaction: Transaction | None = Field(description="The burn-and-mint the player's wallet sends")

class Crafting(Reply):
    address: Address
    holdings: dict[str, int] = Field(description="Balance by token id (shards, Guardians, the Legend)")
    recipes: list[Recipe]
