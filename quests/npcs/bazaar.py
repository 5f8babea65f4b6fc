"""The Bazaar merchant's stall: the Oracle of the Dunes agent it built and licenses, and two
carpets (listings) — the caravan star-map model and the Oracle agent itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from quests.npcs.cast import Census, Stock

ORACLE_URI = "sahara-legends://npc/oracle-of-the-dunes"
ORACLE_MODEL = b"oracle-of-the-dunes".ljust(32, b"\0")
STAR_MAP_URI = "sahara-legends://npc/bazaar/caravan-star-map"
ORACLE_STALL_URI = "sahara-legends://npc/bazaar/oracle-of-the-dunes"
STALL_URIS = (STAR_MAP_URI, ORACLE_STALL_URI)
STAR_MAP_MODEL = 1  # the star map is model #1 of the merchant's catalogue


class AssetKind(StrEnum):
    """What a marketplace listing sells."""

    DATASET = "dataset"
    MODEL = "model"
    AGENT = "agent"


@dataclass(frozen=True)
class Carpet:
    """A listing the merchant keeps in the Bazaar."""

    uri: str
    kind: AssetKind
    asset_ref: int
    price: int


def is_stall(uri: str) -> bool:
    """Whether a listing's URI marks it as one of the merchant's NPC stalls."""
    return uri in STALL_URIS


def carpets(stock: Stock, oracle_agent: int) -> tuple[Carpet, ...]:
    """Every carpet the merchant keeps unrolled, once the Oracle agent exists."""
    return (Carpet(STAR_MAP_URI, AssetKind.MODEL, STAR_MAP_MODEL, stock.star_map_price),
            Carpet(ORACLE_STALL_URI, AssetKind.AGENT, oracle_agent, stock.oracle_price))


def missing_carpets(found: Census, stock: Stock, oracle_agent: int) -> list[Carpet]:
    """The carpets to unroll: those with no active listing in the census."""
    return [c for c in carpets(stock, oracle_agent) if c.uri not in found.listings]
