"""What a request to the API must be before any view reads it: a body, when there is one, is
JSON (415 naming ``body`` otherwise: a form or ``text/plain`` body is what another site's page
can send without asking), and its text can be stored (no lone UTF-16 surrogates, which no
encoding can write, and no NUL, which PostgreSQL refuses): 400 naming the field."""

from __future__ import annotations

from typing import Any

from flask import request

from legends.api.errors import ApiError
from legends.auth.forgery import STATE_CHANGING

JSON_TYPES = frozenset({"application/json"})


def _unstorable(text: str) -> bool:
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def _first_unstorable(value: Any, where: str) -> str | None:
    """The top-level field holding text that cannot be stored, or None."""
    if isinstance(value, str):
        return where if _unstorable(value) else None
    if isinstance(value, list):
        return next((w for w in (_first_unstorable(v, where) for v in value) if w), None)
    if isinstance(value, dict):
        for key, inner in value.items():
            field = where if where != "body" else str(key)
            if _unstorable(str(key)):
                return field if where != "body" else "body"
            found = _first_unstorable(inner, field)
            if found:
                return found
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
    body = request.get_json(silent=True, cache=True)
    field = _first_unstorable(body, "body") if body is not None else None
    if field:
        raise ApiError(f"{field} holds characters that cannot be stored (a lone surrogate or NUL)",
                       field=field)
