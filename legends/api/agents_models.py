"""Bodies of the Forge's agent invocations."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from legends.api.contract import Reply
from legends.api.shared_models import Address, Hex, Transaction
from legends.wiring.agents import MAX_INPUT

UINT64_MAX = 2**64 - 1


class AgentPath(BaseModel):
    agent_id: int = Field(ge=0, le=UINT64_MAX, description="An AgentRegistry id")


# Storable text with something besides spaces: no NUL, no lone UTF-16 surrogate (no encoding
# can write one). Python's regex engine: the Rust one has no surrogates.
STORABLE_WORDS = r"^[^\x00\ud800-\udfff]*[^\s\x00\ud800-\udfff][^\x00\ud800-\udfff]*$"


class AgentQuestion(BaseModel):
    model_config = ConfigDict(regex_engine="python-re")

    input: str = Field(min_length=1, max_length=MAX_INPUT, pattern=STORABLE_WORDS,
                       description="The question (not only spaces; no NUL or lone surrogates)")


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
