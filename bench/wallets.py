"""A player's side of the game, shared by the soak and the playable test: a fresh wallet of
its own, the EIP-4361 sign-in body it signs for a nonce, and the suite bound to its own
signer (its transactions are signed locally and sent over JSON-RPC, as a browser wallet's)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from eth_account import Account
from eth_account.messages import encode_defunct

from chain import artifacts
from chain.bindings import Suite
from chain.rpc import JsonRpcChain
from chain.txmanager import TxManager
from legends.auth.siwe import SiweMessage


def sign_in_body(nonce: dict[str, Any], account: Any, referral_code: str | None = None) -> dict[str, Any]:
    """The body of ``POST /api/auth/verify`` for the answer of ``GET /api/auth/nonce``."""
    text = SiweMessage(
        domain=nonce["domain"], address=account.address, statement=nonce["statement"],
        uri=nonce["uri"], version="1", chain_id=nonce["chain_id"], nonce=nonce["nonce"],
        issued_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")).to_text()
    signature = account.sign_message(encode_defunct(text=text)).signature.hex()
    body = {"message": text, "signature": "0x" + signature.removeprefix("0x")}
    if referral_code:
        body["referral_code"] = referral_code
    return body


def own_wallet(rpc_url: str, addresses: dict[str, str], account: Any | None = None) -> tuple[Any, Suite]:
    """A fresh account (or ``account``) and the suite bound to a tx manager signing for it."""
    account = account or Account.create()
    tx = TxManager(JsonRpcChain(rpc_url), artifacts.error_decoder())
    tx.add_signer(account)
    return account, Suite.bind(addresses, tx)
