"""The one guard of every admin view and API route: ``@admin_only``.

Anonymous: 401; a signed-in player without the role: 403; an admin's state-changing
request must also carry the session's CSRF token (``X-CSRF-Token`` header for JSON, the
``csrf_token`` field for forms) and, when the browser names one, the app's own Origin.
Pages answer the same statuses with an HTML page (the 401 page is the admin sign-in).
``tests/integration/admin/test_admin_guard.py`` walks the URL map so that no admin route
can be added without it.
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from flask import current_app, g, render_template, request, session

from legends.api.errors import ApiError, Forbidden
from legends.auth.session import current_player_or_401, is_admin

GUARDED = "_legends_admin_only"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_KEY = "admin_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


def admin_only(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            check_admin_request()
        except ApiError as exc:
            if wants_page():
                page = render_template("admin/denied.html", status=exc.status, message=exc.message)
                return page, exc.status
            raise
        return view(*args, **kwargs)

    setattr(guarded, GUARDED, True)
    return guarded


def check_admin_request() -> None:
    """What ``admin_only`` checks (once per request; the API blueprint runs it before the
    input is validated, so that a 401 or 403 comes before a 400)."""
    if "admin" in g:
        return
    player = current_player_or_401()
    if not is_admin(player.address):
        raise Forbidden("this needs an admin wallet", field="session")
    if request.method not in SAFE_METHODS:
        check_origin()
        check_csrf()
    g.admin = player.address.lower()


def guard_first() -> None:
    """``before_request`` of the admin API: guarded views are checked before validation."""
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, GUARDED, False):
        check_admin_request()


def wants_page() -> bool:
    return not request.path.startswith("/api/")


def actor() -> str:
    """The admin acting in this request (set by the guard)."""
    return g.admin


def csrf_token() -> str:
    """The session's CSRF token (made on first use)."""
    token = session.get(CSRF_KEY)
    if not token:
        token = session[CSRF_KEY] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    expected = session.get(CSRF_KEY)
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD)
    if not expected or not sent or not hmac.compare_digest(str(sent), str(expected)):
        raise Forbidden("missing or wrong CSRF token: send the X-CSRF-Token header "
                        "(GET /api/admin/me gives it)", field="csrf_token")


def check_origin() -> None:
    """A browser names the page that sent the request; it must be this app."""
    public = urlparse(current_app.config["PUBLIC_URL"])
    mine = f"{public.scheme}://{public.netloc}"
    origin = request.headers.get("Origin")
    if origin is None and request.headers.get("Referer"):
        referer = urlparse(request.headers["Referer"])
        origin = f"{referer.scheme}://{referer.netloc}"
    if origin is not None and origin != mine:
        raise Forbidden(f"requests must come from {mine}, not {origin}", field="origin")
