"""Rate limits, shared by every process of a deployment: Flask-Limiter's storage (Redis when
``REDIS_URL`` is set, memory otherwise) counts hits per client address, session and wallet.

Views ask :func:`take` (count this request, refuse it over the limit) or, for what only
failures should pay for, :func:`refuse_if_over` first and :func:`charge` on failure. A refusal
is the API's 429: ``Retry-After`` header and ``retry_after`` key, the error shape of every
other answer."""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, request, session
from flask_limiter import Limiter
from limits import RateLimitItem, parse

from legends.api.errors import TooManyRequests

# Each limit: the setting holding its rate ("10/minute", limits' notation) and what it says.
LIMITS = {
    "nonce": ("RATE_LIMIT_NONCE", "too many sign-in nonces from this address"),
    "sign_in_failure": ("RATE_LIMIT_SIGN_IN_FAILURES", "too many failed sign-ins from this address"),
    "faucet_client": ("RATE_LIMIT_FAUCET_CLIENT", "too many faucet claims from this address"),
    "faucet_session": ("RATE_LIMIT_FAUCET_SESSION", "too many faucet claims in this session"),
    "faucet_wallet": ("RATE_LIMIT_FAUCET_WALLET", "too many faucet claims for this wallet"),
    "agent_invoke": ("AGENT_INVOKE_PER_MINUTE",
                     "the Oracle needs a moment: too many invocations this minute"),
}


def init_app(app: Flask) -> None:
    storage = app.config.get("REDIS_URL") or "memory://"
    app.extensions["legends.limiter"] = Limiter(
        key_func=client, app=app, storage_uri=storage, key_prefix=app.config["RATE_LIMIT_PREFIX"],
        default_limits=[], headers_enabled=False)


def client() -> str:
    """Who is asking, as far as the network says (the address the server sees)."""
    return request.remote_addr or "unknown"


def session_key() -> str:
    return str(session.get("sid") or "none")


def _rate(kind: str) -> RateLimitItem:
    raw = current_app.config[LIMITS[kind][0]]
    return parse(f"{raw}/minute" if isinstance(raw, int) else str(raw))


def _keys(kind: str, key: str) -> tuple[str, str, str]:
    """The counter's name in the storage: under ``RATE_LIMIT_PREFIX``, so that deployments (or
    test runs) sharing one Redis never share counters (Flask-Limiter's ``key_prefix`` covers
    only its decorated routes, not these direct hits)."""
    return current_app.config["RATE_LIMIT_PREFIX"], kind, key


def _refuse(kind: str, field: str | None, key: str) -> None:
    limiter: Limiter = current_app.extensions["legends.limiter"]
    reset, _remaining = limiter.limiter.get_window_stats(_rate(kind), *_keys(kind, key))
    raise TooManyRequests(LIMITS[kind][1], field, math.ceil(max(reset - time.time(), 1)))


def take(kind: str, key: str, field: str | None = None) -> None:
    """Count one request of ``kind`` for ``key``; 429 when it is one too many."""
    limiter: Limiter = current_app.extensions["legends.limiter"]
    if not limiter.limiter.hit(_rate(kind), *_keys(kind, key)):
        _refuse(kind, field, key)


def refuse_if_over(kind: str, key: str, field: str | None = None) -> None:
    """429 if ``key`` already used up ``kind`` (this request is not counted)."""
    limiter: Limiter = current_app.extensions["legends.limiter"]
    if not limiter.limiter.test(_rate(kind), *_keys(kind, key)):
        _refuse(kind, field, key)


def charge(kind: str, key: str) -> None:
    """Count one (failed) request of ``kind`` for ``key`` without refusing this one."""
    current_app.extensions["legends.limiter"].limiter.hit(_rate(kind), *_keys(kind, key))
