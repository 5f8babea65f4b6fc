"""The API's one error shape: ``{"error": "...", "field": "..."}`` with a 4xx status."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException


class ApiError(Exception):
    """Raised by views (or translated from domain errors) to answer with a 4xx JSON body."""

    status = 400

    def __init__(self, message: str, field: str | None = None, status: int | None = None,
                 **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status
        self.headers: dict[str, str] = {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.message, "field": self.field, **self.extra}


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class TooManyRequests(ApiError):
    status = 429


def json_body(*required: str) -> dict[str, Any]:
    """The request's JSON object; missing or malformed input names the field."""
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError("the request body must be a JSON object", field="body")
    if not isinstance(data, dict):
        raise ApiError("the request body must be a JSON object", field="body")
    for name in required:
        if name not in data or data[name] in (None, ""):
            raise ApiError(f"{name} is required", field=name)
    return data


def string_field(data: dict[str, Any], name: str, *, max_length: int = 10_000,
                 required: bool = True) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ApiError(f"{name} must be a string", field=name)
    if len(value) > max_length:
        raise ApiError(f"{name} is longer than {max_length} characters", field=name)
    return value


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):  # type: ignore[no-untyped-def]
        return jsonify(error.body()), error.status, error.headers

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            return jsonify({"error": error.description or error.name, "field": None}), error.code
        return error
