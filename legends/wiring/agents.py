"""Agent invocations for players: the game runs the agent (the Oracle of the Dunes), the
attester key seals question and answer (EIP-712), and the player's own wallet records it with
``recordInvocation`` — so ``AgentInvoked.caller`` is the player and ``forge.invoke`` follows.

Who may invoke, how long a question may be and how often one player may ask are the Forge's
rules (:mod:`quests.invocations`); the Oracle itself is :mod:`quests.npcs.oracle`.
"""

from __future__ import annotations

import secrets
from typing import Any

from chain.attestation import content_hash, sign_invocation
from chain.bindings import Suite
from chain.npcs import ZERO
from legends.wiring.chainlink import ChainLink
from quests.invocations import DEFAULT_PER_MINUTE, MAX_INPUT, NotLicensed, RateLimiter, UnknownAgent
from quests.invocations import may_invoke as allowed
from quests.npcs import oracle

__all__ = ["DEFAULT_PER_MINUTE", "MAX_INPUT", "NotLicensed", "RateLimiter", "UnknownAgent",
           "invoke", "may_invoke"]


def may_invoke(suite: Suite, agent_id: int, caller: str) -> None:
    """Raise :class:`UnknownAgent` or :class:`NotLicensed` unless ``caller`` may invoke."""
    developer = suite.agents.call("developerOf", agent_id)
    allowed(agent_id, None if developer == ZERO else developer, caller,
            lambda: bool(suite.agents.call("isLicensed", agent_id, caller)))


def invoke(link: ChainLink, suite: Suite, caller: str, agent_id: int, question: str) -> dict[str, Any]:
    """Run the agent and return the attested answer with the transaction the player sends."""
    may_invoke(suite, agent_id, caller)
    answer = oracle.ask(question)
    input_hash, output_hash = content_hash(question), content_hash(answer)
    nonce = secrets.randbits(64)  # only has to make this digest new (replays are refused)
    chain_id, registry = suite.agents.tx.chain_id, suite.agents.address
    signature = sign_invocation(link.signers.attester, chain_id, registry, agent_id, caller,
                                input_hash, output_hash, nonce)
    data = suite.agents.encode("recordInvocation", agent_id, caller, input_hash, output_hash, nonce,
                               signature)
    return {
        "agent_id": agent_id, "agent": oracle.NAME, "input": question, "output": answer,
        "input_hash": "0x" + input_hash.hex(), "output_hash": "0x" + output_hash.hex(),
        "nonce": str(nonce), "signature": "0x" + signature.hex(),
        "attester": link.signers.attester.address,
        "tx": {"from": caller, "to": registry, "data": "0x" + data.hex(), "value": "0x0",
               "chain_id": chain_id},
    }
