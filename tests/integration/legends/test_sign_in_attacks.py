"""Sign-in as an attacker tries it: relayed nonces, look-alike URIs, messages from the future,
broken signatures, stolen cookies after logout, and a wallet signing up many times at once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from eth_account import Account
from flask.testing import FlaskClient
from test_sign_in import iso, signed


def refused(response, status: int, field: str) -> None:
    assert response.status_code == status, response.get_json()
    assert response.get_json()["field"] == field, response.get_json()


def test_a_nonce_asked_by_one_session_cannot_sign_in_another(app):
    jar_a, jar_b = app.test_client(), app.test_client()
    body, _ = signed(jar_a)
    refused(jar_b.post("/api/auth/verify", json=body), 401, "nonce")
    bare = FlaskClient(app, app.response_class, use_cookies=False)
    bare.environ_base.update(jar_a.environ_base)
    refused(bare.post("/api/auth/verify", json=body), 401, "nonce")
    assert jar_a.post("/api/auth/verify", json=body).status_code == 201


@pytest.mark.parametrize("uri", [
    "http://127.0.0.1:5000@evil.example/login",
    "http://127.0.0.1:50000/",
    "http://127.0.0.1:500/",
    "https://127.0.0.1:5000/",
    "http://127.0.0.1.evil.example:5000/",
    "http://user:pw@127.0.0.1:5000/",
    "http://127.0.0.1:99999/",
])
def test_a_uri_that_only_looks_like_ours_is_refused(client, uri):
    body, _ = signed(client, uri=uri)
    refused(client.post("/api/auth/verify", json=body), 401, "uri")


def test_our_origin_with_any_path_signs_in(client):
    body, _ = signed(client, uri="http://127.0.0.1:5000/login?from=map")
    assert client.post("/api/auth/verify", json=body).status_code == 201


def test_a_message_issued_in_the_future_is_refused(client):
    body, _ = signed(client, issued_at="2099-01-01T00:00:00Z")
    refused(client.post("/api/auth/verify", json=body), 401, "issued_at")


def test_a_small_clock_skew_is_allowed(client):
    ahead = datetime.now(timezone.utc) + timedelta(seconds=30)
    body, _ = signed(client, issued_at=iso(ahead))
    assert client.post("/api/auth/verify", json=body).status_code == 201


def test_a_message_that_expires_before_it_was_issued_is_refused(client):
    now = datetime.now(timezone.utc)
    body, _ = signed(client, issued_at=iso(now + timedelta(seconds=60)),
                     expiration_time=iso(now + timedelta(seconds=30)))
    refused(client.post("/api/auth/verify", json=body), 401, "expiration_time")


@pytest.mark.parametrize("signature", ["0x" + "zz" * 65, "0x", "0x123", "not hex"])
def test_a_malformed_signature_names_the_signature(client, signature):
    body, _ = signed(client)
    body["signature"] = signature
    refused(client.post("/api/auth/verify", json=body), 400, "signature")


def test_a_cookie_copied_before_logout_no_longer_works(app, client):
    body, _ = signed(client)
    assert client.post("/api/auth/verify", json=body).status_code == 201
    stolen = client.get_cookie("session").value
    assert client.post("/api/auth/logout").status_code == 200
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    refused(thief.get("/api/me"), 401, "session")


def test_a_session_ends_after_session_hours(make_app):
    from legends.auth.store import SignInSession

    app = make_app(SESSION_HOURS=2.0)
    client = app.test_client()
    body, _ = signed(client)
    client.post("/api/auth/verify", json=body)
    with app.extensions["legends.db"].sessions.begin() as db:
        row = db.query(SignInSession).one()
        assert abs((row.expires_at.replace(tzinfo=timezone.utc) - row.created_at.replace(
            tzinfo=timezone.utc)) - timedelta(hours=2)) < timedelta(seconds=1)
        row.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    refused(client.get("/api/me"), 401, "session")
    assert app.permanent_session_lifetime == timedelta(hours=2)


def test_expired_nonces_are_purged(app, client):
    from legends.auth.players import purge_nonces
    from legends.auth.store import SignInNonce

    for _ in range(3):
        client.get("/api/auth/nonce")
    sessions = app.extensions["legends.db"].sessions
    with sessions.begin() as db:
        assert purge_nonces(db, datetime.now(timezone.utc)) == 0
        assert purge_nonces(db, datetime.now(timezone.utc) + timedelta(hours=1)) == 3
    with sessions() as db:
        assert db.query(SignInNonce).count() == 0


@pytest.fixture
def any_db_app(make_app):
    """The app on SQLite, then on PostgreSQL (the conftest's ``database``)."""
    return make_app()


def test_one_new_wallet_signing_in_20_times_at_once_gets_no_500(any_db_app):
    from quests.orm import Player

    account = Account.create()
    clients = [any_db_app.test_client() for _ in range(20)]
    bodies = [signed(c, account)[0] for c in clients]
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def go(client, body):  # type: ignore[no-untyped-def]
        start.wait()
        statuses.append(client.post("/api/auth/verify", json=body).status_code)

    threads = [threading.Thread(target=go, args=pair) for pair in zip(clients, bodies, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 19 + [201], statuses
    with any_db_app.extensions["legends.db"].sessions() as db:
        assert db.query(Player).filter_by(address=account.address).count() == 1
    for client in clients:
        assert client.get("/api/me").status_code == 200
