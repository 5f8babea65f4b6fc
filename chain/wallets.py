"""Smart-contract wallets (EIP-1271): does the contract at an address accept a signature?

Sign-in asks this only when a signature is not the address's own ECDSA key (an EOA's are
checked without the chain). The call goes through the chain port like every other read.
"""

from __future__ import annotations

from eth_abi import encode as abi_encode

from chain.errors import RpcError
from chain.port import ChainPort
from chain.txmanager import revert_data

# bytes4(keccak256("isValidSignature(bytes32,bytes)")): the selector, and what a wallet
# returns when it accepts the signature.
MAGIC_VALUE = bytes.fromhex("1626ba7e")


def is_valid_signature(chain: ChainPort, address: str, digest: bytes, signature: bytes) -> bool:
    """Whether the contract at ``address`` answers ``isValidSignature(digest, signature)``
    with the magic value. An address without code, a revert or any other answer is False;
    an unreachable node raises :class:`chain.errors.ChainError` (the caller cannot tell)."""
    if len(digest) != 32:
        raise ValueError("an EIP-1271 digest is 32 bytes")
    if not chain.code(address):
        return False
    data = MAGIC_VALUE + abi_encode(["bytes32", "bytes"], [digest, signature])
    try:
        answer = chain.call(address, data)
    except RpcError as exc:
        if revert_data(exc) is None:  # not a revert: the node failed, not the signature
            raise
        return False
    # A bytes4 return value is one ABI word: the four bytes, then zeros.
    return len(answer) == 32 and answer == MAGIC_VALUE + bytes(28)
