"""The player's pages: quest log and detail, the region stations, inventory and crafting,
leaderboards, profile and the token pages the metadata's ``external_url`` points at.
Each page is a shell in the base layout; its ES module fills it from the JSON API."""

from __future__ import annotations

from flask import abort

from legends.pages.site import bp, page
from nft.metadata import token_metadata
from nft.tokens import UnknownTokenError, parse_token_id
from quests.world import REGIONS

REGION_BY_KEY = {r.key: r for r in REGIONS}


@bp.get("/quests")
def quest_log() -> str:
    return page("quests.html", "quests", "Quest log")


@bp.get("/quests/<quest_id>")
def quest_page(quest_id: str) -> str:
    if len(quest_id) > 80:
        abort(404)
    return page("quest.html", "quest", "Quest", quest_id=quest_id)


@bp.get("/regions/<key>")
def region_page(key: str) -> str:
    region = REGION_BY_KEY.get(key)
    if region is None:
        abort(404)
    return page(f"regions/{key}.html", f"stations/{key}", region.name, region=region)


@bp.get("/inventory")
def inventory_page() -> str:
    return page("inventory.html", "inventory", "Inventory and crafting")


@bp.get("/leaderboard")
def leaderboard_page() -> str:
    return page("leaderboard.html", "leaderboard", "Leaderboards")


@bp.get("/profile")
def profile_page() -> str:
    return page("profile.html", "profile", "Your profile")


@bp.get("/tokens/<token>")
def token_page(token: str) -> str:
    from flask import current_app

    try:
        token_id = parse_token_id(token)
    except UnknownTokenError:
        abort(404)
    config = current_app.config
    meta = token_metadata(token_id, base_url=config["PUBLIC_URL"], season=config["SEASON"])
    return page("token.html", "token", meta["name"], token_id=token_id, meta=meta)
