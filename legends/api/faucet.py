"""The SAHARA faucet: ``GET /api/faucet`` (when can I claim) and ``POST /api/faucet``."""

from __future__ import annotations

from legends.api import api, limits
from legends.api.contract import operation, player, reply
from legends.api.errors import Forbidden
from legends.api.faucet_models import Claim, Claimed, FaucetStatus
from legends.db import get_db
from legends.realtime.events import FAUCET_CLAIMED, for_player
from legends.wiring import faucet as service
from legends.wiring.chainlink import get_chain
from legends.wiring.inventory import chain_suite


@operation(api.get, "/faucet", ok={200: FaucetStatus}, errors=(503,), signed_in=True, tag="rewards")
def faucet_status():  # type: ignore[no-untyped-def]
    """When the player may claim from the faucet next"""
    return reply(FaucetStatus, service.status(get_chain(), chain_suite(), player().address))


@operation(api.post, "/faucet", ok={201: Claimed}, errors=(400, 403, 429, 503), signed_in=True,
           tag="rewards")
def faucet_claim(body: Claim):  # type: ignore[no-untyped-def]
    """Claim test SAHARA from the faucet

    The cooldown and the daily cap are the token contract's; a refused claim (429) costs no
    transaction and says when the next one can succeed.
    """
    address = player().address
    limits.take("faucet_client", limits.client(), field="address")
    limits.take("faucet_session", limits.session_key(), field="address")
    limits.take("faucet_wallet", address, field="address")
    if body.address is not None and body.address.lower() != address.lower():
        raise Forbidden("the faucet pays the signed-in player only", field="address")
    claimed = reply(Claimed, service.claim(get_chain(), chain_suite(), address))
    with get_db().sessions.begin() as db:  # the claim is on chain; tell the player's other tabs
        for_player(db, address, FAUCET_CLAIMED, claimed)
    return claimed, 201
