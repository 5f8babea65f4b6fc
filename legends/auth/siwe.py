"""EIP-4361 Sign-In with Ethereum: verify a signed message.

Design notes:

* Messages (model, exact text, strict parser) live in :mod:`legends.auth.siwe_message`; their
  names are re-exported here so callers import sign-in from one place.
* EOA signatures are verified locally (EIP-191 ``personal_sign`` recovery).
  Smart-contract wallets (EIP-1271) need an on-chain ``isValidSignature``
  call, so verification accepts an optional ``contract_verifier`` callback
  instead of talking to a node itself (the app passes one that calls
  ``chain.wallets.is_valid_signature`` through the chain port).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from eth_account import Account
from eth_account.messages import defunct_hash_message, encode_defunct
from eth_utils import to_checksum_address

from legends.auth.siwe_grammar import SiweParseError
from legends.auth.siwe_message import SiweMessage, parse_message

__all__ = [
    "ContractVerifier",
    "SiweMessage",
    "SiweParseError",
    "SiweVerificationError",
    "parse_message",
    "verify",
]


class SiweVerificationError(Exception):
    """A well-formed (or malformed, code ``malformed``) message failed verification."""

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(f"{code} ({field}): {message}")
        self.code = code
        self.field = field
        self.message = message


# (address, EIP-191 message hash, raw signature) -> True if the contract at
# ``address`` accepts the signature via EIP-1271 isValidSignature.
ContractVerifier = Callable[[str, bytes, bytes], bool]


_SIGNATURE_RE = re.compile("(?:0x)?((?:[0-9a-fA-F]{2})+)")


def _decode_signature(signature: str) -> bytes:
    if not isinstance(signature, str):
        raise SiweVerificationError("malformed", "signature", "signature must be a hex string")
    match = _SIGNATURE_RE.fullmatch(signature)
    if match is None:
        raise SiweVerificationError(
            "malformed", "signature", "signature is not an even-length hex string"
        )
    return bytes.fromhex(match.group(1))


def _recover_eoa(text: str, sig: bytes) -> str | None:
    """Recover the EIP-191 signer of ``text``, or None if ``sig`` is not a usable ECDSA sig."""
    # personal_sign signatures are r || s || v with v in {27, 28} (some
    # wallets/HSMs emit {0, 1}). eth_account would also accept EIP-155 style
    # v >= 35, which has no meaning for a message signature, so filter first.
    if len(sig) != 65 or sig[64] not in (0, 1, 27, 28):
        return None
    try:
        return Account.recover_message(encode_defunct(text=text), signature=sig)
    except Exception:  # eth_keys raises assorted errors for r/s out of range
        return None


def verify(
    message: SiweMessage | str,
    signature: str,
    *,
    domain: str | None = None,
    nonce: str | None = None,
    now: datetime | None = None,
    chain_id: int | None = None,
    uri: str | None = None,
    contract_verifier: ContractVerifier | None = None,
) -> SiweMessage:
    """Verify a signed SIWE message and return it parsed.

    Cheap checks (bindings, time window) run before signature recovery, and
    before any ``contract_verifier`` round-trip. ``now`` defaults to the
    current time and must be timezone-aware. ``contract_verifier`` is only
    consulted when local EOA recovery does not yield ``message.address``.
    """
    if isinstance(message, str):
        text = message
        try:
            msg = parse_message(text)
        except SiweParseError as exc:
            raise SiweVerificationError("malformed", exc.field, exc.message) from exc
    elif isinstance(message, SiweMessage):
        msg = message
        text = msg.to_text()
    else:
        raise TypeError("message must be a SiweMessage or str")

    sig = _decode_signature(signature)

    if domain is not None and msg.domain != domain:
        raise SiweVerificationError(
            "domain_mismatch", "domain", f"message is for {msg.domain!r}, expected {domain!r}"
        )
    if nonce is not None and msg.nonce != nonce:
        raise SiweVerificationError("nonce_mismatch", "nonce", "nonce does not match")
    if chain_id is not None and msg.chain_id != chain_id:
        raise SiweVerificationError(
            "chain_id_mismatch", "chain_id", f"message is for chain {msg.chain_id}"
        )
    if uri is not None and msg.uri != uri:
        raise SiweVerificationError("uri_mismatch", "uri", f"message is for {msg.uri!r}")

    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    expiration = msg.expiration_datetime
    if expiration is not None and now >= expiration:
        raise SiweVerificationError(
            "expired", "expiration_time", f"message expired at {msg.expiration_time}"
        )
    not_before = msg.not_before_datetime
    if not_before is not None and now < not_before:
        raise SiweVerificationError(
            "not_yet_valid", "not_before", f"message is not valid before {msg.not_before}"
        )

    recovered = _recover_eoa(text, sig)
    if recovered is not None and recovered == to_checksum_address(msg.address):
        return msg
    if contract_verifier is not None and contract_verifier(
        msg.address, bytes(defunct_hash_message(text=text)), sig
    ):
        return msg
    raise SiweVerificationError(
        "invalid_signature",
        "signature",
        "signature was not made by the message address"
        + (f" (recovered {recovered})" if recovered else ""),
    )
