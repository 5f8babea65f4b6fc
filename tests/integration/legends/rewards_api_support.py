"""Helpers for the rewards API tests: an app wired to the session devnet and its deployed
suite, players signed in with their own dev keys, and grants paid by the real worker."""

from __future__ import annotations

from datetime import datetime, timezone

from eth_account import Account
from eth_account.messages import encode_defunct

from chain.accounts import FIRST_PLAYER_INDEX, dev_account
from chain.store import SqlManifestStore
from legends.auth.siwe import SiweMessage
from nft import outbox
from nft.ledger import grants_for_completion


def chain_app(make_app, devnet, deployed, **overrides):
    """The app on the session devnet, its database knowing the deployed suite."""
    app = make_app(CHAIN_RPC_URL=devnet.config.url, **overrides)
    SqlManifestStore(app.extensions["legends.db"].sessions).save(deployed[0])
    return app


def sign_in(client, account=None):
    """Sign ``account`` (default: a brand-new key) in on ``client``; returns the account."""
    account = account or Account.create()
    info = client.get("/api/auth/nonce").get_json()
    text = SiweMessage(
        domain=info["domain"], address=account.address, statement=info["statement"],
        uri=info["uri"], version="1", chain_id=info["chain_id"], nonce=info["nonce"],
        issued_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")).to_text()
    signature = account.sign_message(encode_defunct(text=text)).signature.hex()
    response = client.post("/api/auth/verify",
                           json={"message": text, "signature": "0x" + signature.removeprefix("0x")})
    assert response.status_code in (200, 201), response.get_json()
    return account


def dev_player(index: int = 0):
    """A funded dev-mnemonic player key (the ``players`` fixture's ``index``-th account)."""
    return dev_account(FIRST_PLAYER_INDEX + index)


def grant(app, address: str, quest: str, rewards: dict, period: str = "once"):
    with app.extensions["legends.db"].sessions.begin() as session:
        return outbox.record_grants(session, grants_for_completion(address, quest, period, rewards))


def pay(app) -> None:
    """Run the app's own reward worker once: every owed grant gets minted."""
    from legends.workers.rewards import build_worker

    cycle = build_worker(app).run_once()
    assert cycle.errors == [], cycle.errors
