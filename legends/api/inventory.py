"""What a player owns and can craft: ``GET /api/inventory`` and ``GET /api/crafting``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import jsonify

from chain.errors import ChainError
from legends.api import api
from legends.api.errors import ApiError
from legends.auth.session import current_player_or_401
from legends.wiring import inventory as rewards


def from_chain(read: Callable[[], Any]) -> Any:
    """Run a chain read; an unreachable chain or a missing suite is a 503 naming the chain."""
    try:
        return read()
    except ChainError as exc:
        raise ApiError(f"the chain cannot be read right now: {exc}", field="chain",
                       status=503) from None


@api.get("/inventory")
def inventory():  # type: ignore[no-untyped-def]
    player = current_player_or_401()
    return jsonify(from_chain(lambda: rewards.inventory(player.address, player.xp)))


@api.get("/crafting")
def crafting():  # type: ignore[no-untyped-def]
    player = current_player_or_401()
    return jsonify(from_chain(lambda: rewards.crafting(player.address)))
