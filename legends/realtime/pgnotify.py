"""Live events across processes without Redis, on PostgreSQL: ``NOTIFY``/``LISTEN``.

A worker process (indexer, reward worker, caretaker, ``legends realtime announce``) that
has no ``REDIS_URL`` but a PostgreSQL database sends each committed event as ``NOTIFY
legends_realtime`` with the schema's name first in the payload; every web process
``LISTEN``s on a connection of its own and emits the events of its own schema to its rooms.
A payload over PostgreSQL's limit (8,000 bytes) carries only the stream and offset, and the
listener reads the event from the log. Redis, when configured, is used instead.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from legends.realtime.store import Envelope

log = logging.getLogger(__name__)
CHANNEL = "legends_realtime"
LIMIT = 7000  # bytes of JSON sent whole; PostgreSQL refuses payloads of 8,000 or more
BACKOFF = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


def libpq_url(database_url: str | None) -> str | None:
    """The psycopg connection string of a PostgreSQL SQLAlchemy URL; None for other databases."""
    scheme, _, rest = (database_url or "").partition("://")
    if scheme.split("+")[0] != "postgresql" or not rest:
        return None
    return f"postgresql://{rest}"


class Notifier:
    """``pg_notify(channel, current_schema() || ' ' || payload)`` on a kept autocommit
    connection (one retry on a new one if it died)."""

    def __init__(self, pg_url: str) -> None:
        self.pg_url = pg_url
        self._conn: Any = None
        self._lock = threading.Lock()

    def notify(self, channel: str, payload: str = "") -> None:
        import psycopg

        with self._lock:
            for attempt in (1, 2):
                if self._conn is None or self._conn.closed:
                    self._conn = psycopg.connect(self.pg_url, autocommit=True, connect_timeout=5)
                try:
                    self._conn.execute("SELECT pg_notify(%s, current_schema() || ' ' || %s)",
                                       (channel, payload))
                    return
                except psycopg.OperationalError:
                    self._conn.close()
                    if attempt == 2:
                        raise


def event_payload(event: str, data: dict[str, Any], room: str) -> str:
    whole = json.dumps({"event": event, "room": room, "data": data}, separators=(",", ":"))
    if len(whole.encode()) <= LIMIT:
        return whole
    return json.dumps({"event": event, "room": room, "offset": data.get("offset")})


class Listener:
    """``LISTEN channel`` in a daemon thread (a greenlet under gevent); calls ``heard(text)``
    with the payload of every notification of this connection's schema."""

    def __init__(self, pg_url: str, channel: str, heard: Any, name: str) -> None:
        self.pg_url, self.channel, self.heard, self.name = pg_url, channel, heard, name
        self.subscribed = False
        self.reconnects = 0
        self.last_error: str | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Listener:
        if self._thread is None:
            self._thread = threading.Thread(target=self._listen, name=self.name, daemon=True)
            self._thread.start()
        return self

    def _listen(self) -> None:
        import psycopg

        failures = 0
        while True:
            try:
                with psycopg.connect(self.pg_url, autocommit=True, connect_timeout=5) as conn:
                    schema = conn.execute("SELECT current_schema()").fetchone()[0]  # type: ignore[index]
                    conn.execute(f"LISTEN {self.channel}")
                    self.subscribed, failures = True, 0
                    while True:  # a timeout now and then: a dead connection is noticed
                        for note in conn.notifies(timeout=30.0):
                            owner, _, text = note.payload.partition(" ")
                            if owner == schema:
                                self._hear(text)
                        conn.execute("SELECT 1")
            except Exception as exc:
                self.subscribed, self.last_error = False, type(exc).__name__
                delay = BACKOFF[min(failures, len(BACKOFF) - 1)]
                failures += 1
                self.reconnects += 1
                log.warning("%s: LISTEN %s lost (%s); again in %.1fs", self.name, self.channel, exc, delay)
                time.sleep(delay)

    def _hear(self, text: str) -> None:
        try:
            self.heard(text)
        except Exception:  # one bad notification must not end the subscription
            log.exception("%s: could not handle a notification", self.name)

    def status(self) -> dict[str, Any]:
        return {"subscribed": self.subscribed, "reconnects": self.reconnects, "last_error": self.last_error}


def deliver(app: Any, text: str) -> None:
    """A web process: emit a notified event to its room (read from the log if it came by
    stream and offset only)."""
    from legends.extensions import socketio
    from legends.realtime.emitter import NAMESPACE

    note = json.loads(text)
    data = note.get("data")
    if data is None:
        envelope = read_event(app, note["room"], int(note["offset"]))
        if envelope is None:  # purged already: a reconnect resyncs
            return
        data = envelope.wire()
    socketio.emit(note["event"], data, to=note["room"], namespace=NAMESPACE)


def read_event(app: Any, stream: str, offset: int) -> Envelope | None:
    from legends.realtime.store import event_at

    with app.extensions["legends.db"].sessions() as session:
        return event_at(session, stream, offset)
