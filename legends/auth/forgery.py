"""Requests from elsewhere: a state-changing request (POST, PUT, PATCH, DELETE) that carries
the session cookie must come from one of our origins and say so in a way another site's page
cannot.

* ``Origin`` (or, without it, ``Referer``) must be ``PUBLIC_URL``'s origin or one of
  ``ALLOWED_ORIGINS``. A request with neither is not from a browser page (browsers send
  ``Origin`` on every cross-origin POST), so it passes this part. SameSite=Lax alone does
  not stop a sibling subdomain or another port of the same host: they are the same *site*.
* The request must carry ``X-Requested-With: legends`` (what the browser client sends; a
  page elsewhere cannot add a custom header without a CORS preflight we never grant), or the
  session's own CSRF token in ``X-CSRF-Token`` (or a form's ``csrf_token`` field), for forms
  that hold one (:func:`csrf_token`).

A refusal is a 403 naming ``origin`` or ``X-Requested-With``. The check runs before every
view of the app (API and pages alike), ahead of sign-in and input validation."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlparse

from flask import Flask, current_app, request, session

from legends.api.errors import Forbidden

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HEADER, HEADER_VALUE = "X-Requested-With", "legends"
TOKEN_HEADER, TOKEN_FIELD, TOKEN_KEY = "X-CSRF-Token", "csrf_token", "csrf_token"


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of ``url`` in lower case, or None if it has none."""
    try:
        parsed = urlparse(url.strip())
        port = parsed.port
    except ValueError:
        return None
    if not parsed.scheme or not parsed.hostname:
        return None
    default = {"http": 80, "https": 443, "ws": 80, "wss": 443}.get(parsed.scheme.lower())
    suffix = f":{port}" if port and port != default else ""
    return f"{parsed.scheme.lower()}://{parsed.hostname.lower()}{suffix}"


def allowed_origins() -> set[str]:
    config = current_app.config
    listed = [config["PUBLIC_URL"], *(config.get("ALLOWED_ORIGINS") or "").split(",")]
    return {o for o in (origin_of(entry) for entry in listed if entry.strip()) if o}


def csrf_token() -> str:
    """The session's CSRF token for a form (made on first use, kept in the cookie)."""
    token = session.get(TOKEN_KEY)
    if not token:
        token = session[TOKEN_KEY] = secrets.token_urlsafe(24)
    return str(token)


def _has_valid_token() -> bool:
    expected = session.get(TOKEN_KEY)
    if not expected:
        return False
    given = request.headers.get(TOKEN_HEADER)
    if given is None and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        given = request.form.get(TOKEN_FIELD)
    return bool(given) and hmac.compare_digest(str(given), str(expected))


def refuse_requests_from_elsewhere() -> None:
    """``before_request`` of the app (see the module's docstring)."""
    if request.method not in STATE_CHANGING:
        return
    claimed = request.headers.get("Origin")
    source = claimed if claimed is not None else request.headers.get("Referer")
    if source is not None and origin_of(source) not in allowed_origins():
        raise Forbidden(f"requests from {source.strip()[:80]!r} are not accepted here", field="origin")
    if current_app.session_interface.get_cookie_name(current_app) not in request.cookies:
        return  # no session to ride on: nothing for another site to forge
    if request.headers.get(HEADER) == HEADER_VALUE or _has_valid_token():
        return
    raise Forbidden(f"send the {HEADER}: {HEADER_VALUE} header (or the form's CSRF token) "
                    "with every change", field=HEADER)


def init_app(app: Flask) -> None:
    app.before_request(refuse_requests_from_elsewhere)
    app.jinja_env.globals["csrf_token"] = csrf_token
