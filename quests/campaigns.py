"""Campaigns (seasons): their windows, budgets, weekly leaderboard windows with prize tiers,
and the rules that decide whether a campaign's quest is open and whether an action counts.

Pure: no Flask, no database. ``quests.campaign_store`` persists campaigns and hands these
rules ``CampaignState`` snapshots; the engine asks a ``Calendar`` about one quest at a time.
A quest in no campaign is not the calendar's business (``gate`` answers None).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from quests.definitions import Rewards
from quests.errors import QuestError
from quests.progress import Standing

BUDGET_KINDS = ("shards", "sahara", "xp")
BOARDS = ("xp", "shards")
MAX_NAME = 120
MAX_ANNOUNCEMENT = 500


class CampaignStatus(StrEnum):
    DRAFT = "draft"  # invisible to players; its quests keep their usual behaviour
    PUBLISHED = "published"  # opens at its start (the scheduler), closes at its end
    PAUSED = "paused"  # its quests are closed until it is published again
    ENDED = "ended"  # over (at its end, or ended early by an admin)


class CampaignInvalid(QuestError):
    """An admin's campaign cannot be saved; ``field`` names what is wrong."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class PrizeTier:
    """Ranks ``first``..``last`` (inclusive) of a window's leaderboard receive ``rewards``."""

    first: int
    last: int
    rewards: Rewards

    def covers(self, rank: int) -> bool:
        return self.first <= rank <= self.last


@dataclass(frozen=True)
class LeaderboardWindow:
    """A weekly (or any) leaderboard window: ranked by ``board`` over campaign completions
    inside [starts_at, ends_at); its prizes are paid once when it closes."""

    starts_at: datetime
    ends_at: datetime
    board: str = "xp"
    prizes: tuple[PrizeTier, ...] = ()

    def prize_for(self, rank: int) -> Rewards | None:
        return next((t.rewards for t in self.prizes if t.covers(rank)), None)


@dataclass(frozen=True)
class Announcement:
    send_at: datetime
    text: str


@dataclass(frozen=True)
class CampaignPlan:
    """What an admin writes: everything but the campaign's state."""

    name: str
    starts_at: datetime
    ends_at: datetime
    quests: tuple[str, ...] = ()
    budgets: Mapping[str, int] = field(default_factory=dict)
    windows: tuple[LeaderboardWindow, ...] = ()
    announcements: tuple[Announcement, ...] = ()


@dataclass(frozen=True)
class CampaignState:
    """A stored campaign as the rules see it."""

    id: int
    name: str
    status: CampaignStatus
    starts_at: datetime
    ends_at: datetime
    quests: frozenset[str]
    opened_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def effective_end(self) -> datetime:
        """The end, or the moment an admin ended it early."""
        return min(self.ends_at, self.closed_at) if self.closed_at else self.ends_at

    def live(self, at: datetime) -> bool:
        """Open to players: published, opened by the scheduler and not yet over."""
        return (self.status is CampaignStatus.PUBLISHED and self.opened_at is not None
                and self.closed_at is None and self.starts_at <= at < self.ends_at)

    def counts(self, at: datetime) -> bool:
        """Does an action at ``at`` count for this campaign's quests?"""
        if self.status in (CampaignStatus.DRAFT, CampaignStatus.PAUSED):
            return False
        return self.starts_at <= at < self.effective_end


class Calendar:
    """Every non-draft campaign, asked about one quest at a time."""

    def __init__(self, campaigns: Sequence[CampaignState] = ()) -> None:
        self.campaigns = tuple(c for c in campaigns if c.status is not CampaignStatus.DRAFT)
        self._by_quest: dict[str, list[CampaignState]] = {}
        for campaign in self.campaigns:
            for quest_id in campaign.quests:
                self._by_quest.setdefault(quest_id, []).append(campaign)

    def of(self, quest_id: str) -> tuple[CampaignState, ...]:
        return tuple(self._by_quest.get(quest_id, ()))

    def gate(self, quest_id: str, at: datetime) -> Standing | None:
        """None for a quest in no campaign; otherwise open while one of its campaigns is
        live, and closed with the reason a player reads."""
        mine = self.of(quest_id)
        if not mine:
            return None
        if any(c.live(at) for c in mine):
            return Standing(True)
        coming = sorted((c for c in mine if c.status is CampaignStatus.PUBLISHED
                         and at < c.ends_at and c.closed_at is None), key=lambda c: c.starts_at)
        if coming:
            first = coming[0]
            if at < first.starts_at:
                return Standing(False, f"opens with {first.name} at {show(first.starts_at)}",
                                first.starts_at)
            return Standing(False, f"{first.name} is opening", first.starts_at)
        paused = [c for c in mine if c.status is CampaignStatus.PAUSED]
        if paused:
            return Standing(False, f"{paused[0].name} is paused")
        last = max(mine, key=lambda c: c.effective_end)
        return Standing(False, f"{last.name} closed at {show(last.effective_end)}")

    def counts(self, quest_id: str, at: datetime) -> bool:
        """Does an action at ``at`` count for the quest? (Always, outside campaigns.)"""
        mine = self.of(quest_id)
        return not mine or any(c.counts(at) for c in mine)

    def charging(self, quest_id: str, at: datetime) -> CampaignState | None:
        """The campaign whose budget pays a completion of the quest at ``at``."""
        return next((c for c in self.of(quest_id) if c.counts(at)), None)


def show(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


# -- budgets ------------------------------------------------------------------------------------
def reward_amounts(rewards: Rewards) -> dict[str, int]:
    """What a reward costs each budget kind (shards of every region count together)."""
    return {"shards": sum(rewards.shards.values()), "sahara": rewards.sahara, "xp": rewards.xp}


def over_budget(cost: Mapping[str, int], caps: Mapping[str, int],
                granted: Mapping[str, int]) -> str | None:
    """The first budget kind ``cost`` would overdraw (None: it fits). Kinds without a cap
    are unlimited."""
    for kind in BUDGET_KINDS:
        if kind in caps and cost.get(kind, 0) and granted.get(kind, 0) + cost[kind] > caps[kind]:
            return kind
    return None


def withheld_reason(campaign_name: str, kind: str) -> str:
    return (f"{campaign_name}'s {kind} budget is spent: this completion is recorded but not "
            "rewarded")


# -- prizes ------------------------------------------------------------------------------------
def prize_winners(scores: Sequence[tuple[str, int]], window: LeaderboardWindow
                  ) -> list[tuple[str, int, Rewards]]:
    """(address, rank, prize) for the window's scores (address, score), highest first.
    Equal scores share a rank; a player with no score wins nothing."""
    ordered = sorted((s for s in scores if s[1] > 0), key=lambda s: (-s[1], s[0]))
    winners, rank, previous = [], 0, None
    for i, (address, score) in enumerate(ordered):
        if score != previous:
            rank, previous = i + 1, score
        prize = window.prize_for(rank)
        if prize is not None:
            winners.append((address, rank, prize))
    return winners


def window_score(board: str, rewards: Rewards) -> int:
    return rewards.xp if board == "xp" else sum(rewards.shards.values())
