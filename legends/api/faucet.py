"""The SAHARA faucet: ``GET /api/faucet`` (when can I claim) and ``POST /api/faucet``."""

from __future__ import annotations

from flask import jsonify, request

from legends.api import api
from legends.api.errors import ApiError, json_body
from legends.api.inventory import from_chain
from legends.auth.session import current_player_or_401
from legends.db import get_db
from legends.realtime.events import FAUCET_CLAIMED, for_player
from legends.wiring import faucet as service
from legends.wiring.chainlink import get_chain
from legends.wiring.inventory import chain_suite


def _claim_address() -> str:
    """The signed-in player; a body naming another address is refused, not silently ignored."""
    player = current_player_or_401()
    if request.content_length:
        data = json_body()
        named = data.get("address")
        if named is not None and not isinstance(named, str):
            raise ApiError("address must be a string", field="address")
        if named is not None and named.lower() != player.address.lower():
            raise ApiError("the faucet pays the signed-in player only", field="address",
                           status=403)
    return player.address


@api.get("/faucet")
def faucet_status():  # type: ignore[no-untyped-def]
    player = current_player_or_401()
    return jsonify(from_chain(lambda: service.status(get_chain(), chain_suite(), player.address)))


@api.post("/faucet")
def faucet_claim():  # type: ignore[no-untyped-def]
    address = _claim_address()
    try:
        body = from_chain(lambda: service.claim(get_chain(), chain_suite(), address))
    except service.FaucetRefused as refused:
        response = jsonify({"error": str(refused), "field": "address",
                            "next_claim_at": refused.next_claim_at,
                            "retry_after": refused.retry_after})
        response.status_code = 429
        response.headers["Retry-After"] = str(refused.retry_after)
        return response
    with get_db().sessions.begin() as db:  # the claim is on chain; tell the player's other tabs
        for_player(db, address, FAUCET_CLAIMED, body)
    return jsonify(body), 201
