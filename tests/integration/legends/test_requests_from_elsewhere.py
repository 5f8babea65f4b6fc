"""Requests from elsewhere, as another site's page would send them with the player's cookie:
a foreign or sibling origin, a form body, text/plain, no custom header. All refused; the
browser client's own requests (same origin, ``X-Requested-With: legends``, JSON) pass."""

from __future__ import annotations

import pytest
from quest_game import Game
from rewards_api_support import sign_in

from legends.wiring.catalog import load_quests

EVIL = "http://evil.example"


@pytest.fixture
def game(make_app):
    app = make_app(ALLOWED_ORIGINS="https://play.legends.example")
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    return Game(app)


@pytest.fixture
def player(game):
    client = game.app.test_client()
    sign_in(client)
    return client


def forged(**headers: str) -> dict[str, str]:
    """Headers of a request without the one only our own scripts send (blanked)."""
    return {"X-Requested-With": "", **headers}


def refused(response, status: int, field: str) -> None:
    assert response.status_code == status, (response.status_code, response.get_json())
    assert response.get_json()["field"] == field, response.get_json()


def test_checkin_from_another_origin_is_refused(player):
    refused(player.post("/api/checkin", headers={"Origin": EVIL}), 403, "origin")
    refused(player.post("/api/checkin", headers=forged(Origin=EVIL)), 403, "origin")


@pytest.mark.parametrize("origin", ["http://127.0.0.1:5001", "http://sub.127.0.0.1:5000",
                                    "https://127.0.0.1:5000", "null"])
def test_same_site_but_other_origins_are_refused(player, origin):
    refused(player.post("/api/checkin", headers={"Origin": origin}), 403, "origin")


def test_a_foreign_referer_without_origin_is_refused(player):
    refused(player.post("/api/checkin", headers={"Referer": f"{EVIL}/page"}), 403, "origin")


def test_a_form_posted_to_accept_is_refused(player):
    form = {"quest": "gate.sahara-id"}
    refused(player.post("/api/quests/gate.sahara-id/accept", data=form, headers=forged(Origin=EVIL)),
            403, "origin")
    refused(player.post("/api/quests/gate.sahara-id/accept", data=form,
                        headers={"Origin": "http://127.0.0.1:5000"}), 415, "body")
    refused(player.post("/api/quests/gate.sahara-id/accept", data=form, headers=forged()),
            403, "X-Requested-With")


def test_a_text_plain_faucet_claim_is_refused(player):
    refused(player.post("/api/faucet", data="{}", content_type="text/plain",
                        headers=forged(Origin=EVIL)), 403, "origin")
    refused(player.post("/api/faucet", data="{}", content_type="text/plain"), 415, "body")


def test_the_cookie_without_the_header_changes_nothing(player):
    refused(player.post("/api/checkin", headers=forged()), 403, "X-Requested-With")
    refused(player.post("/api/checkin", headers={"X-Requested-With": "XMLHttpRequest"}),
            403, "X-Requested-With")


def test_the_browser_clients_own_requests_pass(player):
    ours = {"Origin": "http://127.0.0.1:5000"}
    assert player.post("/api/checkin", headers=ours).status_code == 201
    assert player.post("/api/checkin", headers={"Origin": "https://play.legends.example"}
                       ).status_code == 200
    assert player.post("/api/checkin", headers={"Referer": "http://127.0.0.1:5000/map"}
                       ).status_code == 200


def test_a_session_csrf_token_stands_in_for_the_header(game, player):
    from legends.auth.forgery import TOKEN_KEY

    with player.session_transaction() as cookie:
        cookie[TOKEN_KEY] = "the-session-token"
    token = forged(**{"X-CSRF-Token": "the-session-token"})
    assert player.post("/api/checkin", headers=token).status_code == 201
    guess = forged(**{"X-CSRF-Token": "a-guess"})
    refused(player.post("/api/checkin", headers=guess), 403, "X-Requested-With")


def test_a_visitor_without_a_cookie_needs_no_header(game):
    refused(game.app.test_client().post("/api/checkin", headers=forged()), 401, "session")


def test_every_change_documents_its_403_and_415(game):
    doc = game.app.test_client().get("/api/openapi.json").get_json()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in ("post", "put", "patch", "delete"):
                assert {"403", "415"} <= set(op["responses"]), (method, path)
