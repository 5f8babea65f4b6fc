"""New blocks as the node announces them, over its websocket (``eth_subscribe``).

Besides :mod:`chain.rpc` (HTTP) and :mod:`chain.devnet`, the one module that names a JSON-RPC
method: the subscription lives on a websocket of its own, not on the HTTP session.
"""

from __future__ import annotations

import threading
import time
from typing import Any
from urllib.parse import urlparse

from chain.errors import RpcError


class HeadWatch:
    """New blocks as the node announces them: ``eth_subscribe("newHeads")`` over its
    websocket (anvil serves one on its HTTP port). :meth:`wait` returns as soon as a block
    arrives, so a follower need not poll fast; without a websocket (an HTTP-only node) it
    just times out and the follower keeps its own pace. Reconnects with a capped back-off."""

    BACKOFF = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)

    def __init__(self, url: str) -> None:
        parts = urlparse(url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.ws_url = parts._replace(scheme=scheme, path=parts.path or "/").geturl()
        self.event = threading.Event()
        self.subscribed = False
        self.heads = 0
        self._thread: threading.Thread | None = None
        self._closed = False
        self._ws: Any = None

    def start(self) -> HeadWatch:
        if self._thread is None:
            self._thread = threading.Thread(target=self._follow, name="chain-heads", daemon=True)
            self._thread.start()
        return self

    def wait(self, timeout: float) -> bool:
        """Up to ``timeout`` seconds for a new block (True when one came)."""
        woke = self.event.wait(timeout)
        self.event.clear()
        return woke

    def close(self) -> None:
        self._closed = True
        if self._ws is not None:
            try:
                self._ws.close()
            except Exception:
                pass

    def _follow(self) -> None:
        import json

        import simple_websocket

        failures = 0
        while not self._closed:
            ws = None
            try:
                ws = self._ws = simple_websocket.Client.connect(self.ws_url)
                ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_subscribe",
                                    "params": ["newHeads"]}))
                while not self._closed:
                    message = ws.receive(timeout=60)
                    if message is None:
                        continue
                    body = json.loads(message)
                    if body.get("id") == 1:
                        if "error" in body:
                            raise RpcError("eth_subscribe", -1, str(body["error"]))
                        self.subscribed, failures = True, 0
                    elif body.get("method") == "eth_subscription":
                        self.heads += 1
                        self.event.set()
            except Exception:
                self.subscribed = False
                time.sleep(self.BACKOFF[min(failures, len(self.BACKOFF) - 1)])
                failures += 1
            finally:
                if ws is not None:
                    try:
                        ws.close()
                    except Exception:
                        pass
