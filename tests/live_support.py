"""Helpers for the live socket tests: a game with the live sink, players signed in through
the session cookie, the test client's received events, and a real threaded server."""

from __future__ import annotations

import threading
import time
from typing import Any

from netutil import free_port
from quest_game import Game, sign_in_cookie

from legends.extensions import socketio
from legends.realtime.serving import server_for
from legends.realtime.sink import LiveSink


class LiveGame(Game):
    """``quest_game.Game`` with the app's real live sink (events for every step)."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.sink = LiveSink()
        app.extensions["legends.completion_sink"] = self.sink

    def complete(self, player: Any, quest_id: str) -> str:
        """Complete an accepted event quest with its log; returns the log's tx hash."""
        contract, event, args = LOGS[quest_id]
        log = self.log(contract, event, **{k: (player.address if v == "$player" else v)
                                          for k, v in args.items()})
        done = self.feed(log)
        assert quest_id in [c.quest_id for c in done]
        return log.tx_hash


TOKEN = 10**18
LOGS = {
    "gate.faucet": ("SaharaToken", "FaucetClaimed", {"account": "$player", "amount": 100 * TOKEN,
                                                      "nextClaimAt": 0}),
    "gate.sahara-id": ("SaharaID", "IdentityMinted", {"owner": "$player", "tokenId": 7,
                                                       "profileURI": ""}),
    "citadel.stake": ("Staking", "Staked", {"account": "$player", "amount": 100 * TOKEN}),
}


def signed_in(app: Any, address: str):  # type: ignore[no-untyped-def]
    return sign_in_cookie(app, app.test_client(), address)


def socket_for(app: Any, address: str | None = None, **kwargs: Any):  # type: ignore[no-untyped-def]
    http = signed_in(app, address) if address else app.test_client()
    return socketio.test_client(app, flask_test_client=http, **kwargs)


def received_until(client: Any, name: str = "ready", timeout: float = 5.0) -> list[dict[str, Any]]:
    """Everything the test client received until (and including) an event called ``name``."""
    got: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got += client.get_received()
        if any(m["name"] == name for m in got):
            return got
        time.sleep(0.01)
    raise AssertionError(f"no {name!r} within {timeout}s; got {[m['name'] for m in got]}")


class Served:
    """The app on a real threaded server (werkzeug, as ``legends up`` serves it)."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.app = app
        self.port = port or free_port()
        self.url = f"http://localhost:{self.port}"
        self.server = server_for(app, "127.0.0.1", self.port)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)




def session_cookie(app: Any, address: str) -> str:
    """A session cookie header value for ``address`` (as sign-in would leave it)."""
    client = signed_in(app, address)
    cookie = client.get_cookie("session")
    assert cookie is not None
    return f"session={cookie.value}"


class Listener:
    """A real python-socketio client that records every event it hears, in order."""

    def __init__(self, url: str, *, headers: dict[str, str] | None = None,
                 auth: dict[str, Any] | None = None, transports: list[str] | None = None) -> None:
        import socketio as sio

        self.heard: list[tuple[str, dict[str, Any]]] = []
        self.lock = threading.Lock()
        self.client = sio.Client(reconnection=False)
        self.client.on("*", self._hear)
        self.client.connect(url, headers=headers or {}, auth=auth, transports=transports or ["websocket"],
                            wait_timeout=5)

    def _hear(self, event: str, data: Any = None) -> None:
        with self.lock:
            self.heard.append((event, data))

    def wait_for(self, event: str, timeout: float = 5.0, count: int = 1) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [d for e, d in self.heard if e == event]
            if len(found) >= count:
                return found
            time.sleep(0.005)
        raise AssertionError(f"no {event!r} within {timeout}s; heard {[e for e, _ in self.heard]}")

    def close(self) -> None:
        self.client.disconnect()
