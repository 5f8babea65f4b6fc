"""Sign-in with Ethereum against the running app: real messages, real signatures."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct

from legends.auth.siwe import SiweMessage


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def signed(client, account=None, *, signer=None, **changes):
    """Fetch a nonce and sign a message for it; ``changes`` tamper with fields."""
    account = account or Account.create()
    info = client.get("/api/auth/nonce").get_json()
    fields = dict(domain=info["domain"], address=account.address, statement=info["statement"],
                  uri=info["uri"], version="1", chain_id=info["chain_id"], nonce=info["nonce"],
                  issued_at=iso(datetime.now(timezone.utc)))
    fields.update(changes)
    text = SiweMessage(**fields).to_text()
    signature = (signer or account).sign_message(encode_defunct(text=text)).signature.hex()
    return {"message": text, "signature": "0x" + signature.removeprefix("0x")}, account


def test_first_sign_in_creates_the_player_and_sets_a_safe_cookie(client):
    body, account = signed(client)
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["address"] == account.address
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    me = client.get("/api/me").get_json()
    assert me["address"] == account.address and me["xp"] == 0


def test_second_sign_in_finds_the_same_player(client):
    body, account = signed(client)
    assert client.post("/api/auth/verify", json=body).status_code == 201
    body, _ = signed(client, account)
    again = client.post("/api/auth/verify", json=body)
    assert again.status_code == 200 and again.get_json()["created"] is False


def test_a_replayed_message_is_refused(client):
    body, _ = signed(client)
    assert client.post("/api/auth/verify", json=body).status_code == 201
    replay = client.post("/api/auth/verify", json=body)
    assert replay.status_code == 401
    assert replay.get_json()["field"] == "nonce"


def test_an_expired_message_is_refused(client):
    past = datetime.now(timezone.utc) - timedelta(hours=1)
    body, _ = signed(client, issued_at=iso(past - timedelta(minutes=5)),
                     expiration_time=iso(past))
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code == 401
    assert response.get_json()["field"] == "expiration_time"


def test_a_message_for_another_domain_is_refused(client):
    body, _ = signed(client, domain="evil.example")
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code == 401 and response.get_json()["field"] == "domain"


def test_a_message_for_another_chain_is_refused(client):
    body, _ = signed(client, chain_id=1)
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code == 401 and response.get_json()["field"] == "chain_id"


def test_a_message_for_another_uri_is_refused(client):
    body, _ = signed(client, uri="https://evil.example/login")
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code == 401 and response.get_json()["field"] == "uri"


def test_a_signature_by_another_key_is_refused(make_app, devnet):
    """Another key's signature could still be a contract wallet's (EIP-1271): the chain says
    the address has no code, so it is refused."""
    client = make_app(CHAIN_RPC_URL=devnet.config.url).test_client()
    body, _ = signed(client, signer=Account.create())
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code == 401 and response.get_json()["field"] == "signature"


def test_an_unknown_nonce_is_refused(client):
    body, _ = signed(client, nonce="madeup12345")
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code == 401 and response.get_json()["field"] == "nonce"


def test_an_expired_nonce_is_refused(client, app):
    from legends.auth.store import SignInNonce

    body, _ = signed(client)
    with app.extensions["legends.db"].sessions.begin() as db:
        for row in db.query(SignInNonce):
            row.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code == 401 and "expired" in response.get_json()["error"]


@pytest.mark.parametrize("payload, field", [
    (None, "body"), ([], "body"), ({}, "message"), ({"message": "x"}, "signature"),
    ({"message": 5, "signature": "0x00"}, "message"),
    ({"message": "hello", "signature": "0x00"}, "domain"),
])
def test_bad_input_names_the_field(client, payload, field):
    response = client.post("/api/auth/verify", json=payload) if payload is not None else \
        client.post("/api/auth/verify", data="not json", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["field"] == field


def test_referral_code_links_the_new_player(client, app):
    from quests.orm import Player

    body, referrer = signed(client)
    code = client.post("/api/auth/verify", json=body).get_json()["referral_code"]
    client.post("/api/auth/logout")
    body, invitee = signed(client)
    body["referral_code"] = code
    assert client.post("/api/auth/verify", json=body).status_code == 201
    with app.extensions["legends.db"].sessions() as db:
        new = db.query(Player).filter_by(address=invitee.address).one()
        old = db.query(Player).filter_by(address=referrer.address).one()
        assert new.referred_by_id == old.id


def test_an_unknown_referral_code_is_refused_and_nothing_is_written(client, app):
    from quests.orm import Player

    body, _ = signed(client)
    body["referral_code"] = "nope"
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code == 400 and response.get_json()["field"] == "referral_code"
    with app.extensions["legends.db"].sessions() as db:
        assert db.query(Player).count() == 0


def test_logout_ends_the_session(client):
    body, _ = signed(client)
    client.post("/api/auth/verify", json=body)
    client.post("/api/auth/logout")
    response = client.get("/api/me")
    assert response.status_code == 401 and response.get_json()["field"] == "session"


def test_referral_codes_are_long_random_base32():
    from legends.auth.players import REFERRAL_CODE_LENGTH, new_referral_code

    codes = {new_referral_code() for _ in range(1000)}
    assert len(codes) == 1000 and REFERRAL_CODE_LENGTH >= 10
    assert all(len(c) == REFERRAL_CODE_LENGTH and c.isalnum() and c.upper() == c for c in codes)


@pytest.fixture
def any_db_app(make_app):
    """The app on SQLite, then on PostgreSQL (the conftest's ``database``)."""
    return make_app()


def test_a_referral_code_that_collides_is_drawn_again(any_db_app, monkeypatch):
    """Two players can never share a code; a collision costs a retry, not a 500."""
    from legends.auth import players

    client = any_db_app.test_client()
    body, _ = signed(client)
    taken = client.post("/api/auth/verify", json=body).get_json()["referral_code"]
    client.post("/api/auth/logout")
    drawn = iter([taken, taken, "FRESHCODE234"])
    monkeypatch.setattr(players, "new_referral_code", lambda: next(drawn))
    body, invitee = signed(client)
    body["referral_code"] = taken  # the invitee also uses the referrer's code: still linked
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["referral_code"] == "FRESHCODE234"
    client.post("/api/auth/logout")
    body, _ = signed(client, invitee)  # and signing in again finds the same player
    again = client.post("/api/auth/verify", json=body)
    assert again.status_code == 200 and again.get_json()["referral_code"] == "FRESHCODE234"
