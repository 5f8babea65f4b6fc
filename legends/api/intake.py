"""What a request to the API must be before any view reads it: a body, when there is one, is
JSON (415 naming ``body`` otherwise: a form or ``text/plain`` body is what another site's page
can send without asking), and its text can be stored (no lone UTF-16 surrogates, which no
encoding can write, and no NUL, which PostgreSQL refuses): 400 naming the field."""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from legends.api.errors import ApiError
from legends.auth.forgery import STATE_CHANGING

JSON_TYPES = frozenset({"application/json"})


def _unstorable(text: str) -> bool:
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def _first_unstorable(body: Any, fields: frozenset[str]) -> str | None:
    """The first of the body's own ``fields`` holding text that cannot be stored, or None
    (keys the body's model does not declare are ignored by it, so they are ignored here)."""
    if not isinstance(body, dict):
        return None
    for name in sorted(fields & body.keys()):
        value = body[name]
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and _unstorable(text) for text in texts):
            return name
    return None


def _path_text() -> None:
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str) and _unstorable(value):
            raise ApiError(f"{name} holds characters that cannot be stored", field=name)


def check_body() -> None:
    """``before_request`` of the API blueprint."""
    _path_text()
    if request.method not in STATE_CHANGING or not request.get_data(cache=True):
        return
    if request.mimetype not in JSON_TYPES:
        raise ApiError(f"the body must be JSON (Content-Type: application/json), not "
                       f"{request.mimetype or 'unnamed'}", field="body", status=415)
    view = current_app.view_functions.get(request.endpoint or "")
    fields = getattr(view, "body_fields", frozenset())
    field = _first_unstorable(request.get_json(silent=True, cache=True), fields) if fields else None
    if field:
        raise ApiError(f"{field} holds characters that cannot be stored (a lone surrogate or NUL)",
                       field=field)
