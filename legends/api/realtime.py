"""``GET /api/realtime/token``: a short-lived token for opening the live socket without the
session cookie (``auth: {"token": ...}``)."""

from __future__ import annotations

from flask import current_app, jsonify

from legends.api import api
from legends.auth.session import current_player_or_401
from legends.realtime.tokens import issue


@api.get("/realtime/token")
def realtime_token():  # type: ignore[no-untyped-def]
    player = current_player_or_401()
    ttl = int(current_app.config.get("REALTIME_TOKEN_SECONDS", 60))
    token = issue(current_app.config["SECRET_KEY"], player.address, ttl)
    response = jsonify({"token": token, "expires_in": ttl, "player": player.address})
    response.headers["Cache-Control"] = "no-store"
    return response
