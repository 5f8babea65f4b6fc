"""Reading an admin's campaign (JSON) into a ``CampaignPlan``, validating it against the
catalog, what was already granted and the other campaigns, and writing it back as JSON.
Pure; every error is a ``CampaignInvalid`` naming the field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from datetime import UTC, datetime, timedelta
from typing import Any

from quests.campaigns import (
    BOARDS,
    BUDGET_KINDS,
    MAX_ANNOUNCEMENT,
    MAX_NAME,
    Announcement,
    CampaignInvalid,
    CampaignPlan,
    CampaignState,
    CampaignStatus,
    LeaderboardWindow,
    PrizeTier,
)
from quests.definitions import Rewards
from quests.errors import DefinitionError
from quests.fields import Fields
from quests.world import REGION_KEYS


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
