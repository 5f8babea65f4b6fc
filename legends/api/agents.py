"""The Forge: ``POST /api/agents/<agent_id>/invoke`` asks an agent a question and hands back the
attested answer and the ``recordInvocation`` transaction the player's wallet sends."""

from __future__ import annotations

import math

from flask import Flask, current_app

from legends.api import api
from legends.api.agents_models import AgentPath, AgentQuestion, AttestedAnswer
from legends.api.contract import operation, player, reply
from legends.api.errors import TooManyRequests
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


@operation(api.post, "/agents/<int:agent_id>/invoke", ok={200: AttestedAnswer},
           errors=(400, 403, 404, 429, 503), signed_in=True, tag="forge")
def invoke_agent(path: AgentPath, body: AgentQuestion):  # type: ignore[no-untyped-def]
    """Ask an agent a question

    As its developer or a licensee: the attested answer and the recordInvocation transaction
    the player's wallet sends (``AGENT_INVOKE_PER_MINUTE`` per player, default 10).
    """
    caller = player().address
    wait = limiter(current_app).take(caller)
    if wait is not None:
        raise TooManyRequests("the Oracle needs a moment: too many invocations this minute",
                              "agent_id", math.ceil(wait))
    answer = service.invoke(get_chain(), chain_suite(), caller, path.agent_id, body.input)
    return reply(AttestedAnswer, answer)
