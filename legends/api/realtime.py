"""``GET /api/realtime/token``: a short-lived token for opening the live socket without the
session cookie (``auth: {"token": ...}``)."""

from __future__ import annotations

from flask import current_app

from legends.api import api
from legends.api.contract import operation, player, reply
from legends.api.realtime_models import SocketToken
from legends.realtime.tokens import issue


@operation(api.get, "/realtime/token", ok={200: SocketToken}, signed_in=True, tag="realtime")
def realtime_token():  # type: ignore[no-untyped-def]
    """A short-lived token for the live socket

    For clients that cannot send the session cookie with the Socket.IO handshake; pass it as
    `auth: {"token": ...}`. It expires after `REALTIME_TOKEN_SECONDS` (default 60).
    """
    address = player().address
    ttl = int(current_app.config["REALTIME_TOKEN_SECONDS"])
    token = issue(current_app.config["SECRET_KEY"], address, ttl)
    body = reply(SocketToken, {"token": token, "expires_in": ttl, "player": address})
    return body, 200, {"Cache-Control": "no-store"}  # a bearer credential: never cached
