"""Helpers for the admin tests: sign a wallet in (real EIP-4361 messages and signatures),
read the CSRF token, and an app with an admin seeded from ADMIN_ADDRESSES and the shipped
catalog loaded. (At the top of ``tests/`` so the e2e and integration tests share it.)"""

from __future__ import annotations

from datetime import UTC, datetime

from eth_account import Account
from eth_account.messages import encode_defunct

from legends.auth.siwe import SiweMessage

# Fixed keys (not the dev mnemonic's): an admin and two players.
ADMIN_KEY = "0x" + "a1" * 32
PLAYER_KEY = "0x" + "b2" * 32
OTHER_KEY = "0x" + "c3" * 32


def account(key: str):  # type: ignore[no-untyped-def]
    return Account.from_key(key)


def siwe_text(info: dict, address: str, issued_at: datetime | None = None) -> str:
    at = (issued_at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return SiweMessage(domain=info["domain"], address=address, statement=info["statement"],
                       uri=info["uri"], version="1", chain_id=info["chain_id"], nonce=info["nonce"],
                       issued_at=at).to_text()


def sign(key: str, text: str) -> str:
    return "0x" + account(key).sign_message(encode_defunct(text=text)).signature.hex().removeprefix("0x")


def sign_in(client, key: str) -> str:  # type: ignore[no-untyped-def]
    """Sign ``key``'s wallet in on ``client``; returns its address."""
    address = account(key).address
    info = client.get("/api/auth/nonce").get_json()
    text = siwe_text(info, address)
    response = client.post("/api/auth/verify", json={"message": text, "signature": sign(key, text)})
    assert response.status_code in (200, 201), response.get_json()
    return address


def csrf(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    token = client.get("/api/admin/me").get_json()["csrf_token"]
    return {"X-CSRF-Token": token}
