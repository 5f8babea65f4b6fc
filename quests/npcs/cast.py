"""Who plays the NPCs and what they hold: the cast, the stock (prices and purses), and the
census of what the NPCs have in the world right now."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from quests.units import WEI_PER_SAHARA

TOKEN = WEI_PER_SAHARA


@dataclass(frozen=True)
class Cast:
    """Who plays the NPCs: the game's admin (caravan master, reviewer, council elder) and the
    Bazaar merchant (another key on the devnet, so players buy from someone else)."""

    admin: str
    merchant: str
    patrons: tuple[str, ...] = ()  # travellers who label, license and buy from players


def cast_on(network: str, admin: str, devnet_merchant: Callable[[], str],
            devnet_patrons: Callable[[], tuple[str, ...]] | None = None) -> Cast:
    """The admin plays the caravan master, reviewer and council elder everywhere; the merchant
    and the patrons are keys of their own on the devnet (asked for only there) and the admin
    elsewhere, so no extra secret has to be managed on a real network."""
    if network != "devnet":
        return Cast(admin=admin, merchant=admin, patrons=(admin,))
    return Cast(admin=admin, merchant=devnet_merchant(),
                patrons=devnet_patrons() if devnet_patrons else ())


@dataclass(frozen=True)
class Stock:
    """The NPCs' prices and purses, in wei."""

    caravan_reward: int = 5 * TOKEN  # per accepted label
    caravan_budget: int = 5_000 * TOKEN  # a thousand labels
    caravan_low_water: int = 100 * TOKEN  # a new caravan arrives below this
    oracle_fee: int = 5 * TOKEN
    star_map_price: int = 3 * TOKEN
    oracle_price: int = 5 * TOKEN


@dataclass(frozen=True)
class Caravan:
    """One Oasis caravan: a labeling task the caravan master posted."""

    task_id: int
    open: bool
    reward_per_label: int
    remaining_budget: int
    block: int  # where it was posted: its labels come later


@dataclass
class Census:
    """What the NPCs have in the world, as found on chain."""

    caravans: list[Caravan] = field(default_factory=list)  # oldest first
    oracle_agent: int | None = None
    listings: dict[str, int] = field(default_factory=dict)  # stall uri -> active listing id
    open_proposal: int | None = None

    @property
    def caravan(self) -> Caravan | None:
        """The caravan players should label for: the newest open one."""
        open_ones = [c for c in self.caravans if c.open]
        return open_ones[-1] if open_ones else None
