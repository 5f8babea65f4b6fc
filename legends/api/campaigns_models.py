"""Bodies of the players' view of campaigns (also part of a quest's detail)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from legends.api.contract import Reply
from legends.api.shared_models import Moment


class BudgetLeft(Reply):
    cap: int = Field(ge=0)
    granted: int = Field(ge=0)
    left: int = Field(ge=0)


class PublicWindow(Reply):
    starts_at: Moment
    ends_at: Moment
    board: Literal["xp", "shards"]
    prizes: list[dict[str, Any]] = Field(description="Tiers: first and last rank, rewards")
    paid_at: Moment | None
    winners: list[dict[str, Any]] | None = Field(description="Address, rank, prize once paid")


class PublicAnnouncement(Reply):
    send_at: Moment
    text: str


class PublicCampaign(Reply):
    id: int = Field(ge=1)
    name: str
    status: Literal["published", "paused", "ended"]
    live: bool | None = Field(description="Open to players right now")
    starts_at: Moment
    ends_at: Moment
    quests: list[str]
    budgets: dict[str, BudgetLeft] = Field(description="Per reward type: the cap and what is left")
    windows: list[PublicWindow]
    announcements: list[PublicAnnouncement] = Field(description="Those already made")


class CampaignList(Reply):
    campaigns: list[PublicCampaign]
