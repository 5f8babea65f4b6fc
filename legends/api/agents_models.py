"""Bodies of the Forge's agent invocations."""

from __future__ import annotations

from pydantic import BaseModel, Field

from legends.api.contract import Reply
from legends.api.shared_models import Address, Hex, Transaction
from legends.wiring.agents import MAX_INPUT

UINT64_MAX = 2**64 - 1


class AgentPath(BaseModel):
    agent_id: int = Field(ge=0, le=UINT64_MAX, description="An AgentRegistry id")


class AgentQuestion(BaseModel):
    input: str = Field(min_length=1, max_length=MAX_INPUT, pattern=r"\S",
                       description="The question (not only spaces)")


class AttestedAnswer(Reply):
    """The agent's answer sealed by the attester, and the ``recordInvocation`` transaction."""

    agent_id: int = Field(ge=0)
    agent: str
    input: str
    output: str
    input_hash: Hex
    output_hash: Hex
    nonce: str = Field(pattern=r"^[0-9]+$")
    signature: Hex
    attester: Address
    tx: Transaction
