"""The world map: regions, whether the player has opened them, and their quests."""

from __future__ import annotations

from flask import current_app

from legends.api import api
from legends.api.contract import operation, reply
from legends.api.play import game_transaction, optional_player
from legends.api.world_models import Npcs, World
from legends.wiring import npcs
from legends.wiring.completions import sync_rewarded
from legends.wiring.game import now
from quests.overview import world


@operation(api.get, "/world", ok={200: World}, tag="world")
def world_map():  # type: ignore[no-untyped-def]
    """Regions, their unlock state and their quests

    Anonymous visitors see every region and quest, all locked.
    """
    player, at = optional_player(), now()
    with game_transaction() as db:
        if player is not None:
            sync_rewarded(db, at, player_id=player.id)
        return reply(World, world(db, player, at))


@operation(api.get, "/world/npcs", ok={200: Npcs}, errors=(503,), tag="world")
def world_npcs():  # type: ignore[no-untyped-def]
    """Where the world's NPCs are

    The Oasis caravan's labeling task, the Bazaar merchant's listings, the Oracle of the Dunes
    agent and the proposal open for votes, read from the chain.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return reply(Npcs, npcs.report(app))
