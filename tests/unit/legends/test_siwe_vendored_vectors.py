"""The vendored EIP-4361 vectors are the official suite's, unchanged (each file's sha256 is
the README's), and the two not used by test_siwe_conformance.py are used here: message
objects that must be refused when a message is built, and messages signed by mainnet
contract wallets (EIP-1271), which parse offline; verifying them needs those contracts, so
EIP-1271 itself is verified against a devnet wallet (test_sign_in_contract_wallets.py)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from eth_account.messages import defunct_hash_message

from legends.auth.siwe import SiweMessage, SiweParseError, SiweVerificationError, parse_message, verify

VECTORS = Path(__file__).resolve().parents[2] / "conformance" / "siwe"
LISTED = re.compile(r"^- `(?P<name>[^`]+)` (?P<sha256>[0-9a-f]{64})$", re.MULTILINE)
FIELD_NAMES = {
    "scheme": "scheme", "domain": "domain", "address": "address", "statement": "statement",
    "uri": "uri", "version": "version", "chainId": "chain_id", "nonce": "nonce",
    "issuedAt": "issued_at", "expirationTime": "expiration_time", "notBefore": "not_before",
    "requestId": "request_id", "resources": "resources",
}
# The field each negative object is refused for (its name says so).
REFUSED_FOR = {
    "missing domain": "domain", "missing address": "address", "missing uri": "uri",
    "missing version": "version", "missing chainId": "chain_id", "missing nonce": "nonce",
    "missing issuedAt": "issued_at", "domain not RFC4501 authority": "domain",
    "address not EIP-55": "address", "uri is non-RFC 3986": "uri", "version not 1": "version",
    "not a valid chainId": "chain_id", "nonce with less then 8 chars": "nonce",
    "non-ISO 8601 issuedAt": "issued_at", "non-ISO 8601 expirationTime": "expiration_time",
    "non-ISO 8601 notBefore": "not_before", "first resource not-RFC 3986": "resources",
    "second resource is not-RFC3986": "resources",
}


def load(name: str) -> dict[str, Any]:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def listed() -> dict[str, str]:
    return {m["name"]: m["sha256"] for m in LISTED.finditer((VECTORS / "README.md").read_text())}


def fields(obj: dict[str, Any]) -> dict[str, Any]:
    return {FIELD_NAMES[key]: value for key, value in obj.items()}


def test_every_vendored_vector_file_is_listed_with_its_sha256():
    hashes = listed()
    present = {path.name for path in VECTORS.glob("*.json")}
    assert present == set(hashes), "a vector file is missing, or one the README does not list"
    for name, expected in hashes.items():
        assert hashlib.sha256((VECTORS / name).read_bytes()).hexdigest() == expected, name
    assert (VECTORS / "LICENSE-MIT").exists()


def test_the_hash_check_notices_a_changed_byte():
    name, expected = next(iter(listed().items()))
    changed = (VECTORS / name).read_bytes() + b" "
    assert hashlib.sha256(changed).hexdigest() != expected


NEGATIVE_OBJECTS = load("parsing_negative_objects.json")


def test_every_negative_object_is_one_we_know_why_to_refuse():
    assert set(NEGATIVE_OBJECTS) == set(REFUSED_FOR)


@pytest.mark.parametrize("name", sorted(NEGATIVE_OBJECTS))
def test_a_negative_object_is_refused_when_building_a_message_naming_its_field(name):
    field = REFUSED_FOR[name]
    with pytest.raises((SiweParseError, TypeError)) as refused:
        SiweMessage(**fields(NEGATIVE_OBJECTS[name]))
    if isinstance(refused.value, SiweParseError):
        assert refused.value.field == field
    else:  # a required field is absent: the constructor names it
        assert name.startswith("missing ") and f"'{field}'" in str(refused.value)


VALID = {  # the negative objects' shared values, each of them valid
    "domain": "service.org", "address": "0xe5A12547fe4E872D192E3eCecb76F2Ce1aeA4946",
    "statement": "I accept the ServiceOrg Terms of Service: https://service.org/tos",
    "uri": "https://service.org/login", "version": "1", "chain_id": 1, "nonce": "12341234",
    "issued_at": "2022-03-17T12:45:13.610Z", "expiration_time": "2023-03-17T12:45:13.610Z",
    "not_before": "2022-03-17T12:45:13.610Z", "request_id": "some_id",
    "resources": ["https://service.org/login"],
}


@pytest.mark.parametrize("name", sorted(NEGATIVE_OBJECTS))
def test_a_negative_object_with_its_one_fault_mended_builds_and_round_trips(name):
    """So each refusal above is for the named field and nothing else."""
    mended = {**fields(NEGATIVE_OBJECTS[name]), REFUSED_FOR[name]: VALID[REFUSED_FOR[name]]}
    message = SiweMessage(**mended)
    assert parse_message(message.to_text()) == message


CONTRACT_SIGNED = load("eip1271.json")


@pytest.mark.parametrize("wallet", sorted(CONTRACT_SIGNED))
def test_messages_signed_by_contract_wallets_parse_offline(wallet):
    vector = CONTRACT_SIGNED[wallet]
    message = parse_message(vector["message"])
    assert message.to_text() == vector["message"]
    assert message.chain_id == 1 and message.domain == "localhost:4361"


@pytest.mark.parametrize("wallet", sorted(CONTRACT_SIGNED))
def test_a_contract_signature_is_not_an_eoas_and_goes_to_the_wallet(wallet):
    """Without a contract check the signature is refused; with one, the wallet is asked with
    its address, the message's EIP-191 hash and the raw signature (what isValidSignature gets)."""
    vector = CONTRACT_SIGNED[wallet]
    message = parse_message(vector["message"])
    with pytest.raises(SiweVerificationError) as refused:
        verify(vector["message"], vector["signature"], now=message.issued_at_datetime)
    assert refused.value.code == "invalid_signature" and refused.value.field == "signature"
    asked: list[tuple[str, bytes, bytes]] = []
    verified = verify(vector["message"], vector["signature"], now=message.issued_at_datetime,
                      contract_verifier=lambda *call: asked.append(call) or True)
    assert verified == message
    assert asked == [(message.address, bytes(defunct_hash_message(text=vector["message"])),
                      bytes.fromhex(vector["signature"].removeprefix("0x")))]
