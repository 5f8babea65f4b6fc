"""Quests as data: the parsed, validated shape of one quest and of the whole catalog."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any

from quests.errors import DefinitionError
from quests.fields import Fields
from quests.objectives import (
    AnswerObjective,
    EventObjective,
    Objective,
    StateObjective,
    parse_objective,
    walk,
)
from quests.units import WEI_PER_SAHARA
from quests.world import REGION_KEYS, region

QUEST_ID = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")
_DURATION = re.compile(r"^(\d+)\s*([smhdw]?)$")
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class Recurrence(StrEnum):
    """How often a quest can be completed: once ever, once per UTC day, once per ISO week."""

    ONCE = "once"
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(frozen=True)
class Rewards:
    """What completing a quest pays: shards per region key, whole SAHARA tokens, XP."""

    shards: Mapping[str, int] = field(default_factory=dict)
    sahara: int = 0
    xp: int = 0

    @property
    def sahara_wei(self) -> int:
        return self.sahara * WEI_PER_SAHARA

    def shard_tokens(self) -> dict[int, int]:
        """LegendShards token id -> amount (the shard id of a region is its number)."""
        return {region(key).shard_id: n for key, n in self.shards.items()}


@dataclass(frozen=True)
class Quest:
    """One quest. Its objectives must all be met (wrap them in ``any`` for a choice)."""

    id: str
    region: str
    title: str
    story: str
    objectives: tuple[Objective, ...]
    prerequisites: frozenset[str] = frozenset()
    recurrence: Recurrence = Recurrence.ONCE
    cooldown: timedelta = timedelta(0)
    rewards: Rewards = field(default_factory=Rewards)
    available_from: datetime | None = None
    available_until: datetime | None = None
    campaign: str | None = None
    activation: bool = False
    rule_version: int = 1
    source: str | None = field(default=None, compare=False)

    def all_objectives(self) -> Iterator[Objective]:
        """Every objective of the quest, nested ones included."""
        for objective in self.objectives:
            yield from walk(objective)

    def listens_to(self) -> frozenset[tuple[str, str]]:
        """The (contract, event) pairs whose logs can move this quest."""
        return frozenset(
            (o.contract, o.event) for o in self.all_objectives() if isinstance(o, EventObjective)
        )

    def state_checks(self) -> frozenset[tuple[str, int | None]]:
        """The (check, token_id) readings this quest needs fed as ``StateReading``."""
        return frozenset(
            (o.check, o.token_id) for o in self.all_objectives() if isinstance(o, StateObjective)
        )

    def is_within_window(self, at: datetime) -> bool:
        """Is ``at`` inside the availability window (``available_until`` is exclusive)?"""
        if self.available_from is not None and at < self.available_from:
            return False
        return self.available_until is None or at < self.available_until


def parse_quest(spec: Any, where: str = "", *, default_region: str | None = None) -> Quest:
    """Validate one quest mapping (as read from YAML) and build the ``Quest``.

    Raises ``DefinitionError`` naming the field. Cross-quest rules (unknown prerequisites,
    cycles, duplicates, contracts and events) are checked by ``quests.loader``.
    """
    f = Fields(spec, where)
    quest_id = f.text("id")
    if not QUEST_ID.match(quest_id):
        raise DefinitionError(f.path("id"), f"{quest_id!r} is not a quest id like 'oasis.labels'")
    region_key = f.text("region", default_region)
    if region_key is None:
        raise DefinitionError(f.path("region"), "is required")
    if region_key not in REGION_KEYS:
        raise DefinitionError(f.path("region"), f"unknown region {region_key!r}")
    specs = f.raw("objectives")
    if not isinstance(specs, list) or not specs:
        raise DefinitionError(f.path("objectives"), "expected a non-empty list of objectives")
    objectives = tuple(parse_objective(s, f"{f.path('objectives')}[{i}]") for i, s in enumerate(specs))
    try:
        recurrence = Recurrence(f.text("recurrence", "once"))
    except ValueError:
        raise DefinitionError(f.path("recurrence"), "expected once, daily or weekly") from None
    prerequisites = f.texts("prerequisites", ())
    if quest_id in prerequisites:
        raise DefinitionError(f.path("prerequisites"), "a quest cannot require itself")
    quest = Quest(
        id=quest_id,
        region=region_key,
        title=f.text("title"),
        story=f.text("story"),
        objectives=objectives,
        prerequisites=frozenset(prerequisites),
        recurrence=recurrence,
        cooldown=parse_duration(f.raw("cooldown", 0), f.path("cooldown")),
        rewards=_rewards(f.mapping("rewards"), f.path("rewards")),
        available_from=parse_instant(f.raw("available_from", None), f.path("available_from")),
        available_until=parse_instant(f.raw("available_until", None), f.path("available_until")),
        campaign=f.text("campaign", None),
        activation=f.boolean("activation", False),
        rule_version=f.integer("rule_version", 1, minimum=1),
    )
    f.done()
    if quest.available_from and quest.available_until:
        if quest.available_until <= quest.available_from:
            raise DefinitionError(f.path("available_until"), "must be after available_from")
    answers = [o for o in quest.all_objectives() if isinstance(o, AnswerObjective)]
    if len(answers) > 1:
        raise DefinitionError(f.path("objectives"), "a quest asks at most one question")
    return quest


def _rewards(spec: Mapping[str, Any], where: str) -> Rewards:
    f = Fields(spec, where)
    shards = f.mapping("shards", {})
    for key, n in shards.items():
        if key not in REGION_KEYS:
            raise DefinitionError(f.path(f"shards.{key}"), f"unknown region {key!r}")
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise DefinitionError(f.path(f"shards.{key}"), f"expected a positive count, got {n!r}")
    rewards = Rewards(
        shards=dict(shards),
        sahara=f.integer("sahara", 0, minimum=0),
        xp=f.integer("xp", 0, minimum=0),
    )
    f.done()
    return rewards


def parse_duration(value: Any, where: str) -> timedelta:
    """Seconds (``3600``) or a short text (``"90s"``, ``"30m"``, ``"1h"``, ``"1d"``, ``"1w"``)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DefinitionError(where, f"expected seconds or a duration like '1h', got {value!r}")
    if isinstance(value, int):
        seconds = value
    else:
        match = _DURATION.match(value.strip())
        if not match:
            raise DefinitionError(where, f"expected a duration like '90s' or '1h', got {value!r}")
        seconds = int(match[1]) * _SECONDS[match[2]]
    if seconds < 0:
        raise DefinitionError(where, "must not be negative")
    return timedelta(seconds=seconds)


def parse_instant(value: Any, where: str) -> datetime | None:
    """An ISO UTC instant (``2026-12-01T00:00:00Z``); a bare date means midnight UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            raise DefinitionError(where, f"expected an ISO UTC time, got {value!r}") from None
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, datetime):
        raise DefinitionError(where, f"expected an ISO UTC time, got {value!r}")
    if value.tzinfo is None:
        raise DefinitionError(where, "needs a time zone, e.g. 2026-12-01T00:00:00Z")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class Catalog:
    """Every quest of the game, by id, in catalog order. Built by ``quests.loader``."""

    quests: Mapping[str, Quest]

    def __len__(self) -> int:
        return len(self.quests)

    def __iter__(self) -> Iterator[Quest]:
        return iter(self.quests.values())

    def __contains__(self, quest_id: object) -> bool:
        return quest_id in self.quests

    def get(self, quest_id: str) -> Quest:
        """The quest with this id; ``KeyError`` if there is none."""
        return self.quests[quest_id]

    def in_region(self, key: str) -> tuple[Quest, ...]:
        return tuple(q for q in self if q.region == key)

    @cached_property
    def activation_ids(self) -> frozenset[str]:
        """Quests a referred player must complete before the referral counts."""
        return frozenset(q.id for q in self if q.activation)

    @cached_property
    def _by_event(self) -> dict[tuple[str, str], tuple[Quest, ...]]:
        index: dict[tuple[str, str], list[Quest]] = {}
        for quest in self:
            for pair in quest.listens_to():
                index.setdefault(pair, []).append(quest)
        return {pair: tuple(qs) for pair, qs in index.items()}

    @cached_property
    def titles(self) -> dict[str, str]:
        """Quest id -> title, for sentences a player reads."""
        return {q.id: q.title for q in self}

    @cached_property
    def _followers(self) -> dict[str, tuple[Quest, ...]]:
        index: dict[str, list[Quest]] = {}
        for quest in self:
            for needed in quest.prerequisites | region(quest.region).unlock_after:
                index.setdefault(needed, []).append(quest)
        return {key: tuple(qs) for key, qs in index.items()}

    def followers(self, quest_id: str) -> tuple[Quest, ...]:
        """Quests that ``quest_id`` helps open (as a prerequisite or its region's key)."""
        return self._followers.get(quest_id, ())

    def listening_to(self, contract: str, event: str) -> tuple[Quest, ...]:
        """Quests with an event objective on ``contract.event`` (for routing indexed logs)."""
        return self._by_event.get((contract, event), ())

    def events(self) -> frozenset[tuple[str, str]]:
        """Every (contract, event) pair some quest listens to."""
        return frozenset(self._by_event)
