"""Live updates over Socket.IO: the namespace, the event log with offsets and epochs, and
the ways events leave a process (see docs/realtime.md)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import Flask, current_app

from legends.realtime import events, store
from legends.realtime.emitter import NAMESPACE, Broadcaster, WatchedRedisManager

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

EXTENSION = "legends.realtime"


def origins(config: Any) -> list[str]:
    """The origins allowed to open a socket: REALTIME_ORIGINS, else PUBLIC_URL's (never *)."""
    raw = config.REALTIME_ORIGINS or ""
    listed = [o.strip().rstrip("/") for o in raw.split(",") if o.strip()]
    if not listed:
        parts = urlsplit(config.PUBLIC_URL)
        listed = [f"{parts.scheme}://{parts.netloc}"]
    if "*" in listed:
        from legends.config import ConfigurationError

        raise ConfigurationError("REALTIME_ORIGINS", "list the allowed origins; '*' is refused")
    return listed


class Realtime:
    """This app's realtime parts: the broadcaster, and the Redis manager if any."""

    def __init__(self, broadcaster: Broadcaster, manager: WatchedRedisManager | None) -> None:
        self.broadcaster, self.manager = broadcaster, manager
        self.notified: Any = None  # the LISTEN of a web process without Redis, on PostgreSQL

    def status(self) -> dict[str, Any]:
        from legends.extensions import socketio

        served = {"mode": self.broadcaster.mode, "async_mode": socketio.async_mode}
        if self.manager is None and self.notified is not None:
            return {"ok": self.broadcaster.mode != "server" or self.notified.subscribed,
                    "queue": "postgresql", **served, **self.notified.status()}
        if self.manager is None:
            return {"ok": True, "queue": "in-process", **served}
        report = {"queue": "redis", **served, **self.manager.status()}
        # A process that only emits (write-only) has no subscription to keep alive.
        report["ok"] = self.broadcaster.mode == "queue" or report["subscribed"] or not self.listening
        report["listening"] = self.listening
        return report

    @property
    def listening(self) -> bool:
        return getattr(self.manager, "thread", None) is not None


def async_mode() -> str:
    """gevent when this process was patched by it (``legends serve``, ``gunicorn -k gevent``),
    else threading with simple-websocket."""
    import sys

    monkey = sys.modules.get("gevent.monkey")
    return "gevent" if monkey is not None and monkey.is_module_patched("socket") else "threading"


def init_app(app: Flask, config: Any) -> Realtime:
    from legends.extensions import socketio
    from legends.realtime.namespace import LiveNamespace

    channel = config.REALTIME_CHANNEL
    manager = WatchedRedisManager(config.REDIS_URL, channel=channel) if config.REDIS_URL else None
    # client_manager is always given: the shared SocketIO object keeps options between apps.
    socketio.init_app(app, client_manager=manager, cors_allowed_origins=origins(config),
                      async_mode=async_mode())
    if not any(ns.namespace == NAMESPACE for ns in socketio.namespace_handlers):
        socketio.on_namespace(LiveNamespace(NAMESPACE))
    from legends.realtime.pgnotify import libpq_url

    pg_url = None if config.REDIS_URL else libpq_url(app.extensions["legends.db"].url)
    broadcaster = Broadcaster(config.REDIS_URL, channel, pg_url=pg_url)
    app.extensions["legends.db"].sessions.configure(info={events.BROADCASTER: broadcaster})
    events.install(broadcaster)
    realtime = Realtime(broadcaster, manager)
    app.extensions[EXTENSION] = realtime
    return realtime


def get_realtime(app: Flask | None = None) -> Realtime:
    return (app or current_app).extensions[EXTENSION]


def emit_through_queue(app: Flask) -> bool:
    """For a worker process of its own: send events through Redis (no server, no app
    needed), or without Redis through PostgreSQL's NOTIFY; on SQLite without Redis they stay
    in the log until a client reconnects."""
    return get_realtime(app).broadcaster.through_queue()


def listen(app: Flask) -> None:
    """Subscribe to the queue now (python-socketio would wait for the first client), so
    /healthz tells the truth from the start; without Redis on PostgreSQL, LISTEN for the
    worker processes' events."""
    realtime = get_realtime(app)
    pg_url = realtime.broadcaster.pg_url
    if realtime.manager is None and pg_url and realtime.notified is None:
        from functools import partial

        from legends.realtime.pgnotify import CHANNEL as PG_CHANNEL
        from legends.realtime.pgnotify import Listener, deliver

        realtime.notified = Listener(pg_url, PG_CHANNEL, partial(deliver, app), "realtime-listen").start()
    server = getattr(realtime.manager, "server", None)
    if server is not None and not server.manager_initialized:
        server.manager_initialized = True
        server.manager.initialize()


def purge_events(session: Session, now: datetime, retention_days: float | None = None) -> int:
    """Housekeeping (the scheduler calls this): drop events past REALTIME_RETENTION_DAYS."""
    if retention_days is None:
        retention_days = float(current_app.config["REALTIME_RETENTION_DAYS"])
    return store.purge_events(session, now, retention_days)
