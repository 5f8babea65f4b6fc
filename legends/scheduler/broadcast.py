"""Announcements to every connected player, over the app's Socket.IO (through the Redis
message queue when REDIS_URL is set, so a scheduler process reaches the web processes).
The one place the scheduler talks to players: the realtime event log takes over here."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)
NAMESPACE = "/"


def announce(payload: dict[str, Any]) -> None:
    from legends.extensions import socketio

    if socketio.server is None:
        return
    try:
        socketio.emit("announcement", payload, namespace=NAMESPACE)
    except Exception:  # best effort: what happened is in the database either way
        log.exception("could not broadcast %s", payload.get("kind"))
