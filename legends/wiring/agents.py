"""Agent invocations for players: the game runs the agent (the Oracle of the Dunes), the
attester key seals question and answer (EIP-712), and the player's own wallet records it with
``recordInvocation`` — so ``AgentInvoked.caller`` is the player and ``forge.invoke`` follows.

The attester signs only for a caller the chain already lets invoke the agent (its developer
or a licensee): a signature for anyone else would be refused on chain anyway.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from chain.attestation import content_hash, sign_invocation
from chain.bindings import Suite
from chain.npcs import ZERO
from legends.wiring import oracle
from legends.wiring.chainlink import ChainLink

MAX_INPUT = 2_000  # characters: a question, not a dataset


class UnknownAgent(Exception):
    pass


class NotLicensed(Exception):
    pass


class RateLimiter:
    """At most ``limit`` takes per key in any ``window`` seconds (a sliding window, in this
    process: each web process counts its own)."""

    def __init__(self, limit: int, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._taken: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float | None:
        """None when allowed (and counted); otherwise the seconds until the next is allowed."""
        now = self.clock()
        with self._lock:
            times = self._taken.setdefault(key.lower(), deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return max(times[0] + self.window - now, 0.001)
            times.append(now)
            return None


def may_invoke(suite: Suite, agent_id: int, caller: str) -> None:
    """Raise :class:`UnknownAgent` or :class:`NotLicensed` unless ``caller`` may invoke."""
    developer = suite.agents.call("developerOf", agent_id)
    if developer == ZERO:
        raise UnknownAgent(f"agent {agent_id} does not exist")
    if developer.lower() != caller.lower() and not suite.agents.call("isLicensed", agent_id, caller):
        raise NotLicensed(f"you hold no licence for agent {agent_id}: license it first "
                          "(or invoke an agent you built)")


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
