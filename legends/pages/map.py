"""The landing page and the desert map (the same data as ``GET /api/world``)."""

from __future__ import annotations

import logging
from typing import Any

from legends.api.health import chain_status
from legends.api.play import optional_player
from legends.db import get_db
from legends.pages.site import bp, page
from legends.wiring.game import now
from quests.overview import world

log = logging.getLogger(__name__)

# Where each region sits on the drawn map (x, y in the SVG's 1000 x 560 box), east-bound.
PLACES = {"gate": (120, 400), "oasis": (330, 250), "forge": (520, 420), "bazaar": (700, 230),
          "citadel": (880, 360)}


def desert() -> dict[str, Any]:
    try:
        with get_db().sessions() as session:
            found = world(session, optional_player(), now())
    except Exception:  # not migrated or no catalog yet: the page still says what runs
        log.exception("the desert map could not be drawn")
        found = {"regions": [], "player": None}
    for region in found["regions"]:
        region["x"], region["y"] = PLACES.get(region["key"], (500, 300))
        region["next"] = next_step(region)
    return found


def next_step(region: dict[str, Any]) -> dict[str, Any] | None:
    """The first quest worth doing here: one in progress, else one available."""
    for status in ("in_progress", "available"):
        for quest in region["quests"]:
            if quest["status"] == status:
                return quest
    return None


@bp.get("/")
def index() -> str:
    return page("landing.html", "landing", "Sahara Legends", world=desert(),
                health={"chain": chain_status()})


@bp.get("/map")
def desert_map() -> str:
    return page("map.html", "map", "The desert map", world=desert())
