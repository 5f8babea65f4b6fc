"""The Forge: ``POST /api/agents/<agent_id>/invoke`` asks an agent a question and hands back the
attested answer and the ``recordInvocation`` transaction the player's wallet sends."""

from __future__ import annotations

import math

from flask import Flask, current_app, jsonify

from legends.api import api
from legends.api.errors import ApiError, Forbidden, NotFound, json_body, string_field
from legends.api.inventory import from_chain
from legends.auth.session import current_player_or_401
from legends.wiring import agents as service
from legends.wiring.chainlink import get_chain
from legends.wiring.inventory import chain_suite


def limiter(app: Flask) -> service.RateLimiter:
    """One limiter per app (``AGENT_INVOKE_PER_MINUTE``, default 10): signing is cheap, but each
    invocation costs chain reads and an attester signature."""
    found = app.extensions.get("legends.agent_limiter")
    if found is None:
        limit = int(app.config["AGENT_INVOKE_PER_MINUTE"])
        found = app.extensions.setdefault("legends.agent_limiter", service.RateLimiter(limit))
    return found


@api.post("/agents/<int:agent_id>/invoke")
def invoke_agent(agent_id: int):  # type: ignore[no-untyped-def]
    player = current_player_or_401()
    wait = limiter(current_app).take(player.address)
    if wait is not None:
        retry = max(math.ceil(wait), 1)
        response = jsonify({"error": "the Oracle needs a moment: too many invocations this minute",
                            "field": "agent_id", "retry_after": retry})
        response.status_code = 429
        response.headers["Retry-After"] = str(retry)
        return response
    question = string_field(json_body("input"), "input", max_length=service.MAX_INPUT) or ""
    if not question.strip():
        raise ApiError("input must not be blank", field="input")
    try:
        body = from_chain(lambda: service.invoke(get_chain(), chain_suite(), player.address,
                                                 agent_id, question))
    except service.UnknownAgent as exc:
        raise NotFound(str(exc), field="agent_id") from None
    except service.NotLicensed as exc:
        raise Forbidden(str(exc), field="agent_id") from None
    return jsonify(body)
