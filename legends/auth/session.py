"""Who is calling: the signed-in player, from the session cookie and its row.

The cookie (signed with SECRET_KEY) carries the player's address and a random session token;
the token's row (:class:`legends.auth.store.SignInSession`) is checked on every request, so a
session ends for good at logout or after SESSION_HOURS, whatever copy of the cookie exists."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask import current_app, session
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from legends.api.errors import Forbidden, Unauthorized
from legends.auth.store import SignInSession
from legends.db import get_db
from quests.orm import Player


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def session_lifetime() -> timedelta:
    return timedelta(hours=float(current_app.config["SESSION_HOURS"]))


def open_session(db: Session, player: Player, now: datetime) -> str:
    """A new session row for ``player``; returns the token the cookie carries."""
    token = secrets.token_urlsafe(24)
    db.add(SignInSession(token_hash=_digest(token), player_id=player.id, created_at=now,
                         expires_at=now + session_lifetime()))
    return token


def start_cookie(address: str, token: str) -> None:
    """Write a fresh cookie for the session (anything it held before is dropped)."""
    session.clear()
    session["player"] = address
    session["sid"] = token
    session.permanent = True


def end_session(now: datetime) -> None:
    """Logout: the session's row is ended (every copy of the cookie with it)."""
    token = session.get("sid")
    session.clear()
    if token:
        with get_db().sessions.begin() as db:
            db.execute(update(SignInSession)
                       .where(SignInSession.token_hash == _digest(token), SignInSession.ended_at.is_(None))
                       .values(ended_at=now))


def purge_sessions(db: Session, keep: timedelta, now: datetime | None = None) -> int:
    """Delete sessions that expired or ended more than ``keep`` ago (no cookie can use them
    any more); returns how many. ``now`` is the wall clock by default, the clock
    :func:`current_player` judges sessions by. The scheduler's housekeeping calls it."""
    before = (now or datetime.now(timezone.utc)) - keep
    result = db.execute(delete(SignInSession).where(
        or_(SignInSession.expires_at < before, SignInSession.ended_at < before)))
    return int(result.rowcount or 0)


def current_player() -> Player | None:
    """The signed-in player, or None: no cookie, or its session ended or expired."""
    address, token = session.get("player"), session.get("sid")
    if not address or not token:
        return None
    with get_db().sessions() as db:
        found = db.execute(
            select(Player, SignInSession)
            .join(SignInSession, SignInSession.player_id == Player.id)
            .where(SignInSession.token_hash == _digest(str(token)), Player.address == address)
        ).first()
    if found is None:
        return None
    player, row = found
    if row.ended_at is not None or _aware(row.expires_at) <= datetime.now(timezone.utc):
        return None
    return player


def current_address() -> str | None:
    player = current_player()
    return player.address if player else None


def current_player_or_401() -> Player:
    player = current_player()
    if player is None:
        if session.get("player"):
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
    """The chain id sign-in messages must name: the devnet's, or CHAIN_ID off the devnet, or
    the chain the deployment manifest records; only without either is the node asked (once).
    So issuing a nonce and an EOA's sign-in never wait on the chain."""
    config = current_app.config
    if config.get("CHAIN_NETWORK") == "devnet":
        return int(config["DEVNET_CHAIN_ID"])
    if config.get("CHAIN_ID"):
        return int(config["CHAIN_ID"])
    from chain.store import SqlManifestStore

    return current_app.extensions["legends.chain"].known_chain_id(SqlManifestStore(get_db().sessions))
