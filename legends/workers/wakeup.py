"""Waking the reward worker when grants are recorded, instead of letting it sleep a second.

Every transaction that records on-chain grants leaves a flag in its session
(:data:`nft.outbox.GRANTS_RECORDED`); after it commits, :class:`Wakeup` sets a
``threading.Event`` (a worker in this process hears it at once) and tells a worker in
another process: with ``REDIS_URL`` by a Redis message, else, on PostgreSQL, by ``NOTIFY``
on :data:`PG_CHANNEL` with the schema's name as payload (a worker hears only its own
schema's grants; it ``LISTEN``s on a connection of its own). The worker still looks every
``REWARD_IDLE_SECONDS`` on its own (retries, grants recorded by a process that could not
publish), so a lost wake-up only costs that delay.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from legends.realtime.emitter import BACKOFF, redis_options
from legends.realtime.pgnotify import Listener, libpq_url
from nft.outbox import GRANTS_RECORDED

log = logging.getLogger(__name__)
CHANNEL = "legends:rewards:wake"
PG_CHANNEL = "legends_rewards_wake"
EXTENSION = "legends.reward_wakeup"


class Wakeup:
    def __init__(self, redis_url: str | None = None, database_url: str | None = None) -> None:
        self.redis_url = redis_url
        # Without Redis, PostgreSQL's NOTIFY carries the wake-up between processes.
        self.pg_url = None if redis_url else libpq_url(database_url)
        self.event = threading.Event()
        self._client: Any = None
        self._listening = False
        self._subscribed = False  # the Redis subscription's
        self._pg_listener: Listener | None = None
        self._pg_conn: Any = None
        self._pg_lock = threading.Lock()
        self._pid = os.getpid()
        self.via = "redis" if redis_url else "postgresql" if self.pg_url else None

    def _redis(self) -> Any:
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(self.redis_url, **redis_options())
        return self._client

    def notify(self) -> None:
        self.event.set()
        if self.redis_url:
            try:
                self._redis().publish(CHANNEL, b"1")
            except Exception as exc:  # the worker's own idle look finds the grants anyway
                log.warning("could not wake the reward worker through Redis: %s", exc)
        elif self.pg_url:
            try:
                self._notify_pg()
            except Exception as exc:
                log.warning("could not wake the reward worker through PostgreSQL: %s", exc)

    def _notify_pg(self) -> None:
        """On a connection kept for it (autocommit: delivered at once); one retry on a new
        connection if the kept one died. A forked child never talks on its parent's
        connection (two processes on one socket hang both): it opens its own."""
        import psycopg

        if os.getpid() != self._pid:
            self._pid, self._pg_conn, self._pg_lock = os.getpid(), None, threading.Lock()
        with self._pg_lock:
            for attempt in (1, 2):
                if self._pg_conn is None or self._pg_conn.closed:
                    self._pg_conn = psycopg.connect(self.pg_url, autocommit=True, connect_timeout=5)
                try:
                    self._pg_conn.execute("SELECT pg_notify(%s, current_schema())", (PG_CHANNEL,))
                    return
                except psycopg.OperationalError:
                    self._pg_conn.close()
                    if attempt == 2:
                        raise

    def pause(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a wake-up; True when woken."""
        woken = self.event.wait(timeout)
        self.event.clear()
        return woken

    def listen(self) -> None:
        """Hear wake-ups from other processes (a daemon thread; needs REDIS_URL or PostgreSQL)."""
        if self.via is None or self._listening:
            return
        self._listening = True
        if self.redis_url:
            threading.Thread(target=self._listen, name="reward-wakeup", daemon=True).start()
        else:  # the schema is the whole payload: this schema's worker alone wakes
            self._pg_listener = Listener(self.pg_url, PG_CHANNEL, lambda _rest: self.event.set(),
                                         "reward-wakeup").start()

    @property
    def subscribed(self) -> bool:
        """Whether the wake-ups of other processes are heard now."""
        return self._pg_listener.subscribed if self._pg_listener is not None else self._subscribed

    def _listen(self) -> None:
        failures = 0
        while True:
            try:
                pubsub = self._redis().pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(CHANNEL)
                self._subscribed, failures = True, 0
                for message in pubsub.listen():
                    if message.get("type") == "message":
                        self.event.set()
            except Exception as exc:
                self._subscribed = False
                delay = BACKOFF[min(failures, len(BACKOFF) - 1)]
                failures += 1
                log.warning("reward wake-up subscription lost (%s); again in %.1fs", exc, delay)
                time.sleep(delay)


def init_app(app: Flask) -> Wakeup:
    wakeup = Wakeup(app.config.get("REDIS_URL") or None, app.extensions["legends.db"].url)
    app.extensions[EXTENSION] = wakeup

    def after_commit(session: Session) -> None:
        if session.info.pop(GRANTS_RECORDED, False):
            wakeup.notify()

    def after_rollback(session: Session) -> None:
        session.info.pop(GRANTS_RECORDED, None)

    sessions = app.extensions["legends.db"].sessions
    event.listen(sessions, "after_commit", after_commit)
    event.listen(sessions, "after_soft_rollback", lambda s, _t: after_rollback(s))
    return wakeup


def get_wakeup(app: Flask) -> Wakeup:
    return app.extensions[EXTENSION]
