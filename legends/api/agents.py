"""The Forge: ``POST /api/agents/<agent_id>/invoke`` asks an agent a question and hands back the
attested answer and the ``recordInvocation`` transaction the player's wallet sends."""

from __future__ import annotations

from legends.api import api, limits
from legends.api.agents_models import AgentPath, AgentQuestion, AttestedAnswer
from legends.api.contract import operation, player, reply
from legends.wiring import agents as service
from legends.wiring.chainlink import get_chain
from legends.wiring.inventory import chain_suite


@operation(api.post, "/agents/<int:agent_id>/invoke", ok={200: AttestedAnswer},
           errors=(400, 403, 404, 429, 503), signed_in=True, tag="forge")
def invoke_agent(path: AgentPath, body: AgentQuestion):  # type: ignore[no-untyped-def]
    """Ask an agent a question

    As its developer or a licensee: the attested answer and the recordInvocation transaction
    the player's wallet sends (``AGENT_INVOKE_PER_MINUTE`` per player, default 10).
    """
    caller = player().address
    # Signing is cheap, but each invocation costs chain reads and an attester signature.
    limits.take("agent_invoke", caller, field="agent_id")
    answer = service.invoke(get_chain(), chain_suite(), caller, path.agent_id, body.input)
    return reply(AttestedAnswer, answer)
