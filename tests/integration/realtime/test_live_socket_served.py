"""A real python-socketio client over a real websocket against the served app."""

from __future__ import annotations

import logging

import pytest
import socketio
from live_support import Listener, LiveGame, session_cookie

from legends.realtime.store import player_stream


def test_a_signed_in_player_hears_live_quest_events_over_a_websocket(served):
    live = LiveGame(served.app)
    alice = live.player("alice")
    # websocket-client sends the page's own origin (http://localhost:port) by itself
    listener = Listener(served.url, headers={"Cookie": session_cookie(served.app, alice.address)})
    try:
        assert listener.client.transport() == "websocket"
        ready = listener.wait_for("ready")[0]["streams"]
        assert set(ready) == {player_stream(alice.address), "public"}
        live.accept(alice, "gate.faucet")
        tx = live.complete(alice, "gate.faucet")
        completed = listener.wait_for("quest.completed")[0]
        assert completed["payload"]["tx_hash"] == tx and completed["type"] == "quest.completed"
    finally:
        listener.close()


def test_a_token_opens_the_socket_over_long_polling_upgraded_to_websocket(served):
    live = LiveGame(served.app)
    alice = live.player("alice")
    from live_support import signed_in

    token = signed_in(served.app, alice.address).get("/api/realtime/token").get_json()["token"]
    listener = Listener(served.url, auth={"token": token}, transports=["polling", "websocket"])
    try:
        assert player_stream(alice.address) in listener.wait_for("ready")[0]["streams"]
    finally:
        listener.close()


def test_an_anonymous_connection_is_refused_with_a_reason(served):
    client, reasons = socketio.Client(reconnection=False), []
    client.on("connect_error", reasons.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(served.url, transports=["websocket"], wait_timeout=5)
    assert "sign in first" in reasons[0]["message"]


def test_a_cross_origin_handshake_is_refused(served):
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(served.url, headers={"Origin": "http://evil.example"}, auth={"public": True})
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(served.url, headers={"Origin": "http://evil.example"}, auth={"public": True},
                 transports=["polling"])
    Listener(served.url, headers={"Origin": served.url}, auth={"public": True},
             transports=["polling"]).close()


def test_a_disconnect_leaves_no_bad_request_noise_in_the_log(served, caplog):
    caplog.set_level(logging.INFO)
    for _ in range(3):
        listener = Listener(served.url, auth={"public": True})
        listener.wait_for("ready")
        listener.close()
    import time

    time.sleep(0.3)
    assert "Bad request" not in caplog.text
