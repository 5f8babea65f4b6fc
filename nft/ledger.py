"""Reward grants: what a player is owed, each with an idempotency key.

The ledger is append-only. A grant's key is ``(player, source, period, kind[, token id])``
rendered as a stable string; storing it under a unique constraint is what makes "complete the
same daily quest twice on the same day" pay once. The key therefore must not depend on
anything that can vary between two attempts at the same reward (amounts, times, order):

    grant:v1|0x5aae...|oasis-first-label|2025-03-14|shards|2

- ``player`` is lowercased, so a checksummed and a lowercase address are the same player.
- ``source`` is a quest id, or a namespaced source such as ``bonus:weekly-top``; quest ids
  may not contain ``:``, so they can never collide with a namespaced source.
- ``period`` is the recurrence window the reward belongs to ("once", "2025-03-14",
  "2025-W11"); its format is the quest engine's choice, only its characters are checked here.

Shards and SAHARA are minted on chain through the outbox (:mod:`nft.batching`); XP is
off-chain and never minted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from nft.tokens import SHARD_IDS, UnknownRegionError, region, shard_id

KEY_PREFIX = "grant:v1"
SAHARA_DECIMALS = 18
WEI_PER_SAHARA = 10**SAHARA_DECIMALS

_ADDRESS = re.compile(r"0x[0-9a-f]{40}")
_SOURCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_QUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_PERIOD = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,31}")


class GrantKind(StrEnum):
    SHARDS = "shards"  # LegendShards.mintBatch
    SAHARA = "sahara"  # SaharaToken.mintBatch, amount in wei
    XP = "xp"  # off-chain


class RewardError(ValueError):
    """A reward or grant that cannot be recorded; the message names the field."""


@dataclass(frozen=True, slots=True)
class Grant:
    """One line of the ledger: ``amount`` of ``kind`` (and ``token_id`` for shards) to a player."""

    player: str
    source: str
    period: str
    kind: GrantKind
    amount: int
    token_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "player", normalize_player(self.player))
        object.__setattr__(self, "kind", GrantKind(self.kind))
        if not isinstance(self.source, str) or not _SOURCE.fullmatch(self.source):
            raise RewardError(f"source: {self.source!r} is not a valid grant source")
        if not isinstance(self.period, str) or not _PERIOD.fullmatch(self.period):
            raise RewardError(f"period: {self.period!r} is not a valid period key")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 1:
            raise RewardError(f"amount: must be a positive integer, got {self.amount!r}")
        if self.kind is GrantKind.SHARDS:
            if isinstance(self.token_id, bool) or self.token_id not in SHARD_IDS:
                raise RewardError(f"token_id: {self.token_id!r} is not a shard id (1..5)")
        elif self.token_id is not None:
            raise RewardError(f"token_id: only shard grants carry a token id ({self.kind})")

    @property
    def key(self) -> str:
        """The idempotency key; equal for two attempts at the same reward, distinct otherwise."""
        parts = [KEY_PREFIX, self.player, self.source, self.period, str(self.kind)]
        if self.token_id is not None:
            parts.append(str(self.token_id))
        return "|".join(parts)

    @property
    def on_chain(self) -> bool:
        """Shards and SAHARA are minted; XP is not."""
        return self.kind is not GrantKind.XP


def normalize_player(address: str) -> str:
    """A player's address as it appears in keys: ``0x`` + 40 lowercase hex characters."""
    if not isinstance(address, str) or not _ADDRESS.fullmatch(address.lower()):
        raise RewardError(f"player: {address!r} is not an EVM address")
    return address.lower()


def _amount(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RewardError(f"{field}: must be a non-negative whole number, got {value!r}")
    return value


def grants_for_rewards(
    player: str, source: str, period: str, rewards: Mapping[str, object]
) -> list[Grant]:
    """Turn a rewards mapping into grants; zero amounts grant nothing.

    ``rewards`` = ``{"shards": {region_key: n}, "sahara": whole tokens, "xp": n}``, every
    part optional. Grants come out in a fixed order: shards by region, SAHARA, XP.
    """
    unknown = sorted(set(rewards) - {"shards", "sahara", "xp"})
    if unknown:
        raise RewardError(f"rewards.{unknown[0]}: unknown reward (expected shards, sahara, xp)")
    grants: list[Grant] = []
    shards = rewards.get("shards") or {}
    if not isinstance(shards, Mapping):
        raise RewardError("rewards.shards: must be a mapping region -> count")
    counts: dict[int, int] = {}
    for key, count in shards.items():
        try:
            place = region(key)
        except UnknownRegionError as exc:
            raise RewardError(f"rewards.shards.{key}: {exc}") from None
        if place.number in counts:
            raise RewardError(f"rewards.shards.{key}: {place.key} is listed twice")
        counts[place.number] = _amount(f"rewards.shards.{key}", count)
    for number in sorted(counts):
        if counts[number]:
            grants.append(
                Grant(player, source, period, GrantKind.SHARDS, counts[number], shard_id(number))
            )
    sahara = _amount("rewards.sahara", rewards.get("sahara", 0))
    if sahara:
        grants.append(Grant(player, source, period, GrantKind.SAHARA, sahara * WEI_PER_SAHARA))
    xp = _amount("rewards.xp", rewards.get("xp", 0))
    if xp:
        grants.append(Grant(player, source, period, GrantKind.XP, xp))
    return grants


def grants_for_completion(
    player: str, quest_id: str, period: str, rewards: Mapping[str, object]
) -> list[Grant]:
    """The grants owed for completing ``quest_id`` in ``period``; the quest id is the source."""
    if not isinstance(quest_id, str) or not _QUEST_ID.fullmatch(quest_id):
        raise RewardError(f"quest_id: {quest_id!r} is not a valid quest id")
    return grants_for_rewards(player, quest_id, period, rewards)
