"""Campaigns (seasons): their windows, budgets, weekly leaderboard windows with prize tiers,
and the rules that decide whether a campaign's quest is open and whether an action counts.

Pure: no Flask, no database. ``quests.campaign_store`` persists campaigns and hands these
rules ``CampaignState`` snapshots; the engine asks a ``Calendar`` about one quest at a time.
A quest in no campaign is not the calendar's business (``gate`` answers None).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from quests.definitions import Rewards
from quests.errors import DefinitionError, QuestError
from quests.fields import Fields
from quests.progress import Standing
from quests.world import REGION_KEYS

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


# -- reading and validating what an admin sent -----------------------------------------------------
def parse_plan(data: Any) -> CampaignPlan:
    """An admin's JSON body as a plan; ``CampaignInvalid`` names the field."""
    try:
        f = Fields(data, "")
        name = f.text("name").strip()
        if not name or len(name) > MAX_NAME:
            raise CampaignInvalid("name", f"give the campaign a name of 1 to {MAX_NAME} characters")
        plan = CampaignPlan(
            name=name,
            starts_at=instant(f.raw("starts_at", None), "starts_at"),
            ends_at=instant(f.raw("ends_at", None), "ends_at"),
            quests=tuple(f.texts("quests", ())),
            budgets=_budgets(f.mapping("budgets", {})),
            windows=tuple(_window(w, f"windows[{i}]") for i, w in enumerate(_list(f, "windows"))),
            announcements=tuple(_announcement(a, f"announcements[{i}]")
                                for i, a in enumerate(_list(f, "announcements"))),
        )
        f.done()
    except DefinitionError as exc:
        raise CampaignInvalid(exc.field, exc.problem) from None
    return plan


def _list(f: Fields, name: str) -> list[Any]:
    value = f.raw(name, [])
    if not isinstance(value, list):
        raise CampaignInvalid(name, "expected a list")
    return value


def instant(value: Any, where: str) -> datetime:
    """An ISO instant with a time zone, stored in UTC."""
    if not isinstance(value, str) or not value.strip():
        raise CampaignInvalid(where, "expected an ISO time with a zone, e.g. 2026-12-01T00:00:00Z")
    try:
        at = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise CampaignInvalid(where, f"expected an ISO time, got {value!r}") from None
    if at.tzinfo is None:
        raise CampaignInvalid(where, "needs a time zone, e.g. 2026-12-01T00:00:00Z")
    return at.astimezone(UTC)


def _budgets(spec: Mapping[str, Any]) -> dict[str, int]:
    budgets = {}
    for kind, cap in spec.items():
        if kind not in BUDGET_KINDS:
            raise CampaignInvalid(f"budgets.{kind}",
                                  f"unknown reward type (known: {', '.join(BUDGET_KINDS)})")
        if isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
            raise CampaignInvalid(f"budgets.{kind}", f"expected a whole number >= 0, got {cap!r}")
        budgets[kind] = cap
    return budgets


def _window(spec: Any, where: str) -> LeaderboardWindow:
    f = Fields(spec, where)
    board = f.text("board", "xp")
    if board not in BOARDS:
        raise CampaignInvalid(f.path("board"), f"expected one of {', '.join(BOARDS)}")
    prizes = []
    for i, tier in enumerate(_list(f, "prizes")):
        t = Fields(tier, f"{where}.prizes[{i}]")
        first = t.integer("first", 1, minimum=1)
        last = t.integer("last", first, minimum=first)
        prizes.append(PrizeTier(first, last, _rewards(t.mapping("rewards"), t.path("rewards"))))
        t.done()
    window = LeaderboardWindow(instant(f.raw("starts_at", None), f.path("starts_at")),
                               instant(f.raw("ends_at", None), f.path("ends_at")), board, tuple(prizes))
    f.done()
    return window


def _rewards(spec: Mapping[str, Any], where: str) -> Rewards:
    f = Fields(spec, where)
    shards = f.mapping("shards", {})
    for key, n in shards.items():
        if key not in REGION_KEYS:
            raise CampaignInvalid(f"{where}.shards.{key}", f"unknown region {key!r}")
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise CampaignInvalid(f"{where}.shards.{key}", f"expected a positive count, got {n!r}")
    rewards = Rewards(dict(shards), f.integer("sahara", 0, minimum=0), f.integer("xp", 0, minimum=0))
    f.done()
    return rewards


def _announcement(spec: Any, where: str) -> Announcement:
    f = Fields(spec, where)
    text = f.text("text").strip()
    if not text or len(text) > MAX_ANNOUNCEMENT:
        raise CampaignInvalid(f.path("text"), f"1 to {MAX_ANNOUNCEMENT} characters")
    at = instant(f.raw("send_at", None), f.path("send_at"))
    f.done()
    return Announcement(at, text)


def validate(plan: CampaignPlan, *, known_quests: Set[str], granted: Mapping[str, int] | None = None,
             others: Sequence[CampaignState] = ()) -> None:
    """Check a plan against the catalog, what its campaign already granted, and the other
    campaigns (a quest may not be in two campaigns at the same time)."""
    if plan.ends_at <= plan.starts_at:
        raise CampaignInvalid("ends_at", "the campaign must end after it starts")
    for i, quest_id in enumerate(plan.quests):
        if quest_id not in known_quests:
            raise CampaignInvalid(f"quests[{i}]", f"unknown quest {quest_id!r}")
    if len(set(plan.quests)) != len(plan.quests):
        raise CampaignInvalid("quests", "a quest is listed twice")
    for kind, cap in plan.budgets.items():
        spent = (granted or {}).get(kind, 0)
        if cap < spent:
            raise CampaignInvalid(f"budgets.{kind}", f"{spent} {kind} are already granted; the cap "
                                                     f"cannot go below that")
    ordered = sorted(enumerate(plan.windows), key=lambda iw: iw[1].starts_at)
    for i, window in enumerate(plan.windows):
        where = f"windows[{i}]"
        if window.ends_at <= window.starts_at:
            raise CampaignInvalid(f"{where}.ends_at", "the window must end after it starts")
        if window.starts_at < plan.starts_at or window.ends_at > plan.ends_at:
            raise CampaignInvalid(where, "the window must lie inside the campaign")
    for (_, a), (j, b) in zip(ordered, ordered[1:]):
        if b.starts_at < a.ends_at:
            raise CampaignInvalid(f"windows[{j}]", "overlaps another leaderboard window")
    for i, note in enumerate(plan.announcements):
        if not plan.starts_at <= note.send_at <= plan.ends_at:
            raise CampaignInvalid(f"announcements[{i}].send_at", "must fall inside the campaign")
    for other in others:
        if other.status is CampaignStatus.DRAFT:
            continue
        shared = sorted(set(plan.quests) & other.quests)
        if shared and plan.starts_at < other.effective_end and other.starts_at < plan.ends_at:
            raise CampaignInvalid("quests", f"{shared[0]} is already in {other.name} at that time "
                                            "(overlapping windows)")


def weekly_windows(starts_at: datetime, ends_at: datetime, board: str = "xp",
                   prizes: tuple[PrizeTier, ...] = ()) -> tuple[LeaderboardWindow, ...]:
    """Seven-day windows from the start; the last one ends with the campaign."""
    windows, at = [], starts_at
    while at < ends_at:
        end = min(at + timedelta(days=7), ends_at)
        windows.append(LeaderboardWindow(at, end, board, prizes))
        at = end
    return tuple(windows)


def plan_to_dict(plan: CampaignPlan) -> dict[str, Any]:
    """The plan as JSON (the audit log's before/after and the API)."""
    return {
        "name": plan.name, "starts_at": plan.starts_at.isoformat(), "ends_at": plan.ends_at.isoformat(),
        "quests": list(plan.quests), "budgets": dict(plan.budgets),
        "windows": [window_to_dict(w) for w in plan.windows],
        "announcements": [{"send_at": a.send_at.isoformat(), "text": a.text} for a in plan.announcements],
    }


def window_to_dict(window: LeaderboardWindow) -> dict[str, Any]:
    return {"starts_at": window.starts_at.isoformat(), "ends_at": window.ends_at.isoformat(),
            "board": window.board,
            "prizes": [{"first": t.first, "last": t.last, "rewards": rewards_to_dict(t.rewards)}
                       for t in window.prizes]}


def rewards_to_dict(rewards: Rewards) -> dict[str, Any]:
    return {"shards": dict(rewards.shards), "sahara": rewards.sahara, "xp": rewards.xp}
