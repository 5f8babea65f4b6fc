"""Smart-contract wallets sign in (EIP-1271): a wallet on the devnet whose owner key signs
the message, through the real API. A signature the wallet does not accept is refused; an
EOA signs in as before, without the chain; with the chain down a contract wallet's sign-in
is a 503 that says why, and nothing is written."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from eth_account import Account
from eth_account.messages import defunct_hash_message, encode_defunct
from sqlalchemy import func, select
from test_sign_in import iso, signed

from chain import artifacts
from chain.wallets import is_valid_signature
from legends.auth.siwe import SiweMessage, parse_message
from legends.auth.store import SignInNonce
from quests.orm import Player


@pytest.fixture
def wallet_app(make_app, devnet):
    return make_app(CHAIN_RPC_URL=devnet.config.url)


@pytest.fixture
def contract_wallet(chain_tx, signers, suite):
    """A devnet OwnerWallet and its owner key: (wallet address, owner account)."""
    owner = Account.create()
    art = artifacts.load("OwnerWallet")
    chain_tx.add_signer(signers.deployer)
    receipt = chain_tx.transact(signers.deployer.address, None,
                                art.bytecode + art.abi.encode_constructor([owner.address]))
    assert receipt.ok and receipt.contract_address
    return receipt.contract_address, owner


def wallet_message(client, wallet: str, owner, signer=None) -> dict[str, str]:
    """A message naming the contract wallet, signed (personal_sign) by ``signer`` (the owner)."""
    info = client.get("/api/auth/nonce").get_json()
    text = SiweMessage(domain=info["domain"], address=wallet, statement=info["statement"],
                       uri=info["uri"], version="1", chain_id=info["chain_id"], nonce=info["nonce"],
                       issued_at=iso(datetime.now(timezone.utc))).to_text()
    signature = (signer or owner).sign_message(encode_defunct(text=text)).signature.hex()
    return {"message": text, "signature": "0x" + signature.removeprefix("0x")}


def test_a_contract_wallet_signs_in_with_its_owners_signature(wallet_app, contract_wallet):
    wallet, owner = contract_wallet
    client = wallet_app.test_client()
    response = client.post("/api/auth/verify", json=wallet_message(client, wallet, owner))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["address"] == wallet
    assert client.get("/api/me").get_json()["address"] == wallet
    again = client.post("/api/auth/verify", json=wallet_message(client, wallet, owner))
    assert again.status_code == 200 and again.get_json()["created"] is False


def test_a_signature_the_wallet_does_not_accept_is_refused(wallet_app, contract_wallet):
    wallet, owner = contract_wallet
    client = wallet_app.test_client()
    for body in (wallet_message(client, wallet, owner, signer=Account.create()),
                 {**wallet_message(client, wallet, owner), "signature": "0x" + "ab" * 64},
                 {**wallet_message(client, wallet, owner), "signature": "0x" + "00" * 65}):
        response = client.post("/api/auth/verify", json=body)
        assert response.status_code == 401, response.get_json()
        assert response.get_json()["field"] == "signature"
    assert client.get("/api/me").status_code == 401


def test_the_owners_signature_of_another_message_is_refused(wallet_app, contract_wallet):
    wallet, owner = contract_wallet
    client = wallet_app.test_client()
    body = wallet_message(client, wallet, owner)
    other = wallet_message(client, wallet, owner)
    response = client.post("/api/auth/verify", json={**other, "signature": body["signature"]})
    assert response.status_code == 401 and response.get_json()["field"] == "signature"


def test_an_eoa_still_signs_in_on_a_chain_with_contract_wallets(wallet_app, contract_wallet):
    client = wallet_app.test_client()
    body, account = signed(client)
    assert client.post("/api/auth/verify", json=body).status_code == 201
    # an EOA's address has no code: a wrong signature is refused without asking a contract
    body, _ = signed(client, account, signer=Account.create())
    assert client.post("/api/auth/verify", json=body).status_code == 401


def test_the_port_call_answers_only_the_magic_value(chain_tx, contract_wallet, signers):
    wallet, owner = contract_wallet
    digest = bytes(defunct_hash_message(text="a caravan passes"))
    good = owner.unsafe_sign_hash(digest).signature
    assert is_valid_signature(chain_tx.chain, wallet, digest, bytes(good)) is True
    assert is_valid_signature(chain_tx.chain, wallet, digest, b"\x01" * 65) is False
    assert is_valid_signature(chain_tx.chain, wallet, digest, b"") is False
    # a contract without isValidSignature reverts: refused, not an error
    assert is_valid_signature(chain_tx.chain, signers.deployer.address, digest, bytes(good)) is False


def test_with_the_chain_down_an_eoa_signs_in_and_a_contract_wallet_gets_503(make_app, contract_wallet):
    wallet, owner = contract_wallet
    app = make_app(CHAIN_RPC_URL="http://127.0.0.1:1")
    client = app.test_client()
    body, _ = signed(client)
    assert client.post("/api/auth/verify", json=body).status_code == 201

    client = app.test_client()
    body = wallet_message(client, wallet, owner)
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code == 503, response.get_json()
    refusal = response.get_json()
    assert "EIP-1271" in refusal["error"] and "unreachable" in refusal["error"]
    with app.extensions["legends.db"].sessions() as db:
        assert db.scalar(select(func.count()).select_from(Player).where(Player.address == wallet)) == 0
        nonce = db.scalar(select(SignInNonce).where(SignInNonce.nonce == nonce_of(body)))
        assert nonce is not None and nonce.used_at is None  # the nonce is still unused
    # Another key's signature for an EOA cannot be told from a contract wallet's without the
    # chain either: a 503 too, never a sign-in.
    body, _ = signed(client, signer=Account.create())
    assert client.post("/api/auth/verify", json=body).status_code == 503
    assert client.get("/api/me").status_code == 401


def nonce_of(body: dict[str, str]) -> str:
    return parse_message(body["message"]).nonce
