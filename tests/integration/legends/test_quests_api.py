"""The quest API as a browser uses it: sign in, look at the world, take quests, answer,
check in, ask why, climb the leaderboard; and every bad input gets a 4xx naming the field."""

from __future__ import annotations

import re

import pytest
from quest_game import TOKEN, Game
from rewards_api_support import sign_in
from sqlalchemy import select

from chain.errors import ChainError
from legends.wiring.catalog import load_quests
from quests.orm import Player


@pytest.fixture
def game(make_app):
    app = make_app()
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    return Game(app)


@pytest.fixture
def client(game):
    return game.app.test_client()


def signed_in(game, client) -> Player:
    account = sign_in(client)
    with game.sessions() as session:
        return session.scalar(select(Player).where(Player.address == account.address))


def error(response, status: int, field: str | None) -> dict:
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["field"] == field and body["error"], body
    return body


def test_anonymous_visitors_find_the_gate_open_and_every_quest_locked(client):
    world = client.get("/api/world").get_json()
    assert [r["key"] for r in world["regions"]] == ["gate", "oasis", "forge", "bazaar", "citadel"]
    assert [r["key"] for r in world["regions"] if r["unlocked"]] == ["gate"] and world["player"] is None
    quests = [q for r in world["regions"] for q in r["quests"]]
    assert len(quests) == 36 and {q["status"] for q in quests} == {"locked"}


def test_a_new_player_finds_the_gate_open_and_the_oasis_sealed(game, client):
    signed_in(game, client)
    world = client.get("/api/world").get_json()
    gate, oasis = world["regions"][0], world["regions"][1]
    assert gate["unlocked"] and not oasis["unlocked"]
    assert oasis["missing"] == ["gate.faucet", "gate.sahara-id"]
    faucet = next(q for q in gate["quests"] if q["id"] == "gate.faucet")
    assert faucet["status"] == "available" and faucet["on_chain"] is True
    assert world["player"]["level"] == 1
    listed = client.get("/api/quests?region=oasis").get_json()["quests"]
    assert {q["status"] for q in listed} == {"locked"}
    assert "The Data Oasis is still sealed" in listed[0]["reason"]
    error(client.get("/api/quests?region=moon"), 400, "region")
    error(client.get("/api/quests/no.such-quest"), 404, "quest_id")


def test_accepting_the_faucet_quest_then_claiming_completes_it_without_a_refresh_button(game, client):
    me = signed_in(game, client)
    game.chain.head = 250
    taken = client.post("/api/quests/gate.faucet/accept")
    assert taken.status_code == 200, taken.get_json()
    assert taken.get_json()["quest"]["status"] == "in_progress"
    assert taken.get_json()["quest"]["accepted_block"] == 250
    game.feed(game.log("SaharaToken", "FaucetClaimed", block=251, account=me.address, amount=1,
                       nextClaimAt=0))
    detail = client.get("/api/quests/gate.faucet").get_json()
    assert detail["status"] == "completed" and detail["objectives"][0]["met"] is True
    why = client.get("/api/quests/gate.faucet/why").get_json()
    assert why["evidence_seen"][0]["block_number"] == 251 and why["evidence_seen"][0]["verdict"] == "counted"
    assert client.get("/api/me").get_json()["xp"] == 50
    error(client.post("/api/quests/gate.faucet/accept"), 409, "quest_id")


def test_taking_a_quest_needs_a_signed_in_player_an_open_quest_and_a_reachable_chain(game, client):
    error(client.post("/api/quests/gate.faucet/accept"), 401, "session")
    signed_in(game, client)
    locked = error(client.post("/api/quests/oasis.first-labels/accept"), 409, "quest_id")
    assert "still sealed" in locked["reason"]
    error(client.post("/api/quests/no.such-quest/accept"), 404, "quest_id")

    def unreachable():
        raise ChainError("connection refused")

    game.chain.head_block = unreachable
    error(client.post("/api/quests/gate.faucet/accept"), 503, None)


def test_the_waterskin_check_reads_my_balance_and_other_quests_have_nothing_to_check(game, client):
    me = signed_in(game, client)
    error(client.post("/api/quests/gate.faucet/check"), 404, "quest_id")
    game.finish(me, "gate.faucet")
    game.chain.values[("sahara_balance", None)] = 40 * TOKEN
    low = client.post("/api/quests/gate.full-waterskin/check").get_json()
    assert low["reasons"] == ["found a balance of 40 SAHARA in your wallet; this quest needs 100"]
    game.chain.values[("sahara_balance", None)] = 100 * TOKEN
    done = client.post("/api/quests/gate.full-waterskin/check").get_json()
    assert done["completed"] == ["gate.full-waterskin"] and done["quest"]["status"] == "completed"


def test_answers_are_judged_and_bad_answers_name_the_field(game, client):
    me = signed_in(game, client)
    game.finish(me, "gate.sahara-id")
    url = "/api/quests/gate.soulbound-riddle/answer"
    error(client.post(url, data="not json", content_type="application/json"), 400, "body")
    error(client.post(url, json=["it reverts"]), 400, "body")
    error(client.post(url, json={}), 400, "answer")
    error(client.post(url, json={"answer": 42}), 400, "answer")
    error(client.post(url, json={"answer": "   "}), 400, "answer")
    error(client.post(url, json={"answer": "x" * 201}), 400, "answer")
    error(client.post("/api/quests/gate.faucet/answer", json={"answer": "yes"}), 404, "quest_id")
    wrong = client.post(url, json={"answer": "it succeeds"}).get_json()
    assert wrong["correct"] is False and wrong["quest"]["status"] == "in_progress"
    game.travel(seconds=30)  # the riddle's first cooldown
    right = client.post(url, json={"answer": "It reverts"}).get_json()
    assert right["correct"] is True and right["quest"]["status"] == "completed"
    error(client.post(url, json={"answer": "It reverts"}), 409, "quest_id")


def test_brute_forcing_a_riddle_is_slow_and_a_right_answer_after_wrong_ones_still_completes(game, client):
    """The API serves the choices of The Sphinx's Riddle; trying them all at once must not work:
    every wrong answer silences the riddle for longer (30 s, 1 min, 2 min...), answered with
    429 and Retry-After, and the attempts are counted."""
    me = signed_in(game, client)
    game.finish(me, "gate.sahara-id")
    url = "/api/quests/gate.soulbound-riddle/answer"
    choices = client.get("/api/quests/gate.soulbound-riddle").get_json()["question"]["choices"]
    assert "it reverts" in choices
    wrong = [c for c in choices if c != "it reverts"]
    first = client.post(url, json={"answer": wrong[0]})
    assert first.status_code == 200 and first.get_json()["correct"] is False
    assert "30 s" in first.get_json()["reasons"][0]
    # The burst: every other choice, the right one included, is refused while the riddle is silent.
    burst = [client.post(url, json={"answer": c}) for c in [*wrong[1:], "it reverts"] * 20]
    assert {r.status_code for r in burst} == {429}
    body = error(burst[-1], 429, "answer")
    assert int(burst[-1].headers["Retry-After"]) == 30 and body["retry_after"] == 30
    assert body["attempts"] == 1  # refused answers were never judged
    cooldowns = []
    for choice in wrong[1:]:
        retry = int(client.post(url, json={"answer": choice}).headers.get("Retry-After", 0))
        game.travel(seconds=retry or 0)
        judged = client.post(url, json={"answer": choice})
        assert judged.status_code == 200 and judged.get_json()["correct"] is False
        cooldowns.append(int(client.post(url, json={"answer": "it reverts"}).headers["Retry-After"]))
    assert cooldowns == [60, 120]  # it grows: three wrong answers cost 3.5 minutes
    game.travel(seconds=119)
    assert client.post(url, json={"answer": "it reverts"}).status_code == 429
    game.travel(seconds=1)
    right = client.post(url, json={"answer": "it reverts"}).get_json()
    assert right["correct"] is True and right["quest"]["status"] == "completed"
    why = client.get("/api/quests/gate.soulbound-riddle/why").get_json()
    assert why["status"] == "completed" and why["evidence"][0]["attempt"] == 4


def test_checking_in_twice_a_day_counts_once(game, client):
    error(client.post("/api/checkin"), 401, "session")
    signed_in(game, client)
    first = client.post("/api/checkin")
    assert first.status_code == 201 and first.get_json()["completed"] == ["gate.daily-checkin"]
    second = client.post("/api/checkin")
    assert second.status_code == 200 and second.get_json()["already_checked_in"] is True
    assert second.get_json()["streak"] == 1


def test_the_leaderboard_shows_the_top_and_my_rank_and_refuses_bad_parameters(game, client):
    rival = game.player()
    game.accept(rival, "gate.faucet")
    game.feed(game.log("SaharaToken", "FaucetClaimed", account=rival.address, amount=1, nextClaimAt=0))
    signed_in(game, client)
    client.post("/api/checkin")
    board = client.get("/api/leaderboard?board=xp&period=week").get_json()
    assert board["week"] == "2026-W47"
    assert [(e["rank"], e["score"]) for e in board["entries"]] == [(1, 50), (2, 10)]
    assert board["me"]["rank"] == 2
    shards = client.get("/api/leaderboard?board=shards").get_json()
    assert [e["score"] for e in shards["entries"]] == [2, 1]
    error(client.get("/api/leaderboard?board=gold"), 400, "board")
    error(client.get("/api/leaderboard?period=year"), 400, "period")
    error(client.get("/api/leaderboard?limit=0"), 400, "limit")
    error(client.get("/api/leaderboard?limit=ten"), 400, "limit")


def test_my_referrals_list_who_i_invited_and_whether_they_count(game, client):
    error(client.get("/api/referrals"), 401, "session")
    me = signed_in(game, client)
    guest = game.player(referred_by=me)
    game.finish(guest, "gate.faucet")
    report = client.get("/api/referrals").get_json()
    assert report["referral_code"] == me.referral_code
    assert report["invitees"] == [{"address": guest.address, "joined_at": report["invitees"][0]["joined_at"],
                                   "activated": False, "missing": ["gate.sahara-id"]}]


def test_why_needs_a_signed_in_player_and_a_known_quest(game, client):
    error(client.get("/api/quests/gate.faucet/why"), 401, "session")
    signed_in(game, client)
    error(client.get("/api/quests/no.such-quest/why"), 404, "quest_id")
    game.chain.lag = 3
    why = client.get("/api/quests/gate.faucet/why").get_json()
    assert why["indexer"]["lag_blocks"] == 3 and why["status"] == "available"


def test_the_openapi_document_describes_every_api_route(game, client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    for rule in game.app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        assert path in doc["paths"], f"{path} is not in the generated document"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in doc["paths"][path], f"{method} {path} is not in the generated document"


def test_referrals_and_the_leaderboard_come_in_pages_with_validated_parameters(game, client):
    host = signed_in(game, client)
    guests = [game.player(referred_by=host) for _ in range(5)]
    first = client.get("/api/referrals?limit=2").get_json()
    assert first["invited"] == 5 and len(first["invitees"]) == 2 and first["next"]
    seen = [i["address"] for i in first["invitees"]]
    after = first["next"]
    while after:
        page = client.get(f"/api/referrals?limit=2&after={after}").get_json()
        seen += [i["address"] for i in page["invitees"]]
        after = page["next"]
    assert seen == [g.address for g in guests]
    for bad in ("limit=0", "limit=201", "limit=x", "after=-1"):
        field = bad.split("=")[0]
        error(client.get(f"/api/referrals?{bad}"), 400, field)
        error(client.get(f"/api/leaderboard?{bad.replace('201', '101')}"), 400, field)
    for guest in guests:  # the faucet is open from the start: no accept needed
        game.feed(game.log("SaharaToken", "FaucetClaimed", block=102, account=guest.address,
                           amount=1, nextClaimAt=0))
    top = client.get("/api/leaderboard?limit=3").get_json()
    rest = client.get(f"/api/leaderboard?limit=3&after={top['next']}").get_json()
    ranks = [e["rank"] for e in top["entries"] + rest["entries"]]
    assert len(ranks) == 5 and ranks == [1, 1, 1, 1, 1] and rest["next"] is None
