"""EIP-712 attestations of agent invocations (AgentRegistry's ``Invocation`` typed data).

The attester key stands in for a TEE: it vouches that an agent answered ``output`` to
``input`` for ``caller``. Anyone may then submit ``recordInvocation``; the game lets the
player's own wallet send it, so ``AgentInvoked.caller`` is the player.
"""

from __future__ import annotations

from typing import Any

from eth_account.messages import SignableMessage, encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

DOMAIN_NAME = "AgentRegistry"
DOMAIN_VERSION = "1"

TYPES: dict[str, list[dict[str, str]]] = {
    "EIP712Domain": [
        {"name": "name", "type": "string"}, {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"},
    ],
    "Invocation": [
        {"name": "agentId", "type": "uint256"}, {"name": "caller", "type": "address"},
        {"name": "inputHash", "type": "bytes32"}, {"name": "outputHash", "type": "bytes32"},
        {"name": "nonce", "type": "uint256"},
    ],
}


def content_hash(text: str) -> bytes:
    """keccak256 of UTF-8 text: how inputs and outputs are sealed into an invocation."""
    return keccak(text=text)


def invocation_typed_data(chain_id: int, registry: str, agent_id: int, caller: str,
                          input_hash: bytes, output_hash: bytes, nonce: int) -> dict[str, Any]:
    """The full EIP-712 document (what a wallet's ``eth_signTypedData_v4`` would show)."""
    return {
        "types": TYPES,
        "primaryType": "Invocation",
        "domain": {"name": DOMAIN_NAME, "version": DOMAIN_VERSION, "chainId": chain_id,
                   "verifyingContract": registry},
        "message": {"agentId": agent_id, "caller": caller, "inputHash": input_hash,
                    "outputHash": output_hash, "nonce": nonce},
    }


def invocation_message(chain_id: int, registry: str, agent_id: int, caller: str,
                       input_hash: bytes, output_hash: bytes, nonce: int) -> SignableMessage:
    return encode_typed_data(full_message=invocation_typed_data(
        chain_id, registry, agent_id, caller, input_hash, output_hash, nonce))


def digest(message: SignableMessage) -> bytes:
    """The EIP-712 digest (the contract's ``invocationDigest`` and replay key)."""
    return keccak(b"\x19" + message.version + message.header + message.body)


def sign_invocation(account: LocalAccount, chain_id: int, registry: str, agent_id: int, caller: str,
                    input_hash: bytes, output_hash: bytes, nonce: int) -> bytes:
    """The 65-byte signature ``recordInvocation`` expects from an ATTESTER_ROLE key."""
    message = invocation_message(chain_id, registry, agent_id, caller, input_hash, output_hash, nonce)
    return bytes(account.sign_message(message).signature)
