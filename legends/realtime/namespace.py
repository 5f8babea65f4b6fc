"""The Socket.IO namespace: who is connecting, which rooms they may hear, and catching a
reconnecting client up from the event log.

``auth`` (all optional): ``{"token": "..."}`` (from ``GET /api/realtime/token``; else the
session cookie decides), ``{"public": true}`` for an anonymous visitor who only wants
public events, ``{"offset": n, "epoch": "..."}`` to resume a player stream,
``{"public_offset": n, "public_epoch": "..."}`` to resume the public one.

After connecting the server sends, in order: the missed events (or ``resync``), then
``ready`` with each stream's epoch and last offset; live events follow. A live event may
arrive twice (once replayed, once live) or, across threads, out of order: the client keeps
the last offset per stream, drops what it has, holds what comes early, and asks
``catch_up`` when a gap does not close.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, Namespace, join_room

from legends.auth.session import current_address
from legends.db import get_db
from legends.realtime.snapshot import catch_up
from legends.realtime.store import PUBLIC, player_stream
from legends.realtime.tokens import TokenRefused, verify

log = logging.getLogger(__name__)
SIGN_IN = ("sign in first (session cookie or a token from /api/realtime/token) to receive "
           "player events; connect with auth {\"public\": true} for public events only")


def _now():  # type: ignore[no-untyped-def]
    return current_app.extensions["legends.clock"].now()


class LiveNamespace(Namespace):
    """One player room (``player:<address>``) per signed-in player, one public room."""

    def on_connect(self, auth: Any = None) -> None:
        auth = auth if isinstance(auth, dict) else {}
        address = self._who(auth)
        asked = auth.get("player")
        if asked is not None and (address is None or str(asked).lower() != address.lower()):
            raise ConnectionRefusedError("you may only follow your own player events")
        if address is None and auth.get("public") is not True:
            raise ConnectionRefusedError(SIGN_IN)
        streams = [PUBLIC] if address is None else [player_stream(address), PUBLIC]
        for stream in streams:  # rooms first: what commits from now on is sent live
            join_room(stream)
        resume = {player_stream(address): (auth.get("offset"), auth.get("epoch"))} if address else {}
        resume[PUBLIC] = (auth.get("public_offset"), auth.get("public_epoch"))
        sid = request.sid  # type: ignore[attr-defined]
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        # The replay is sent once the connection is acknowledged (not from inside this
        # handler, whose emits would precede the client's CONNECT and be dropped).
        self.socketio.start_background_task(self._replay, app, sid, streams, resume)

    def _who(self, auth: dict[str, Any]) -> str | None:
        if "token" in auth:
            try:
                return verify(current_app.config["SECRET_KEY"], auth["token"])
            except TokenRefused as exc:
                raise ConnectionRefusedError(str(exc)) from None
        return current_address()  # the cookie's session, if it has not ended

    def _replay(self, app: Any, sid: str, streams: list[str],
                resume: dict[str, tuple[Any, Any]]) -> None:
        server = self.socketio.server
        deadline = time.monotonic() + 5
        while server.manager.is_pre_connected(sid, self.namespace) and time.monotonic() < deadline:
            time.sleep(0.002)
        if not server.manager.is_connected(sid, self.namespace):
            return
        limit = int(app.config["REALTIME_REPLAY_LIMIT"])
        ready: dict[str, Any] = {}
        with app.app_context():
            with get_db().sessions.begin() as db:
                answers = {s: catch_up(db, s, *resume.get(s, (None, None)), _now(), limit)
                           if resume.get(s, (None, None))[0] is not None else None for s in streams}
                fresh = {s: catch_up(db, s, 0, None, _now(), limit) for s in streams
                         if answers[s] is None}
        for stream in streams:
            answer = answers[stream]
            if answer is None:  # a first connection starts at the stream's head
                head = fresh[stream]["resync"]
                ready[stream] = {"epoch": head["epoch"], "offset": head["offset"]}
                continue
            if "resync" in answer:
                self._send(sid, "resync", {"stream": stream, "reason": answer["reason"], **answer["resync"]})
                ready[stream] = {"epoch": answer["resync"]["epoch"], "offset": answer["resync"]["offset"]}
                continue
            for item in answer["events"]:
                self._send(sid, item["type"], {**item, "stream": stream})
            ready[stream] = {"epoch": answer["epoch"], "offset": answer["offset"]}
        self._send(sid, "ready", {"streams": ready})

    def _send(self, sid: str, event: str, data: dict[str, Any]) -> None:
        # Straight to this process's socket: a replay need not travel through the queue.
        self.socketio.emit(event, data, to=sid, namespace=self.namespace, ignore_queue=True)

    def on_catch_up(self, data: Any = None) -> dict[str, Any]:
        """``{"stream": ..., "offset": n, "epoch": ...}`` -> the events after n (the ack)."""
        data = data if isinstance(data, dict) else {}
        stream = data.get("stream")
        if not isinstance(stream, str) or stream not in self._rooms():
            return {"error": "you may only catch up on your own streams", "field": "stream"}
        limit = int(current_app.config["REALTIME_REPLAY_LIMIT"])
        with get_db().sessions.begin() as db:
            answer = catch_up(db, stream, data.get("offset"), data.get("epoch"), _now(), limit)
        return {"stream": stream, **answer}

    def on_join(self, data: Any = None) -> dict[str, Any]:
        """Rooms are given, not chosen: asking for another player's room is refused."""
        room = data.get("room") if isinstance(data, dict) else data
        if isinstance(room, str) and room in self._rooms():
            return {"ok": True, "room": room}
        return {"ok": False, "error": "you may only follow your own player events", "field": "room"}

    def on_disconnect(self, reason: Any = None) -> None:
        log.debug("realtime: %s left (%s)", request.sid, reason)  # type: ignore[attr-defined]

    def _rooms(self) -> set[str]:
        sid = request.sid  # type: ignore[attr-defined]
        return {r for r in self.socketio.server.rooms(sid, namespace=self.namespace) if r != sid}

