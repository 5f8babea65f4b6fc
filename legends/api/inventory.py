"""What a player owns and can craft: ``GET /api/inventory`` and ``GET /api/crafting``."""

from __future__ import annotations

from legends.api import api
from legends.api.contract import operation, player, reply
from legends.api.inventory_models import Crafting, Inventory
from legends.wiring import inventory as rewards


@operation(api.get, "/inventory", ok={200: Inventory}, errors=(503,), signed_in=True, tag="rewards")
def inventory():  # type: ignore[no-untyped-def]
    """Shards, Guardians, the Legend and rewards on their way"""
    who = player()
    return reply(Inventory, rewards.inventory(who.address, who.xp))


@operation(api.get, "/crafting", ok={200: Crafting}, errors=(503,), signed_in=True, tag="rewards")
def crafting():  # type: ignore[no-untyped-def]
    """Recipes with a preview of what the player can craft

    The craft itself is an on-chain burn and mint the player's own wallet sends.
    """
    return reply(Crafting, rewards.crafting(player().address))
