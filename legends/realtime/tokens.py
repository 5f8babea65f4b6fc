"""Short-lived socket tokens: for clients that cannot send the session cookie with the
handshake (another host name, a native client). Signed with SECRET_KEY; a token names one
player and an expiry time, nothing else."""

from __future__ import annotations

import time

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "legends.realtime.token"


class TokenRefused(Exception):
    """The token is expired, forged or malformed (the message says which)."""


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def issue(secret: str, address: str, ttl: float, now: float | None = None) -> str:
    expires = (time.time() if now is None else now) + ttl
    return _serializer(secret).dumps({"player": address, "exp": round(expires, 3)})


def verify(secret: str, token: object, now: float | None = None) -> str:
    """The player the token names; raises :class:`TokenRefused`."""
    if not isinstance(token, str) or len(token) > 1000:
        raise TokenRefused("token must be a string")
    try:
        claims = _serializer(secret).loads(token)
    except BadSignature:
        raise TokenRefused("token is not valid") from None
    if not isinstance(claims, dict) or not isinstance(claims.get("player"), str):
        raise TokenRefused("token is not valid")
    if float(claims.get("exp", 0)) <= (time.time() if now is None else now):
        raise TokenRefused("token expired; ask /api/realtime/token for a new one")
    return claims["player"]
