"""How events leave a process: through this process's Socket.IO server, or, in a worker
process of its own (indexer, reward worker, caretaker), through a write-only Redis
manager that every web process listens to. No app or server is needed to emit.

Known pitfalls of a long-lived Redis subscription are handled here: no read timeout on the
pub/sub connection (an idle channel is not an error), TCP keepalive (a dead peer behind a
NAT is noticed), reconnect with back-off, and a flag ``/healthz`` reads.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any

import socketio

from legends.realtime.store import Envelope

log = logging.getLogger(__name__)

CHANNEL = "legends-realtime"
NAMESPACE = "/"
BACKOFF = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


def redis_options() -> dict[str, Any]:
    keepalive: dict[int, int] = {}
    for name, value in (("TCP_KEEPIDLE", 30), ("TCP_KEEPINTVL", 10), ("TCP_KEEPCNT", 3)):
        if hasattr(socket, name):
            keepalive[getattr(socket, name)] = value
    return {"socket_timeout": None, "socket_connect_timeout": 5, "socket_keepalive": True,
            "socket_keepalive_options": keepalive, "health_check_interval": 30}


class WatchedRedisManager(socketio.RedisManager):
    """python-socketio's Redis manager that tells whether its subscription is alive and
    reconnects with a capped back-off."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        kwargs.setdefault("channel", CHANNEL)
        kwargs.setdefault("redis_options", redis_options())
        super().__init__(url, **kwargs)
        self.subscribed = False
        self.last_error: str | None = None
        self.reconnects = 0

    def _redis_listen_with_retries(self):  # type: ignore[no-untyped-def]
        failures = 0
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
                self.subscribed, failures = True, 0
                yield from self.pubsub.listen()
            except Exception as exc:
                self.subscribed, self.last_error = False, type(exc).__name__
                delay = BACKOFF[min(failures, len(BACKOFF) - 1)]
                failures += 1
                self.reconnects += 1
                log.warning("realtime: Redis subscription lost (%s); again in %.1fs", exc, delay)
                time.sleep(delay)

    def status(self) -> dict[str, Any]:
        thread = getattr(self, "thread", None)
        listening = thread is not None and (not hasattr(thread, "is_alive") or thread.is_alive())
        return {"subscribed": bool(self.subscribed and listening), "reconnects": self.reconnects,
                "last_error": self.last_error}


class Broadcaster:
    """Sends envelopes to their stream's room. ``mode`` is "server" (this process serves
    sockets, or nothing listens), "queue" (a worker process: write-only Redis) or "notify"
    (a worker process without Redis on PostgreSQL: ``NOTIFY``, legends.realtime.pgnotify)."""

    def __init__(self, redis_url: str | None = None, channel: str = CHANNEL,
                 pg_url: str | None = None) -> None:
        self.redis_url, self.channel = redis_url, channel
        self.pg_url = None if redis_url else pg_url
        self.mode = "server"
        self._writer: socketio.RedisManager | None = None
        self._notifier: Any = None
        self._lock = threading.Lock()
        self.sent = 0

    def through_queue(self) -> bool:
        """Emit to the web processes without a server (worker processes): through Redis, or
        PostgreSQL's NOTIFY without it; False on SQLite without Redis."""
        if self.redis_url:
            self.mode = "queue"
            return True
        if self.pg_url:
            from legends.realtime.pgnotify import Notifier

            self.mode, self._notifier = "notify", Notifier(self.pg_url)
            return True
        return False

    def writer(self) -> socketio.RedisManager:
        with self._lock:
            if self._writer is None:
                self._writer = socketio.RedisManager(self.redis_url, channel=self.channel, write_only=True,
                                                     redis_options=redis_options())
            return self._writer

    def send(self, envelope: Envelope) -> None:
        self.emit(envelope.type, envelope.wire(), envelope.stream)

    def emit(self, event: str, data: dict[str, Any], room: str) -> None:
        try:
            if self.mode == "queue":
                self.writer().emit(event, data, namespace=NAMESPACE, room=room)
            elif self.mode == "notify":
                from legends.realtime.pgnotify import CHANNEL as PG_CHANNEL
                from legends.realtime.pgnotify import event_payload

                self._notifier.notify(PG_CHANNEL, event_payload(event, data, room))
            else:
                from legends.extensions import socketio as server

                if server.server is None:
                    return
                server.emit(event, data, to=room, namespace=NAMESPACE)
            self.sent += 1
        except Exception:  # best effort: the event is in the log, a reconnect replays it
            log.exception("realtime: could not emit %s to %s", event, room)
