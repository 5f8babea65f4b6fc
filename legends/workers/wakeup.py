"""Waking the reward worker when grants are recorded, instead of letting it sleep a second.

Every transaction that records on-chain grants leaves a flag in its session
(:data:`nft.outbox.GRANTS_RECORDED`); after it commits, :class:`Wakeup` sets a
``threading.Event`` (a worker in this process hears it at once) and, with ``REDIS_URL``,
publishes on a Redis channel that a worker in another process subscribes to. The worker
still looks every ``REWARD_IDLE_SECONDS`` on its own (retries, grants recorded by a process
that could not publish), so a lost wake-up only costs that delay.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from legends.realtime.emitter import BACKOFF, redis_options
from nft.outbox import GRANTS_RECORDED

log = logging.getLogger(__name__)
CHANNEL = "legends:rewards:wake"
EXTENSION = "legends.reward_wakeup"


class Wakeup:
    def __init__(self, redis_url: str | None = None) -> None:
        self.redis_url = redis_url
        self.event = threading.Event()
        self._client: Any = None
        self._listening = False
        self.subscribed = False

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

    def pause(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a wake-up; True when woken."""
        woken = self.event.wait(timeout)
        self.event.clear()
        return woken

    def listen(self) -> None:
        """Hear wake-ups from other processes (a daemon thread; needs REDIS_URL)."""
        if not self.redis_url or self._listening:
            return
        self._listening = True
        threading.Thread(target=self._listen, name="reward-wakeup", daemon=True).start()

    def _listen(self) -> None:
        failures = 0
        while True:
            try:
                pubsub = self._redis().pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(CHANNEL)
                self.subscribed, failures = True, 0
                for message in pubsub.listen():
                    if message.get("type") == "message":
                        self.event.set()
            except Exception as exc:
                self.subscribed = False
                delay = BACKOFF[min(failures, len(BACKOFF) - 1)]
                failures += 1
                log.warning("reward wake-up subscription lost (%s); again in %.1fs", exc, delay)
                time.sleep(delay)


def init_app(app: Flask) -> Wakeup:
    wakeup = Wakeup(app.config.get("REDIS_URL") or None)
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
