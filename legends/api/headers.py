"""Security headers on every answer, pages and API alike: a strict Content-Security-Policy
(scripts only from our own origin, no plugins, no framing, no foreign ``<base>``), no MIME
sniffing, no full URLs in ``Referer`` to other sites. ``connect-src`` lets the browser client
reach our own origin (HTTP and the live socket's ws/wss) and the chain's JSON-RPC endpoint it
sends transactions to (its origin only: credentials and paths stay out of the header). An
answer that sets its own policy (``/api/docs``) keeps it."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Flask, Response, current_app

from legends.auth.forgery import origin_of

STATIC = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def _socket_origins(origin: str) -> list[str]:
    scheme, rest = origin.split("://", 1)
    return [f"{'wss' if scheme == 'https' else 'ws'}://{rest}"]


def content_security_policy(app: Flask) -> str:
    """The policy of ``app`` (built once: it depends on settings only)."""
    found = app.extensions.get("legends.csp")
    if found:
        return str(found)
    ours = origin_of(app.config["PUBLIC_URL"]) or ""
    connect = ["'self'", *( [ours, *_socket_origins(ours)] if ours else [])]
    link = app.extensions.get("legends.chain")
    rpc = origin_of(getattr(link, "rpc_url", "") or "")
    if rpc and urlparse(rpc).scheme in ("http", "https", "ws", "wss"):
        connect.append(rpc)
    policy = ("default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
              "base-uri 'self'; form-action 'self'; img-src 'self' data:; "
              f"connect-src {' '.join(dict.fromkeys(connect))}")
    app.extensions["legends.csp"] = policy
    return policy


def secure(response: Response) -> Response:
    """``after_request`` of the app."""
    headers = response.headers
    if "Content-Security-Policy" not in headers:
        headers["Content-Security-Policy"] = content_security_policy(current_app)
    for name, value in STATIC.items():
        headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(secure)
