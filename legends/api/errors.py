"""The API's one error shape, ``{"error": "...", "field": "..."}``, and the one place where
domain errors become HTTP answers: views raise (or let through) the game's own exceptions and
the handlers registered here pick the status. Nothing under /api answers with another shape,
not a 404 for an unknown path nor a 405 (which keeps its ``Allow`` header)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from chain.errors import ChainError
from chain.redact import redact_text
from legends.auth.players import SignInError
from legends.wiring.agents import NotLicensed, UnknownAgent
from legends.wiring.faucet import FaucetRefused
from quests.errors import AnswerTooSoon, NotApplicable, QuestAlreadyDone, QuestLocked, UnknownQuest


class Error(BaseModel):
    """Every 4xx/5xx body. Some answers add context next to these two keys (``reason`` of a
    locked quest, ``period`` of a done one, ``retry_after`` and ``next_claim_at`` of a 429,
    ``attempts`` of a silent riddle's 429)."""

    error: str
    field: str | None


class ApiError(Exception):
    """Raised by views to answer with an error body and a status."""

    status = 400

    def __init__(self, message: str, field: str | None = None, status: int | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status
        self.headers = headers or {}
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
    """A 429 whose ``Retry-After`` header (and ``retry_after`` key) say how long to wait."""

    status = 429

    def __init__(self, message: str, field: str | None, retry_after: int, **extra: Any) -> None:
        retry = max(int(retry_after), 1)
        super().__init__(message, field, headers={"Retry-After": str(retry)}, retry_after=retry, **extra)


class Unavailable(ApiError):
    status = 503


def from_domain(exc: Exception) -> ApiError:
    """The answer for one of the game's domain errors (see :data:`DOMAIN_ERRORS`)."""
    if isinstance(exc, UnknownQuest):
        return NotFound(str(exc), field="quest_id")
    if isinstance(exc, QuestLocked):
        return Conflict(str(exc), field="quest_id", reason=exc.reason)
    if isinstance(exc, QuestAlreadyDone):
        return Conflict(str(exc), field="quest_id", period=exc.period)
    if isinstance(exc, NotApplicable):  # the quest has no question (or no state) to ask about
        return NotFound(str(exc), field=exc.field)
    if isinstance(exc, AnswerTooSoon):  # a riddle silent after a wrong answer
        return TooManyRequests(str(exc), "answer", exc.retry_after, attempts=exc.attempts)
    if isinstance(exc, IntegrityError):
        return Conflict("another request changed this at the same moment; try again")
    if isinstance(exc, UnknownAgent):
        return NotFound(str(exc), field="agent_id")
    if isinstance(exc, NotLicensed):
        return Forbidden(str(exc), field="agent_id")
    if isinstance(exc, FaucetRefused):
        return TooManyRequests(str(exc), "address", exc.retry_after, next_claim_at=exc.next_claim_at)
    if isinstance(exc, SignInError):
        return ApiError(str(exc), field=exc.field, status=exc.status)
    if isinstance(exc, ChainError):
        return Unavailable(f"the chain cannot be read right now: {exc}", field="chain")
    raise TypeError(f"{type(exc).__name__} is not a domain error")


DOMAIN_ERRORS: tuple[type[Exception], ...] = (
    UnknownQuest, QuestLocked, QuestAlreadyDone, NotApplicable, AnswerTooSoon, IntegrityError, UnknownAgent,
    NotLicensed, FaucetRefused, SignInError, ChainError)


@contextmanager
def chain_call(what: str) -> Iterator[None]:
    """Turn an unreachable chain into a 503 saying what could not be done."""
    try:
        yield
    except ChainError as exc:
        raise Unavailable(f"cannot {what}: the chain is unreachable ({exc})") from None


def invalid_input(exc: ValidationError) -> Response:
    """A request that does not fit its model: 400 naming the first field at fault (the
    callback the OpenAPI app calls for path, query and body models alike)."""
    first = exc.errors(include_url=False)[0]
    where = [str(part) for part in first["loc"]]
    field = where[0] if where else "body"
    if first["type"] == "missing":
        message = f"{field} is required"
    elif not where:
        message = "the request body must be a JSON object"
    else:
        message = f"{'.'.join(where)}: {first['msg'][0].lower()}{first['msg'][1:]}"
    response = jsonify({"error": message, "field": field})
    response.status_code = 400
    return response


def _answer(error: ApiError) -> Response:
    body = error.body()
    body["error"] = redact_text(str(body["error"]))  # an RPC URL's credentials never leave
    response = jsonify(body)
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def translate_domain_errors(api: Blueprint) -> None:
    """Domain errors are translated for the API's views only; pages keep their own answers."""
    for kind in DOMAIN_ERRORS:
        api.register_error_handler(kind, lambda exc: _answer(from_domain(exc)))


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, _answer)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            response = jsonify({"error": error.description or error.name, "field": None})
            response.status_code = error.code or 500
            # Keep what werkzeug says besides the body: a 405's ``Allow`` above all.
            for name, value in error.get_headers():
                if name.lower() != "content-type":
                    response.headers[name] = value
            return response
        return error
