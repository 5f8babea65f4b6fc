"""How a view declares its part of the API contract: one :func:`operation` per route names its
reply models per status and the error statuses it can answer; flask-openapi3 reads those and
the pydantic models of the view's path, query and body parameters into the OpenAPI 3.1
document (``GET /api/openapi.json``), and validates the inputs before the view runs."""

from __future__ import annotations

import copy
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import Flask, current_app, g, request
from flask_openapi3 import APIBlueprint, Info, OpenAPI, Tag
from pydantic import BaseModel, ConfigDict, model_validator

from legends.api.errors import Error, invalid_input
from quests.orm import Player

JSON = "application/json"
SESSION = [{"session": []}]  # the session cookie set by POST /api/auth/verify
ERROR_REF = {"$ref": "#/components/schemas/Error"}

ERROR_TEXT = {
    400: "Bad input; `field` names the field at fault",
    401: "Sign in first (`field` is `session`), or the sign-in was refused",
    403: "Not allowed: for this player, or (any change) a request from another origin (`field` "
         "is `origin`) or with the session cookie but without `X-Requested-With: legends` "
         "(`field` is `X-Requested-With`)",
    404: "No such thing; `field` names what was looked up",
    409: "Conflicts with the current state (`reason` or `period` say why)",
    415: "The body is not JSON (`field` is `body`)",
    429: "Too many requests: wait `Retry-After` seconds (also in `retry_after`)",
    503: "The chain cannot be read or written right now",
}

# Every change is checked for its origin (legends.auth.forgery) and its body (legends.api.intake).
STATE_CHANGING = {"post", "put", "patch", "delete"}

View = TypeVar("View", bound=Callable[..., Any])


class Reply(BaseModel):
    """Base of every reply model: a field the model does not describe is refused, so the
    document cannot silently fall behind what the views send."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class OptionalBody(BaseModel):
    """Base of a request body that may be left out entirely (no bytes at all): it then reads
    as ``{}``. A body that is present but not a JSON object is still a 400."""

    model_config = ConfigDict(openapi_extra={"required": False})

    @model_validator(mode="before")
    @classmethod
    def _absent_is_empty(cls, data: Any) -> Any:
        if data is None and not request.get_data(cache=True):
            return {}
        return data


def reply(model: type[BaseModel], data: Any) -> dict[str, Any]:
    """``data`` (a service's answer) checked against and rendered by its reply model."""
    return model.model_validate(data).model_dump(mode="json", by_alias=True, exclude_unset=True)


def error_responses(*codes: int) -> dict[int, Any]:
    answers: dict[int, Any] = {}
    for code in codes:
        answer: dict[str, Any] = {"description": ERROR_TEXT[code], "content": {JSON: {"schema": ERROR_REF}}}
        if code == 429:
            answer["headers"] = {"Retry-After": {
                "description": "Seconds until the next request may succeed", "required": True,
                "schema": {"type": "string", "pattern": "^[0-9]+$"}}}
        answers[code] = answer
    return answers


def operation(register: Callable[..., Callable[[View], View]], rule: str, *,
              ok: Mapping[int, type[BaseModel] | dict[str, Any]], errors: tuple[int, ...] = (),
              signed_in: bool = False, tag: str, **options: Any) -> Callable[[View], View]:
    """Declare one route: ``register`` is ``api.get``/``api.post``, ``ok`` its successful
    replies by status, ``errors`` the error statuses it can answer. A ``signed_in`` route
    answers 401 before its input is even validated (sign-in comes first, as for players); a
    state-changing one can also answer 403 (from elsewhere) and 415 (not JSON)."""
    changes = getattr(register, "__name__", "") in STATE_CHANGING
    codes = tuple(sorted({*errors, *((401,) if signed_in else ()), *((403, 415) if changes else ())}))

    def decorate(view: View) -> View:
        view.signed_in = signed_in  # type: ignore[attr-defined]
        body = typing.get_type_hints(view).get("body")
        # The body's own fields (legends.api.intake checks their text; other keys are ignored).
        view.body_fields = frozenset(getattr(body, "model_fields", ()))  # type: ignore[attr-defined]
        return register(rule, responses={**ok, **error_responses(*codes)}, tags=[Tag(name=tag)],
                        security=SESSION if signed_in else None, operation_id=view.__name__,
                        **options)(view)

    return decorate


def player() -> Player:
    """The signed-in player of a ``signed_in`` route (looked up before the view ran)."""
    return g.player


def sign_in_first() -> None:
    """``before_request`` of the API blueprint: a signed-in route's 401 comes before its 400."""
    from legends.auth.session import current_player_or_401

    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "signed_in", False):
        g.player = current_player_or_401()


def blueprint() -> APIBlueprint:
    bp = APIBlueprint("api", __name__, url_prefix="/api")
    bp.before_request(sign_in_first)
    return bp


def application(import_name: str, **flask_options: Any) -> OpenAPI:
    """The Flask app, as flask-openapi3's subclass that gathers the document; its own
    documentation pages are off (``/api/docs`` serves local files instead)."""
    return OpenAPI(
        import_name,
        info=Info(title="Sahara Legends API", version="1",
                  description="Quests on a devnet that teach an AI-asset platform. Every error "
                              "answers `{\"error\", \"field\"}`."),
        security_schemes={"session": {"type": "apiKey", "in": "cookie", "name": "session",
                                      "description": "Set by POST /api/auth/verify"}},
        validation_error_status=400, validation_error_model=Error,
        validation_error_callback=invalid_input, doc_ui=False, **flask_options)


def document(app: Flask) -> dict[str, Any]:
    """The generated document, with the generic 400 that flask-openapi3 adds to operations
    without input taken out again (they cannot answer it)."""
    doc = copy.deepcopy(app.api_doc)  # type: ignore[attr-defined]
    for item in doc["paths"].values():
        for op in item.values():
            bad = op["responses"].get("400", {}).get("content", {}).get(JSON, {}).get("schema", {})
            if bad.get("type") == "array":
                del op["responses"]["400"]
            if "description" in op:  # the docstring's body, its line breaks made HTML
                op["description"] = " ".join(op["description"].replace("<br/>", " ").split())
    server = app.config.get("PUBLIC_URL")
    if server:
        doc["servers"] = [{"url": server}]
    return doc
