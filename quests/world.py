"""The desert: five regions, each teaching one part of the platform and guarded by a
Guardian that a player crafts from five of the region's shards."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

GUARDIAN_BASE_ID = 100
LEGEND_ID = 1000
SHARDS_PER_GUARDIAN = 5


@dataclass(frozen=True)
class Region:
    """One region of the desert. ``unlock_after`` is the set of quest ids whose completion
    opens it (empty: open from the start)."""

    number: int
    key: str
    name: str
    teaches: str
    guardian: str
    unlock_after: frozenset[str]

    @property
    def shard_id(self) -> int:
        """LegendShards token id of this region's shard."""
        return self.number

    @property
    def guardian_id(self) -> int:
        """LegendShards token id of this region's Guardian."""
        return GUARDIAN_BASE_ID + self.number

    def is_unlocked(self, completed: Iterable[str]) -> bool:
        return self.unlock_after <= set(completed)


REGIONS: tuple[Region, ...] = (
    Region(
        1,
        "gate",
        "The Gate",
        "your wallet, the SAHARA faucet and your soulbound Sahara ID",
        "the Sphinx of the Gate",
        frozenset(),
    ),
    Region(
        2,
        "oasis",
        "The Data Oasis",
        "crowdsourced data labeling, reviews and datasets with contributor shares",
        "the Warden of the Well",
        frozenset({"gate.faucet", "gate.sahara-id"}),
    ),
    Region(
        3,
        "forge",
        "The Agent Forge",
        "building agents, licensing them and attested invocations",
        "the Brass Djinn",
        frozenset({"oasis.first-labels"}),
    ),
    Region(
        4,
        "bazaar",
        "The Bazaar",
        "the AI marketplace: listings, purchases and the revenue split",
        "the Caravan Master",
        frozenset({"forge.register-agent"}),
    ),
    Region(
        5,
        "citadel",
        "The Citadel",
        "staking, stake-weighted governance and forging the Legend",
        "the Sentinel of the Sands",
        frozenset({"bazaar.first-listing"}),
    ),
)

_BY_KEY = {r.key: r for r in REGIONS}
_BY_NUMBER = {r.number: r for r in REGIONS}
REGION_KEYS: frozenset[str] = frozenset(_BY_KEY)


def region(key_or_number: str | int) -> Region:
    """The region with this key (``"oasis"``) or number (``2``); ``KeyError`` otherwise."""
    found = (_BY_NUMBER if isinstance(key_or_number, int) else _BY_KEY).get(key_or_number)
    if found is None:
        raise KeyError(f"no region {key_or_number!r}")
    return found


def unlocked_regions(completed: Iterable[str], regions: Iterable[Region] = REGIONS) -> tuple[Region, ...]:
    """The regions a player who has completed these quest ids may enter, in map order."""
    done = set(completed)
    return tuple(r for r in regions if r.unlock_after <= done)


def missing_for_unlock(key: str, completed: Iterable[str]) -> frozenset[str]:
    """Quest ids still needed to open region ``key`` (empty when it is open)."""
    return region(key).unlock_after - set(completed)
