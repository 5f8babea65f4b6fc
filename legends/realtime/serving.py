"""Serving the app with its sockets from one process, as ``legends up`` and ``legends serve``
run it: gevent's WSGI server (a greenlet per connection, simple-websocket on gevent's
primitives) in a process that ``legends.main`` patched before anything else was imported,
or werkzeug's threaded server (a thread per connection) when it was not.

By measurement (docs/benchmarks.md, "Live updates"): threading holds about 2,500 sockets per
process on this 2-core machine (four threads per socket; it stops accepting near 10,000
threads), gevent holds 5,000. gevent is the default with PostgreSQL (psycopg, redis and the
chain client's requests yield once the process is patched; the in-process workers and the
scheduler run as greenlets); SQLite keeps threading, as its busy wait would hold every
greenlet of the process.

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


def gevent_handler() -> type:
    """gevent's request handler that, like :class:`SocketAwareHandler`, ends a connection
    whose request was a websocket: gevent's keeps it alive too and read the client's close
    frame as a request ("Invalid HTTP method" on stderr at every disconnect)."""
    from gevent.pywsgi import WSGIHandler

    class SocketAwareGeventHandler(WSGIHandler):
        def handle_one_response(self) -> None:
            upgrade = self.environ.get("HTTP_UPGRADE", "").lower() == "websocket"
            try:
                super().handle_one_response()
            finally:
                if upgrade:
                    self.close_connection = True

    return SocketAwareGeventHandler


class GeventServer:
    """gevent's WSGI server with the two calls the commands use."""

    def __init__(self, app: Flask, host: str, port: int) -> None:
        from gevent.pywsgi import WSGIServer

        # The listen backlog as below; no access log line per request (the threaded one's
        # is werkzeug's development log), errors still go to stderr.
        self.server = WSGIServer((host, port), app, log=None, backlog=4096,
                                 handler_class=gevent_handler())

    def serve_forever(self) -> None:
        """Until Ctrl-C or SIGTERM (a signal's handler runs in a greenlet of its own, so it
        stops the server rather than raising in this one: no KeyboardInterrupt report from
        gevent's hub)."""
        import signal

        import gevent

        for number in (signal.SIGTERM, signal.SIGINT):
            gevent.signal_handler(number, self.server.stop)
        self.server.serve_forever()

    def server_close(self) -> None:
        self.server.stop(timeout=5)


MODES = ("gevent", "threading")


def check_mode(app: Flask, wanted: str | None) -> str:
    """The mode this process serves in; ValueError if it is not the one asked for, or gevent
    on SQLite."""
    from legends.extensions import socketio

    mode = socketio.async_mode
    if wanted is not None and wanted != mode:
        raise ValueError(f"--async-mode {wanted}: this process runs {mode}; start it with the "
                         "legends command, which patches the process for gevent before anything else")
    if mode == "gevent" and app.extensions["legends.db"].url.startswith("sqlite"):
        raise ValueError("--async-mode gevent needs PostgreSQL (SQLite's busy wait would block "
                         "every greenlet); use --async-mode threading or set DATABASE_URL")
    return mode


def server_for(app: Flask, host: str, port: int) -> BaseWSGIServer | GeventServer:
    """The server for ``app`` (its Socket.IO middleware included), in the app's async mode."""
    raise_open_files()
    from legends.extensions import socketio

    if socketio.async_mode == "gevent":
        return GeventServer(app, host, port)
    server = make_server(host, port, app, threaded=True, request_handler=SocketAwareHandler)
    server.daemon_threads = True
    # The listen backlog: a burst of clients reconnecting after a deploy must not be refused.
    server.socket.listen(4096)
    return server
