"""Bodies of the live socket's token."""

from __future__ import annotations

from pydantic import Field

from legends.api.contract import Reply
from legends.api.shared_models import Address


class SocketToken(Reply):
    """Sent as ``auth: {"token": ...}`` with the Socket.IO handshake when the session cookie
    cannot go (another host name, a native client)."""

    token: str = Field(min_length=1, max_length=1000,
                       description="Signed with the server's secret; names the player and an expiry")
    expires_in: int = Field(ge=1, description="Seconds the token is accepted for")
    player: Address
