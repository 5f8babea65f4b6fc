"""Campaigns as players see them: windows, quests, budgets and what is left."""

from __future__ import annotations

from legends.api import api
from legends.api.campaigns_models import CampaignList
from legends.api.contract import operation, reply
from legends.api.play import game_transaction
from legends.wiring.game import now
from quests.campaign_service import listing, public_view


@operation(api.get, "/campaigns", ok={200: CampaignList}, tag="campaigns")
def campaigns_public():  # type: ignore[no-untyped-def]
    """Campaigns players can see: windows, quests, budgets and what is left, prizes, announcements made"""
    at = now()
    with game_transaction() as db:
        return reply(CampaignList, {"campaigns": [public_view(c, at) for c in listing(db, public=True)]})
