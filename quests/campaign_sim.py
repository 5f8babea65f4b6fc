"""Simulating a campaign's budgets: given the players and a projected completion rate per
quest, how much of each budget is spent by when, and the day each cap is hit.

``simulate`` is pure. A quest's rate is the share of players (0..1) completing it on a day
it is open; a player completes a ``once`` quest at most once in the campaign, a weekly one
once per week, a daily one once per day. Completions beyond a cap are not counted (they
would be recorded but not rewarded). ``simulate_campaign`` reads the inputs of a stored
campaign and its overrides from an admin's request body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from quests.campaigns import BUDGET_KINDS, reward_amounts
from quests.definitions import Recurrence, Rewards

MAX_DAYS = 366


class SimulationInvalid(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


@dataclass(frozen=True)
class SimQuest:
    id: str
    recurrence: Recurrence
    rewards: Rewards
    rate: float


def simulate(starts_at: datetime, ends_at: datetime, players: int, quests: list[SimQuest],
             caps: Mapping[str, int], granted: Mapping[str, int] | None = None) -> dict[str, Any]:
    granted = dict(granted or {})
    spent = {k: float(granted.get(k, 0)) for k in BUDGET_KINDS}
    done_once: dict[str, float] = {q.id: 0.0 for q in quests}
    done_week: dict[str, float] = {q.id: 0.0 for q in quests}
    cap_hit: dict[str, str | None] = {k: None for k in caps}
    days, first = [], starts_at.astimezone(UTC).date()
    last = (ends_at - timedelta(microseconds=1)).astimezone(UTC).date()
    if (last - first).days + 1 > MAX_DAYS:
        raise SimulationInvalid("ends_at", f"simulations cover at most {MAX_DAYS} days")
    day: date = first
    while day <= last:
        if day.weekday() == 0:
            done_week = dict.fromkeys(done_week, 0.0)
        completions: dict[str, float] = {}
        for q in quests:
            if q.recurrence is Recurrence.ONCE:
                n = (players - done_once[q.id]) * q.rate
                done_once[q.id] += n
            elif q.recurrence is Recurrence.WEEKLY:
                n = (players - done_week[q.id]) * q.rate
                done_week[q.id] += n
            else:
                n = players * q.rate
            completions[q.id] = n
            cost = reward_amounts(q.rewards)
            for kind in BUDGET_KINDS:
                if not cost[kind]:
                    continue
                want = n * cost[kind]
                if kind in caps:
                    want = min(want, max(caps[kind] - spent[kind], 0.0))
                spent[kind] += want
                if kind in caps and cap_hit[kind] is None and spent[kind] >= caps[kind] - 1e-9 and want > 0:
                    cap_hit[kind] = day.isoformat()
        days.append({"day": day.isoformat(),
                     "completions": {k: round(v, 2) for k, v in completions.items()},
                     "spent": {k: round(v) for k, v in spent.items()},
                     "left": {k: max(caps[k] - round(spent[k]), 0) for k in caps}})
        day += timedelta(days=1)
    return {"players": players, "days": days, "cap_hit": cap_hit,
            "total": {k: round(v) for k, v in spent.items()}}


def parse_rates(raw: Any, quest_ids: list[str], default: float) -> dict[str, float]:
    if raw is None:
        return dict.fromkeys(quest_ids, default)
    if not isinstance(raw, Mapping):
        raise SimulationInvalid("rates", "expected a mapping quest id -> share of players per day")
    rates = dict.fromkeys(quest_ids, default)
    for quest_id, rate in raw.items():
        if quest_id not in rates:
            raise SimulationInvalid(f"rates.{quest_id}", "not a quest of this campaign")
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
            raise SimulationInvalid(f"rates.{quest_id}", "expected a share between 0 and 1")
        rates[quest_id] = float(rate)
    return rates


def parse_players(raw: Any, current: int) -> int:
    if raw is None:
        return current
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 10**7:
        raise SimulationInvalid("players", "expected a whole number of players")
    return raw


def simulate_campaign(session: Any, campaign: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """Simulate a stored campaign (``quests.campaign_store.Campaign``); ``data`` may set
    ``players`` (default: the players signed in so far), ``rates`` per quest and ``rate``
    (the default share, 0.1)."""
    from quests.campaign_service import player_count
    from quests.catalog_store import catalog_of

    unknown = sorted(set(data) - {"players", "rates", "rate"})
    if unknown:
        raise SimulationInvalid(unknown[0], "unknown field (known: players, rates, rate)")
    default = data.get("rate", 0.1)
    if isinstance(default, bool) or not isinstance(default, int | float) or not 0 <= default <= 1:
        raise SimulationInvalid("rate", "expected a share between 0 and 1")
    catalog = catalog_of(session)
    ids = [q.quest_id for q in campaign.quests if q.quest_id in catalog]
    rates = parse_rates(data.get("rates"), ids, float(default))
    quests = [SimQuest(i, catalog.get(i).recurrence, catalog.get(i).rewards, rates[i]) for i in ids]
    players = parse_players(data.get("players"), player_count(session))
    result = simulate(campaign.starts_at, campaign.ends_at, players, quests,
                      {b.kind: b.cap for b in campaign.budgets}, campaign.granted())
    return {"campaign_id": campaign.id, "rates": rates, **result}
