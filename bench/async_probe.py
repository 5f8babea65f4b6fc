"""The async-mode comparison behind the choice of gevent: a bare Flask-SocketIO server in
``threading`` or ``gevent`` mode (simple-websocket in both) holding N idle public clients;
connect success, RSS per connection and one broadcast, on the same machine as the app.

``python -m bench.async_probe``: runs both modes and prints the table (the server runs as
``python -m bench.async_probe serve MODE PORT``). ``python -m bench realtime`` measures the
app itself as ``legends serve`` ships it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STEPS = (1000, 2500, 5000)


def serve(mode: str, port: int) -> None:
    if mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    from flask import Flask
    from flask_socketio import SocketIO, emit

    from legends.realtime.serving import raise_open_files

    raise_open_files()
    app = Flask("probe")
    sio = SocketIO(app, async_mode=mode, cors_allowed_origins=[f"http://127.0.0.1:{port}"])

    @sio.on("connect")
    def connect(auth: Any = None) -> None:
        emit("ready", {})

    @app.post("/broadcast")
    def broadcast():  # type: ignore[no-untyped-def]
        sio.emit("announcement", {"message": "hello"})
        return "ok"

    if mode == "gevent":
        from gevent.pywsgi import WSGIServer

        WSGIServer(("127.0.0.1", port), app, log=None, backlog=4096).serve_forever()
    else:
        from legends.realtime.serving import server_for

        server_for(app, "127.0.0.1", port).serve_forever()


def measure(mode: str, steps: tuple[int, ...] = STEPS) -> list[dict[str, Any]]:
    import requests

    from bench.common import free_port
    from bench.live_clients import Crowd
    from bench.realtime import rss_mb, threads_of, wait_until

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "bench.async_probe", "serve", mode, str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows: list[dict[str, Any]] = []
    crowd = None
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        crowd = Crowd(f"http://127.0.0.1:{port}")
        time.sleep(0.5)
        base, held = rss_mb(server.pid), 0
        for step in steps:
            ok, failed, seconds = crowd.add([{"public": True}] * (step - held), timeout=120)
            held += ok
            time.sleep(2.0)
            rss = rss_mb(server.pid)
            rows.append({"key": f"{mode}_{step}", "benchmark": f"{mode}: clients held ({step:,})", "n": held,
                         "seconds": seconds, "per_second": ok / seconds if seconds else None,
                         "note": (f"{failed} failed; " if failed else "100% connected; ")
                         + f"{(rss - base) * 1024 / max(held, 1):,.0f} KB/connection, "
                           f"{threads_of(server.pid):,} threads"})
            if failed:
                break
        crowd.heard.clear()
        started = time.perf_counter()
        requests.post(f"http://127.0.0.1:{port}/broadcast", timeout=60)
        wait_until(lambda: len(crowd.heard) >= held, 60)
        times = [t for _i, _e, _d, t in list(crowd.heard)]
        rows.append({"key": f"{mode}_broadcast", "benchmark": f"{mode}: one broadcast to all",
                     "n": len(times), "seconds": max(times) - started if times else None,
                     "note": f"{len(times):,} of {held:,} clients"})
    finally:
        if crowd is not None:
            crowd.close()
        server.terminate()
        server.wait(30)
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        from bench.common import print_table
        from legends.realtime.serving import raise_open_files

        raise_open_files()
        modes = sys.argv[1:] or ["threading", "gevent"]
        print_table("Async mode probe (bare Flask-SocketIO, idle public clients)",
                    [row for mode in modes for row in measure(mode)])
