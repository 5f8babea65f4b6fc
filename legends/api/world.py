"""The world map: regions, whether the player has opened them, and their quests."""

from __future__ import annotations

from flask import jsonify

from legends.api import api
from legends.api.play import game_transaction, optional_player
from legends.completions import sync_rewarded
from legends.game import now
from quests.overview import world


@api.get("/world")
def world_map():  # type: ignore[no-untyped-def]
    """Anonymous visitors see every region and quest, all locked."""
    player, at = optional_player(), now()
    with game_transaction() as db:
        if player is not None:
            sync_rewarded(db, at, player_id=player.id)
        return jsonify(world(db, player, at))
