"""Input that used to answer 500: huge agent ids, text no encoding can store (lone
surrogates), NUL (refused by PostgreSQL). Each is a 4xx naming the field, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json

import pytest
from rewards_api_support import sign_in
from test_sign_in import signed


@pytest.fixture
def any_db_app(make_app):
    """The app on SQLite, then on PostgreSQL (the conftest's ``database``)."""
    return make_app()


@pytest.fixture
def player(any_db_app):
    client = any_db_app.test_client()
    sign_in(client)
    return client


def refused(response, field: str) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.get_data(as_text=True))
    assert response.get_json()["field"] == field, response.get_json()


@pytest.mark.parametrize("agent_id", [2**256, 10**100, 2**64])
def test_an_agent_id_beyond_uint64_names_the_agent_id(player, agent_id):
    refused(player.post(f"/api/agents/{agent_id}/invoke", json={"input": "why"}), "agent_id")


@pytest.mark.parametrize("raw", ['{"input": "why \\udfff"}', '{"input": "why \\ud800\\udc00\\ud800"}',
                                 '{"input": "ab\\u0000cd"}'])
def test_invoke_text_that_cannot_be_stored_names_the_input(player, raw):
    refused(player.post("/api/agents/1/invoke", data=raw, content_type="application/json"), "input")


@pytest.mark.parametrize("code", ["ab\\ud800", "ab\\u0000cd"])
def test_a_referral_code_that_cannot_be_stored_names_the_referral_code(any_db_app, code):
    client = any_db_app.test_client()
    body, _ = signed(client)
    head = json.dumps({"message": body["message"], "signature": body["signature"]})[:-1]
    raw = f'{head}, "referral_code": "{code}"}}'
    response = client.post("/api/auth/verify", data=raw, content_type="application/json")
    refused(response, "referral_code")


def test_a_nul_in_a_quest_answer_names_the_answer(player):
    response = player.post("/api/quests/gate.riddle/answer", data='{"answer": "a\\u0000"}',
                           content_type="application/json")
    refused(response, "answer")


def test_a_nul_in_a_path_names_the_path_part(player):
    refused(player.get("/api/quests/gate%00x"), "quest_id")


def test_a_valid_surrogate_pair_is_ordinary_text(player):
    """An emoji written as an escaped pair is fine: it decodes to one character."""
    response = player.post("/api/agents/1/invoke", data='{"input": "\\ud83d\\ude00"}',
                           content_type="application/json")
    assert response.get_json().get("field") != "input"
