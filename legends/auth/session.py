"""Who is calling: the signed-in player from the session cookie."""

from __future__ import annotations

from flask import current_app, session
from sqlalchemy import select

from legends.api.errors import Forbidden, Unauthorized
from legends.db import get_db
from quests.orm import Player


def current_address() -> str | None:
    return session.get("player")


def current_player_or_401() -> Player:
    address = current_address()
    if not address:
        raise Unauthorized("sign in with your wallet first", field="session")
    with get_db().sessions() as db:
        player = db.scalar(select(Player).where(Player.address == address))
    if player is None:
        session.clear()
        raise Unauthorized("sign in with your wallet first", field="session")
    return player


def require_admin() -> Player:
    player = current_player_or_401()
    if not is_admin(player.address):
        raise Forbidden("this action needs an admin wallet", field="session")
    return player


def is_admin(address: str) -> bool:
    """Whether ``address`` holds the admin role (granted, or seeded from ADMIN_ADDRESSES
    and never revoked; see ``legends.admin.roles``)."""
    from legends.admin.roles import configured, holds_role

    with get_db().sessions() as db:
        return holds_role(db, address, configured(current_app.config.get("ADMIN_ADDRESSES")))


def deployment_chain_id() -> int:
    """The chain id sign-in messages must name: the devnet's, or CHAIN_ID off the devnet."""
    config = current_app.config
    if config.get("CHAIN_NETWORK") == "devnet":
        return int(config["DEVNET_CHAIN_ID"])
    return int(config.get("CHAIN_ID") or current_app.extensions["legends.chain"].tx.chain_id)
