"""Many light Socket.IO clients in one asyncio loop (Engine.IO 4 over a bare websocket):
the bench needs thousands, which python-socketio's threaded client cannot hold cheaply.

Each client connects with an ``auth`` object, answers the server's pings, and records the
``perf_counter`` time of every event it receives (by event name and payload)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import websockets


class LiveClient:
    def __init__(self, url: str, auth: dict[str, Any], on_event: Callable[[str, Any, float], None]) -> None:
        self.url, self.auth, self.on_event = url, auth, on_event
        self.ready = asyncio.Event()
        self.failed: str | None = None
        self.ws: Any = None

    async def run(self, connect_timeout: float = 30.0) -> None:
        try:
            self.ws = await asyncio.wait_for(websockets.connect(
                self.url, max_size=None, open_timeout=connect_timeout, ping_interval=None,
                compression=None), connect_timeout)
            opened = await asyncio.wait_for(self.ws.recv(), connect_timeout)
            if not opened.startswith("0"):
                raise RuntimeError(f"unexpected open packet {opened[:40]!r}")
            await self.ws.send("40" + json.dumps(self.auth))
            async for message in self.ws:
                self._handle(message)
        except Exception as exc:  # the bench counts failures, it does not stop on them
            self.failed = f"{type(exc).__name__}: {exc}"[:200]
            self.ready.set()

    def _handle(self, message: str) -> None:
        if message == "2":
            asyncio.ensure_future(self.ws.send("3"))
        elif message.startswith("44"):
            self.failed = f"refused: {message[2:120]}"
            self.ready.set()
        elif message.startswith("42"):
            event, *args = json.loads(message[2:])
            self.on_event(event, args[0] if args else None, time.perf_counter())
            if event == "ready":
                self.ready.set()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


class Crowd:
    """Clients in an asyncio loop of their own thread; the bench calls it synchronously."""

    def __init__(self, url: str) -> None:
        self.url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.clients: list[LiveClient] = []
        self.tasks: list[Any] = []
        self.heard: list[tuple[int, str, Any, float]] = []  # (client index, event, data, time)
        self.lock = threading.Lock()

    def _call(self, coro: Any, timeout: float | None = None) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def add(self, auths: list[dict[str, Any]], *, concurrency: int = 200,
            timeout: float = 60.0) -> tuple[int, int, float]:
        """Connect one client per auth; returns (connected, failed, seconds)."""
        async def open_all() -> tuple[int, int]:
            gate = asyncio.Semaphore(concurrency)
            fresh: list[LiveClient] = []

            async def one(auth: dict[str, Any]) -> None:
                async with gate:
                    index = len(self.clients)
                    client = LiveClient(self.url, auth, lambda e, d, t, i=index: self._hear(i, e, d, t))
                    self.clients.append(client)
                    fresh.append(client)
                    self.tasks.append(asyncio.ensure_future(client.run()))
                    try:
                        await asyncio.wait_for(client.ready.wait(), timeout)
                    except TimeoutError:
                        client.failed = client.failed or "no ready in time"

            await asyncio.gather(*(one(a) for a in auths))
            failed = sum(1 for c in fresh if c.failed)
            return len(fresh) - failed, failed

        started = time.perf_counter()
        ok, failed = self._call(open_all())
        return ok, failed, time.perf_counter() - started

    def _hear(self, index: int, event: str, data: Any, at: float) -> None:
        if event == "ready":
            return
        with self.lock:
            self.heard.append((index, event, data, at))

    def failures(self) -> list[str]:
        return [c.failed for c in self.clients if c.failed]

    def close(self) -> None:
        async def close_all() -> None:
            await asyncio.gather(*(c.close() for c in self.clients), return_exceptions=True)
        try:
            self._call(close_all(), 60)
        except TimeoutError:  # a server that broke under the load may never answer the close
            pass
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
