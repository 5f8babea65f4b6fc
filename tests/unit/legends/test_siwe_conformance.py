"""EIP-4361 conformance: every vector from the SIWE reference test suite.

The vectors are vendored unchanged (MIT, Spruce Systems) in
tests/conformance/siwe/ so CI does not depend on anything outside the repo.
None of these verification vectors involves an EIP-1271 contract wallet, so
they are all verified locally; the ``contract_verifier`` hook is covered by a
stub in test_contract_verifier_is_consulted_for_non_eoa below. The other two
files (negative message objects, contract-wallet messages) and the files'
hashes are checked in test_siwe_vendored_vectors.py; EIP-1271 against a real
wallet on the devnet in tests/integration/legends/test_sign_in_contract_wallets.py.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from eth_account.messages import defunct_hash_message, encode_defunct

from legends.auth.siwe import (
    SiweMessage,
    SiweParseError,
    SiweVerificationError,
    parse_message,
    verify,
)

VECTORS = Path(__file__).resolve().parents[2] / "conformance" / "siwe"

# Vector field name -> SiweMessage attribute.
FIELD_NAMES = {
    "scheme": "scheme",
    "domain": "domain",
    "address": "address",
    "statement": "statement",
    "uri": "uri",
    "version": "version",
    "chainId": "chain_id",
    "nonce": "nonce",
    "issuedAt": "issued_at",
    "expirationTime": "expiration_time",
    "notBefore": "not_before",
    "requestId": "request_id",
    "resources": "resources",
}
# Verification-vector keys that are verify() options rather than message fields.
OPTION_NAMES = {
    "time": "now",
    "domainBinding": "domain",
    "matchNonce": "nonce",
    "nonceBinding": "nonce",
    "chainIdBinding": "chain_id",
    "uriBinding": "uri",
}

# Expected failure for the named negative vectors; vectors not listed here
# (e.g. added upstream later) are still checked for the exception type.
EXPECTED_NEGATIVE_CODES = {
    "expired message": "expired",
    "domain binding": "domain_mismatch",
    "custom time": "expired",
    "custom nonce": "nonce_mismatch",
    "malformed signature": "malformed",
    "wrong signature": "invalid_signature",
    "not yet valid": "not_yet_valid",
    # Feb 31 in a timestamp: the message cannot even be constructed.
    "invalid issuedAt": SiweParseError,
    "invalid notBefore": SiweParseError,
    "invalid expirationTime": SiweParseError,
}


def _load(name: str) -> dict[str, Any]:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def _cases(name: str) -> list[Any]:
    return [pytest.param(value, id=key) for key, value in _load(name).items()]


def _message_kwargs(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(FIELD_NAMES)
    assert not unknown, f"vector has fields this test does not know: {unknown}"
    kwargs = {FIELD_NAMES[k]: v for k, v in fields.items()}
    if kwargs.get("resources") is not None:
        kwargs["resources"] = tuple(kwargs["resources"])
    return kwargs


def _split_verification_vector(vector: dict[str, Any]) -> tuple[dict, str, dict]:
    """Split a verification vector into (message fields, signature, verify options)."""
    fields, options = {}, {}
    signature = vector["signature"]
    for key, value in vector.items():
        if key == "signature":
            continue
        if key in OPTION_NAMES:
            if key == "time":
                value = datetime.fromisoformat(value.replace("Z", "+00:00"))
            options[OPTION_NAMES[key]] = value
        else:
            fields[key] = value
    return _message_kwargs(fields), signature, options


def test_vectors_are_vendored_unchanged_files() -> None:
    names = sorted(p.name for p in VECTORS.iterdir())
    assert names == [
        "LICENSE-MIT",
        "README.md",
        "eip1271.json",
        "parsing_negative.json",
        "parsing_negative_objects.json",
        "parsing_positive.json",
        "verification_negative.json",
        "verification_positive.json",
    ]


# --- parsing ------------------------------------------------------------------


@pytest.mark.parametrize("vector", _cases("parsing_positive.json"))
def test_parsing_positive(vector: dict[str, Any]) -> None:
    parsed = parse_message(vector["message"])
    expected = SiweMessage(**_message_kwargs(vector["fields"]))

    # Exact fields: every attribute not in the vector must be absent (None).
    assert dataclasses.asdict(parsed) == dataclasses.asdict(expected)
    assert parsed == expected
    # Byte-for-byte round trip, both from the parsed and the constructed message.
    assert parsed.to_text() == vector["message"]
    assert expected.to_text() == vector["message"]


@pytest.mark.parametrize("text", _cases("parsing_negative.json"))
def test_parsing_negative(text: str) -> None:
    with pytest.raises(SiweParseError) as info:
        parse_message(text)
    assert info.value.field  # always names the offending field


# --- verification -------------------------------------------------------------


@pytest.mark.parametrize("vector", _cases("verification_positive.json"))
def test_verification_positive(vector: dict[str, Any]) -> None:
    kwargs, signature, options = _split_verification_vector(vector)
    message = SiweMessage(**kwargs)

    assert verify(message, signature, **options) == message
    # The text form must verify identically (and parse back to the same fields).
    assert verify(message.to_text(), signature, **options) == message


@pytest.mark.parametrize("vector", _cases("verification_negative.json"))
def test_verification_negative(vector: dict[str, Any], request: pytest.FixtureRequest) -> None:
    name = request.node.callspec.id
    kwargs, signature, options = _split_verification_vector(vector)
    with pytest.raises((SiweParseError, SiweVerificationError)) as info:
        verify(SiweMessage(**kwargs), signature, **options)

    expected = EXPECTED_NEGATIVE_CODES.get(name)
    if isinstance(expected, str):
        assert isinstance(info.value, SiweVerificationError)
        assert info.value.code == expected
    elif expected is not None:
        assert isinstance(info.value, expected)


# --- own cases ----------------------------------------------------------------

NOW = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)


def _fresh_message(address: str, **overrides: Any) -> SiweMessage:
    fields: dict[str, Any] = {
        "domain": "legends.example",
        "address": address,
        "statement": "Sign in to Sahara Legends.",
        "uri": "https://legends.example/login",
        "version": "1",
        "chain_id": 31337,
        "nonce": "Q7xk2m9PzL4a",
        "issued_at": "2030-05-01T11:59:00Z",
        "expiration_time": "2030-05-01T12:09:00Z",
        "resources": ("https://legends.example/quests",),
    }
    fields.update(overrides)
    return SiweMessage(**fields)


def _sign(message: SiweMessage | str, key: Any) -> str:
    text = message if isinstance(message, str) else message.to_text()
    return "0x" + key.sign_message(encode_defunct(text=text)).signature.hex().removeprefix("0x")


def test_fresh_key_signature_verifies_with_all_bindings() -> None:
    key = Account.create()
    message = _fresh_message(key.address)
    result = verify(
        message,
        _sign(message, key),
        domain="legends.example",
        nonce="Q7xk2m9PzL4a",
        now=NOW,
        chain_id=31337,
        uri="https://legends.example/login",
    )
    assert result == message
    assert parse_message(message.to_text()) == message


def test_signature_from_another_key_is_invalid_signature() -> None:
    owner, other = Account.create(), Account.create()
    message = _fresh_message(owner.address)
    with pytest.raises(SiweVerificationError) as info:
        verify(message, _sign(message, other), now=NOW)
    assert info.value.code == "invalid_signature"


def test_tampered_message_fails() -> None:
    key = Account.create()
    message = _fresh_message(key.address)
    signature = _sign(message, key)
    tampered = message.to_text().replace("Chain ID: 31337", "Chain ID: 1")
    with pytest.raises(SiweVerificationError) as info:
        verify(tampered, signature, now=NOW)
    assert info.value.code == "invalid_signature"


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"domain": "evil.example"}, "domain_mismatch"),
        ({"nonce": "somethingElse1"}, "nonce_mismatch"),
        ({"chain_id": 1}, "chain_id_mismatch"),
        ({"uri": "https://evil.example/login"}, "uri_mismatch"),
        ({"now": datetime(2030, 5, 1, 12, 9, tzinfo=UTC)}, "expired"),  # now == expiration
    ],
)
def test_binding_and_time_failures(options: dict[str, Any], code: str) -> None:
    key = Account.create()
    message = _fresh_message(key.address)
    options = {"now": NOW, **options}
    with pytest.raises(SiweVerificationError) as info:
        verify(message, _sign(message, key), **options)
    assert info.value.code == code


def test_not_before_boundary_is_inclusive() -> None:
    key = Account.create()
    message = _fresh_message(key.address, not_before="2030-05-01T12:00:00Z")
    signature = _sign(message, key)
    assert verify(message, signature, now=NOW) == message
    with pytest.raises(SiweVerificationError) as info:
        verify(message, signature, now=NOW - timedelta(microseconds=1))
    assert info.value.code == "not_yet_valid"


def test_unparseable_text_is_malformed_verification_error() -> None:
    with pytest.raises(SiweVerificationError) as info:
        verify("not a siwe message", "0x" + "00" * 65)
    assert info.value.code == "malformed"


def test_contract_verifier_is_consulted_for_non_eoa() -> None:
    # Stub for an EIP-1271 wallet: a real deployment would call
    # isValidSignature(hash, signature) on-chain; here we only accept one blob.
    wallet = "0x" + "11" * 20
    message = _fresh_message(wallet)
    blob = b"contract-wallet-signature"
    calls: list[tuple[str, bytes, bytes]] = []

    def stub(address: str, message_hash: bytes, signature: bytes) -> bool:
        calls.append((address, message_hash, signature))
        return signature == blob

    assert verify(message, "0x" + blob.hex(), now=NOW, contract_verifier=stub) == message
    assert calls == [(wallet, bytes(defunct_hash_message(text=message.to_text())), blob)]
    with pytest.raises(SiweVerificationError) as info:
        verify(message, "0x" + b"other".hex(), now=NOW, contract_verifier=stub)
    assert info.value.code == "invalid_signature"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("issued_at", "2023-13-01T00:00:00Z"),
        ("issued_at", "2023-02-29T00:00:00Z"),
        ("issued_at", "2023-01-01T24:00:00Z"),
        ("issued_at", "2023-01-01 00:00:00Z"),
        ("issued_at", "2023-01-01T00:00:00"),
        ("chain_id", True),
        ("nonce", "abc-defgh"),
        ("statement", "two\nlines"),
        ("statement", 'quotes " are not allowed'),
        ("domain", "exa mple.com"),
        ("domain", "[::zz]"),
        ("uri", "https://[::1%25eth0]/"),
        ("uri", "no-scheme"),
        ("request_id", "has space"),
        ("resources", ("https://ok.example", "bad uri")),
    ],
)
def test_invalid_fields_rejected_on_construction(field: str, value: Any) -> None:
    with pytest.raises(SiweParseError) as info:
        _fresh_message("0x" + "11" * 20, **{field: value})
    assert info.value.field == field


def test_leap_year_and_optional_shapes_round_trip() -> None:
    message = _fresh_message(
        "0x" + "11" * 20,
        scheme="https",
        statement="",
        issued_at="2024-02-29t23:59:60.123456789+05:30",
        request_id="",
        resources=(),
    )
    assert parse_message(message.to_text()) == message


def test_chain_id_with_leading_zero_is_rejected() -> None:
    text = _fresh_message("0x" + "11" * 20).to_text().replace("Chain ID: 31337", "Chain ID: 01")
    with pytest.raises(SiweParseError) as info:
        parse_message(text)
    assert info.value.field == "chain_id"


def test_trailing_newline_is_rejected() -> None:
    with pytest.raises(SiweParseError):
        parse_message(_fresh_message("0x" + "11" * 20).to_text() + "\n")
