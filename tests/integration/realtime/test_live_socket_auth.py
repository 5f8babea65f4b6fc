"""Who may hear what: the session cookie or a short-lived token opens a player's own room;
anonymous visitors hear public events only; nobody hears another player's room."""

from __future__ import annotations

import time

from live_support import received_until, signed_in, socket_for

from legends.db import get_db
from legends.extensions import socketio
from legends.realtime import events
from legends.realtime.tokens import issue


def test_an_anonymous_visitor_is_refused_player_events(live_app):
    client = socket_for(live_app)
    assert not client.is_connected()


def test_an_anonymous_visitor_may_listen_to_announcements_only(live, live_app):
    alice = live.player("alice")
    visitor = socket_for(live_app, auth={"public": True})
    assert visitor.is_connected()
    received_until(visitor)
    live.accept(alice, "gate.faucet")
    live.complete(alice, "gate.faucet")
    with live_app.extensions["legends.db"].sessions.begin() as db:
        events.announce(db, "The caravan arrives at dawn")
    got = received_until(visitor, "announcement")
    names = [m["name"] for m in got]
    assert "quest.completed" not in names and "quest.progress" not in names
    message = next(m for m in got if m["name"] == "announcement")["args"][0]
    assert message["payload"] == {"message": "The caravan arrives at dawn"}
    assert {"type", "offset", "epoch", "at", "payload"} <= set(message)


def test_a_signed_in_player_hears_their_own_completion_with_its_evidence_tx(live, live_app):
    alice = live.player("alice")
    client = socket_for(live_app, alice.address)
    assert client.is_connected()
    received_until(client)
    live.accept(alice, "gate.faucet")
    tx = live.complete(alice, "gate.faucet")
    got = received_until(client, "quest.completed")
    progress = next(m for m in got if m["name"] == "quest.progress")["args"][0]
    completed = next(m for m in got if m["name"] == "quest.completed")["args"][0]
    assert progress["payload"]["quest_id"] == "gate.faucet"
    assert completed["type"] == "quest.completed" and completed["payload"]["tx_hash"] == tx
    assert completed["offset"] > progress["offset"] and completed["epoch"] == progress["epoch"]


def test_a_player_does_not_hear_another_players_events(live, live_app):
    alice, bob = live.player("alice"), live.player("bob")
    client = socket_for(live_app, bob.address)
    received_until(client)
    live.accept(alice, "gate.faucet")
    live.complete(alice, "gate.faucet")
    time.sleep(0.2)
    assert not [m for m in client.get_received() if m["name"].startswith("quest.")]


def test_asking_for_another_players_room_is_refused(live, live_app):
    alice, bob = live.player("alice"), live.player("bob")
    refused = socket_for(live_app, bob.address, auth={"player": alice.address})
    assert not refused.is_connected()
    client = socket_for(live_app, bob.address)
    answer = client.emit("join", {"room": f"player:{alice.address.lower()}"}, callback=True)
    assert answer["ok"] is False and answer["field"] == "room"
    answer = client.emit("catch_up", {"stream": f"player:{alice.address.lower()}", "offset": 0},
                         callback=True)
    assert answer["field"] == "stream"


def test_a_token_from_the_api_opens_the_socket_without_the_cookie(live, live_app):
    alice = live.player("alice")
    assert live_app.test_client().get("/api/realtime/token").status_code == 401
    body = signed_in(live_app, alice.address).get("/api/realtime/token").get_json()
    assert body["expires_in"] == 60 and body["player"] == alice.address
    client = socketio.test_client(live_app, auth={"token": body["token"]})
    assert client.is_connected()
    ready = received_until(client)[-1]["args"][0]
    assert f"player:{alice.address.lower()}" in ready["streams"]


def test_an_expired_or_forged_token_is_refused(live, live_app):
    alice = live.player("alice")
    secret = live_app.config["SECRET_KEY"]
    expired = issue(secret, alice.address, ttl=60, now=time.time() - 120)
    assert not socketio.test_client(live_app, auth={"token": expired}).is_connected()
    forged = issue("another-secret", alice.address, ttl=60)
    assert not socketio.test_client(live_app, auth={"token": forged}).is_connected()


def test_faucet_claims_and_crafts_reach_the_player(live, live_app):
    from types import SimpleNamespace

    from legends.realtime import happenings

    alice = live.player("alice")
    client = socket_for(live_app, alice.address)
    received_until(client)
    log = SimpleNamespace(event="GuardianCrafted", tx_hash="0x" + "ab" * 32, block_number=9,
                          args={"player": alice.address, "guardianId": 101, "shardId": 1,
                                "shardsBurned": 3})
    with live_app.app_context(), get_db().sessions.begin() as db:
        assert happenings.crafted(db, [log]) == 1
    craft = received_until(client, "craft.done")[-1]["args"][0]
    assert craft["payload"]["kind"] == "guardian" and craft["payload"]["token_id"] == 101
