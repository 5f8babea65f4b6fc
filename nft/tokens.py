"""The token id scheme shared by LegendShards and LegendRelic (see docs/contracts.md).

- shard of region r: id r (1..5), common
- Guardian of region r: id 100 + r (101..105), epic
- the Legend: id 1000 (on LegendRelic), legendary, soulbound, one per player

Ids arrive from URLs either in decimal or as the ERC-1155 ``{id}`` substitution: 64 lowercase
hex characters without ``0x``. :func:`parse_token_id` accepts both and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Region:
    """A region of the desert world; its number is also its shard's token id."""

    number: int
    key: str
    name: str  # "The Data Oasis"
    short: str  # "Data Oasis", as in "needs 2 more Data Oasis shards"


REGIONS: tuple[Region, ...] = (
    Region(1, "gate", "The Gate", "Gate"),
    Region(2, "oasis", "The Data Oasis", "Data Oasis"),
    Region(3, "forge", "The Agent Forge", "Agent Forge"),
    Region(4, "bazaar", "The Bazaar", "Bazaar"),
    Region(5, "citadel", "The Citadel", "Citadel"),
)
_BY_NUMBER = {r.number: r for r in REGIONS}
_BY_KEY = {r.key: r for r in REGIONS}

GUARDIAN_OFFSET = 100
LEGEND_ID = 1000


class TokenKind(StrEnum):
    SHARD = "shard"
    GUARDIAN = "guardian"
    LEGEND = "legend"


class Rarity(StrEnum):
    COMMON = "common"
    EPIC = "epic"
    LEGENDARY = "legendary"


_RARITY = {TokenKind.SHARD: Rarity.COMMON, TokenKind.GUARDIAN: Rarity.EPIC,
           TokenKind.LEGEND: Rarity.LEGENDARY}


class UnknownTokenError(ValueError):
    """A token id that is malformed or is not one of the game's 11 ids."""


class UnknownRegionError(ValueError):
    """A region key or number that is not one of the five regions."""


def region(ref: Region | int | str) -> Region:
    """The region for a :class:`Region`, a region number (1..5) or a key ("bazaar")."""
    if isinstance(ref, Region):
        return ref
    if isinstance(ref, bool):  # bool is an int; True must not mean The Gate
        raise UnknownRegionError(f"unknown region {ref!r}")
    found = _BY_NUMBER.get(ref) if isinstance(ref, int) else _BY_KEY.get(ref)
    if found is None:
        keys = ", ".join(r.key for r in REGIONS)
        raise UnknownRegionError(f"unknown region {ref!r} (expected 1..5 or one of {keys})")
    return found


def shard_id(ref: Region | int | str) -> int:
    """Token id of the shard of a region."""
    return region(ref).number


def guardian_id(ref: Region | int | str) -> int:
    """Token id of the Guardian of a region."""
    return GUARDIAN_OFFSET + region(ref).number


SHARD_IDS: tuple[int, ...] = tuple(shard_id(r) for r in REGIONS)
GUARDIAN_IDS: tuple[int, ...] = tuple(guardian_id(r) for r in REGIONS)
ALL_TOKEN_IDS: tuple[int, ...] = (*SHARD_IDS, *GUARDIAN_IDS, LEGEND_ID)


def _check(token_id: int) -> int:
    if isinstance(token_id, bool) or not isinstance(token_id, int):
        raise UnknownTokenError(f"token id must be an integer, got {token_id!r}")
    if token_id not in ALL_TOKEN_IDS:
        raise UnknownTokenError(
            f"unknown token id {token_id} (shards 1..5, Guardians 101..105, Legend 1000)"
        )
    return token_id


def kind_of(token_id: int) -> TokenKind:
    """Whether a token id is a shard, a Guardian or the Legend."""
    token_id = _check(token_id)
    if token_id == LEGEND_ID:
        return TokenKind.LEGEND
    return TokenKind.SHARD if token_id in SHARD_IDS else TokenKind.GUARDIAN


def region_of(token_id: int) -> Region | None:
    """The region of a shard or Guardian; ``None`` for the Legend, which unites all five."""
    kind = kind_of(token_id)
    if kind is TokenKind.LEGEND:
        return None
    return _BY_NUMBER[token_id % GUARDIAN_OFFSET]


def rarity_of(token_id: int) -> Rarity:
    """Shards are common, Guardians epic, the Legend legendary."""
    return _RARITY[kind_of(token_id)]


def token_name(token_id: int) -> str:
    """Display name: "Bazaar Shard", "Guardian of The Bazaar", "The Sahara Legend"."""
    kind = kind_of(token_id)
    place = region_of(token_id)
    if kind is TokenKind.SHARD:
        return f"{place.short} Shard"
    if kind is TokenKind.GUARDIAN:
        return f"Guardian of {place.name}"
    return "The Sahara Legend"


def token_label(token_id: int, count: int) -> str:
    """How a count of a token reads in a sentence: "2 Bazaar shards", "1 Gate Guardian"."""
    kind = kind_of(token_id)
    place = region_of(token_id)
    noun = {TokenKind.SHARD: "shard", TokenKind.GUARDIAN: "Guardian"}.get(kind)
    if noun is None:
        return f"{count} Legend" + ("" if count == 1 else "s")
    return f"{count} {place.short} {noun}" + ("" if count == 1 else "s")


_HEX_ID = re.compile(r"[0-9a-f]{64}")
_DECIMAL_ID = re.compile(r"[0-9]{1,20}")


def parse_token_id(text: str) -> int:
    """Parse a token id from a URL: decimal ("104") or ERC-1155 ``{id}`` hex (64 lowercase chars).

    Raises :class:`UnknownTokenError` naming the input when it is neither, or not a game id.
    """
    if not isinstance(text, str):
        raise UnknownTokenError(f"token id must be text, got {type(text).__name__}")
    if _HEX_ID.fullmatch(text):
        value = int(text, 16)
    elif _DECIMAL_ID.fullmatch(text):
        value = int(text, 10)
    else:
        raise UnknownTokenError(
            f"token id {text[:80]!r} is neither decimal nor 64 lowercase hex characters"
        )
    return _check(value)


def erc1155_hex(token_id: int) -> str:
    """The ERC-1155 ``{id}`` form of a token id: 64 lowercase hex characters, no ``0x``."""
    return f"{_check(token_id):064x}"
