"""The pages' blueprint: one base layout, one ES module per page, and the strict
Content-Security-Policy that holds because no page has an inline script or handler."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, render_template, send_from_directory

from legends.auth.forgery import origin_of
from legends.wiring.chainlink import get_chain

bp = Blueprint("pages", __name__)


def browser_rpc_url() -> str:
    """The JSON-RPC URL the player's browser talks to: BROWSER_RPC_URL (public by
    definition), else the app's own without its credentials (a loopback devnet has none)."""
    return current_app.config.get("BROWSER_RPC_URL") or get_chain().shown_url


def _origin(url: str) -> str:
    return origin_of(url) or ""


def policy() -> str:
    # connect-src: the app itself (API, Socket.IO over ws/wss) and the chain's RPC origin,
    # which the burner wallet and the contract reads call directly.
    connect = " ".join(filter(None, ("'self'", "ws:", "wss:", _origin(browser_rpc_url()))))
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src {connect}; font-src 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'")


@bp.after_request
def secure(response: Response) -> Response:
    # The page's own policy names the browser's RPC URL; the other security headers are
    # set for every answer in one place (legends/api/headers.py).
    response.headers["Content-Security-Policy"] = policy()
    return response


def page(template: str, module: str, title: str, **context: Any) -> str:
    """Render ``template`` in the base layout with its ES module ``js/<module>.js``."""
    return render_template(template, page_module=module, title=title, **context)


@bp.get("/favicon.ico")
def favicon() -> Response:
    response = send_from_directory(current_app.static_folder or "", "favicon.svg",
                                   mimetype="image/svg+xml", max_age=86_400)
    return response
