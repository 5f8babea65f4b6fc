"""Serving the app with its sockets from one process: werkzeug's threaded server (one thread
per connection, simple-websocket), as ``legends up`` and ``legends serve`` run it.

The async mode is threading (docs/benchmarks.md, "Live updates"): it holds about 2,500
sockets per process on this 2-core machine (four threads per socket: werkzeug's, engine.io's
writer, simple-websocket's reader; it stops accepting near 10,000 threads), where gevent held
5,000 at 69 KB each. gevent needs the whole process monkey-patched (psycopg, redis, the
chain client and the in-process workers with it) and is not wired in yet; until it is,
more sockets mean more processes behind sticky sessions.

Werkzeug keeps reading a connection after its request: once a websocket closed, the bytes
left on it (the client's close frame) were parsed as a new HTTP request and logged as
"code 400, Bad request syntax". A websocket connection is never reused for HTTP, so the
handler below closes it when the socket's request ends.
"""

from __future__ import annotations

import resource
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class SocketAwareHandler(WSGIRequestHandler):
    """Closes a connection whose request was a websocket (no keep-alive after it)."""

    def run_wsgi(self) -> None:
        upgrade = self.headers.get("Upgrade", "").lower() == "websocket"
        try:
            super().run_wsgi()
        finally:
            if upgrade:
                self.close_connection = True

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        # A socket's long request ends when the client leaves; that is not an error to log.
        if self.headers.get("Upgrade", "").lower() == "websocket":
            return
        super().log_request(code, size)


def raise_open_files(wanted: int = 65536) -> int:
    """Every socket is a file: lift the soft limit towards the hard one; returns it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(wanted, hard) if hard != resource.RLIM_INFINITY else wanted
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def server_for(app: Flask, host: str, port: int) -> BaseWSGIServer:
    """The threaded server for ``app`` (its Socket.IO middleware included)."""
    raise_open_files()
    server = make_server(host, port, app, threaded=True, request_handler=SocketAwareHandler)
    server.daemon_threads = True
    # The listen backlog: a burst of clients reconnecting after a deploy must not be refused.
    server.socket.listen(4096)
    return server
