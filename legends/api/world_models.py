"""Bodies of the world map and its NPCs."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from legends.api.contract import Reply
from legends.api.quests_models import QuestCard
from legends.api.shared_models import Address, Wei


class Region(Reply):
    key: str
    number: int = Field(ge=1)
    name: str
    teaches: str
    guardian: str
    shard_id: int = Field(ge=0)
    guardian_id: int = Field(ge=0)
    unlocked: bool
    unlock_after: list[str]
    missing: list[str] = Field(description="Quests still needed to open the region")
    quests: list[QuestCard]


class PlayerSummary(Reply):
    address: Address
    xp: int = Field(ge=0)
    level: int = Field(ge=1)
    rank: str
    next_level_xp: int | None


class World(Reply):
    regions: list[Region]
    player: PlayerSummary | None = Field(description="null for an anonymous visitor")


class Caravan(Reply):
    """The Oasis caravan's open labeling task."""

    task_id: int = Field(ge=0)
    reward_per_label: Wei
    remaining_budget: Wei


class Oracle(Reply):
    """The Oracle of the Dunes, the Forge's agent."""

    agent_id: int = Field(ge=0)
    developer: Address
    license_fee: Wei


class Listing(Reply):
    """One of the Bazaar merchant's listings."""

    listing_id: int = Field(ge=0)
    kind: Literal["dataset", "model", "agent"]
    asset_ref: int = Field(ge=0)
    price: Wei
    uri: str
    seller: Address


class Proposal(Reply):
    proposal_id: int = Field(ge=0)
    vote_end: int = Field(ge=0)


class Npcs(Reply):
    caravan: Caravan | None
    oracle: Oracle | None
    listings: list[Listing]
    proposal: Proposal | None
    reviewer: Address
    merchant: Address
