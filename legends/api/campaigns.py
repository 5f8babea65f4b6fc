"""Campaigns as players see them: windows, quests, budgets and what is left."""

from __future__ import annotations

from flask import jsonify

from legends.api import api
from legends.api.play import game_transaction
from legends.wiring.game import now
from quests.campaign_service import listing, public_view


@api.get("/campaigns")
def campaigns_public():  # type: ignore[no-untyped-def]
    at = now()
    with game_transaction() as db:
        return jsonify({"campaigns": [public_view(c, at) for c in listing(db, public=True)]})
