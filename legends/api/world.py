"""The world map: regions, whether the player has opened them, and their quests."""

from __future__ import annotations

from flask import current_app, jsonify

from legends.api import api
from legends.api.inventory import from_chain
from legends.api.play import game_transaction, optional_player
from legends.wiring import npcs
from legends.wiring.completions import sync_rewarded
from legends.wiring.game import now
from quests.overview import world


@api.get("/world")
def world_map():  # type: ignore[no-untyped-def]
    """Anonymous visitors see every region and quest, all locked."""
    player, at = optional_player(), now()
    with game_transaction() as db:
        if player is not None:
            sync_rewarded(db, at, player_id=player.id)
        return jsonify(world(db, player, at))


@api.get("/world/npcs")
def world_npcs():  # type: ignore[no-untyped-def]
    """Where the world's NPCs are: the caravan's task, the merchant's listings, the Oracle
    agent and the proposal open for votes (read from the chain)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return jsonify(from_chain(lambda: npcs.report(app)))
