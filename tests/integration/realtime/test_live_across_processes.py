"""Two web processes and a separate worker process share events through Redis: what the
worker emits (write-only, no server) reaches clients connected to either web process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from live_support import Listener
from netutil import free_port

from legends.config import DEFAULT_SECRET
from legends.realtime.tokens import issue

pytestmark = pytest.mark.redis
ROOT = Path(__file__).resolve().parents[3]
ALICE = "0x" + "a1" * 20
WORKER = """
from legends import create_app
from legends.realtime import emit_through_queue
from legends.realtime.events import announce, for_player
app = create_app()
assert emit_through_queue(app)
with app.app_context(), app.extensions["legends.db"].sessions.begin() as db:
    announce(db, "A sandstorm rises")
    for_player(db, "ALICE", "reward.minted", {"tx_hash": "0x" + "ee" * 32, "grants": []})
""".replace("ALICE", ALICE)


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"web process exited: {process.stdout.read() if process.stdout else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), 0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


def test_an_event_from_a_worker_process_reaches_clients_of_both_web_processes(tmp_path, redis_url,
                                                                              database_url):
    ports = [free_port(), free_port()]
    env = {**os.environ, "LEGENDS_ENV": "testing", "INSTANCE_PATH": str(tmp_path / "instance"),
           "DATABASE_URL": database_url, "REDIS_URL": redis_url, "PYTHONPATH": str(ROOT),
           "REALTIME_CHANNEL": f"legends-test-{uuid.uuid4().hex[:8]}",
           "REALTIME_ORIGINS": ",".join(f"http://localhost:{p}" for p in ports)}
    (tmp_path / "instance").mkdir()
    webs = [subprocess.Popen([sys.executable, "-c", "from legends.cli import main; main()", "serve",
                              "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True) for port in ports]
    listeners: list[Listener] = []
    try:
        for port, web in zip(ports, webs):
            wait_for_port(port, web)
        token = issue(DEFAULT_SECRET, ALICE, ttl=60)
        for port in ports:
            listeners.append(Listener(f"http://localhost:{port}", auth={"public": True}))
            listeners.append(Listener(f"http://localhost:{port}", auth={"token": token}))
        for listener in listeners:
            listener.wait_for("ready")
        worker = subprocess.run([sys.executable, "-c", WORKER], env=env, cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        assert worker.returncode == 0, worker.stderr
        for listener in listeners:  # both processes, anonymous and signed-in clients
            said = listener.wait_for("announcement")[0]
            assert said["payload"]["message"] == "A sandstorm rises"
        for listener in listeners[1::2]:
            minted = listener.wait_for("reward.minted")[0]
            assert minted["payload"]["tx_hash"] == "0x" + "ee" * 32 and minted["offset"] == 1
        for listener in listeners[0::2]:  # a public listener hears no player event
            assert not [e for e, _ in listener.heard if e == "reward.minted"]
    finally:
        for listener in listeners:
            listener.close()
        for web in webs:
            web.terminate()
        for web in webs:
            web.wait(10)


def test_healthz_reports_the_pubsub_subscription(tmp_path, redis_url, make_app):
    from legends.realtime import get_realtime, listen

    app = make_app(REDIS_URL=redis_url, REALTIME_CHANNEL=f"legends-test-{uuid.uuid4().hex[:8]}")
    realtime = get_realtime(app)
    assert realtime.status()["subscribed"] is False
    listen(app)
    deadline = time.monotonic() + 5
    while not realtime.status()["subscribed"] and time.monotonic() < deadline:
        time.sleep(0.02)
    report = app.test_client().get("/healthz").get_json()
    assert report["queue"]["realtime"]["subscribed"] is True
    assert report["queue"]["realtime"]["ok"] is True
