"""Bodies of the leaderboards."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from legends.api.contract import Reply
from legends.api.shared_models import Address


class BoardQuery(BaseModel):
    board: Literal["xp", "shards"] = Field("xp", description="What to rank by")
    period: Literal["all", "week"] = Field("all", description="All time or this ISO week")
    limit: int = Field(20, ge=1, le=100, description="How many entries")
    after: int | None = Field(None, ge=1, le=2**53,
                              description="A player id from `next`: the page after that player")


class Entry(Reply):
    rank: int = Field(ge=1)
    player_id: int = Field(ge=1)
    address: Address
    score: int = Field(ge=0)


class MyRank(Reply):
    address: Address
    rank: int | None = Field(ge=1, description="null until the player scores")
    score: int = Field(ge=0)


class Leaderboard(Reply):
    board: Literal["xp", "shards"]
    period: Literal["all", "week"]
    week: str | None = Field(pattern=r"^[0-9]{4}-W[0-9]{2}$", description="The ISO week; null for all time")
    entries: list[Entry]
    me: MyRank | None = Field(description="The caller's own standing; null when anonymous")
    next: int | None = Field(ge=1, description="Pass as `after` for the next page; null on the last")
