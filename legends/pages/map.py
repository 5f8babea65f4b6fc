"""Server-rendered pages: the desert map (the same data as ``GET /api/world``)."""

from __future__ import annotations

import logging

from flask import Blueprint, render_template

from legends.api.health import chain_status
from legends.api.play import optional_player
from legends.db import get_db
from legends.wiring.chainlink import get_chain
from legends.wiring.game import now
from quests.overview import world

bp = Blueprint("pages", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    try:
        with get_db().sessions() as session:
            desert = world(session, optional_player(), now())
    except Exception:  # not migrated or no catalog yet: the page still says what runs
        log.exception("the desert map could not be drawn")
        desert = {"regions": [], "player": None}
    return render_template("index.html", health={"chain": chain_status()}, world=desert,
                           rpc_url=get_chain().rpc_url)
