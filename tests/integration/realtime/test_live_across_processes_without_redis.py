"""Without Redis, on PostgreSQL: what a worker process records reaches the clients of a web
process through NOTIFY/LISTEN (an event too large for a notification is read back from the
log), and another schema's events do not."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests
import sqlalchemy as sa
from live_support import Listener
from netutil import free_port
from test_live_across_processes import wait_for_port

from legends import create_app, migrate
from legends.config import DEFAULT_SECRET
from legends.realtime import emit_through_queue
from legends.realtime.events import announce, for_player
from legends.realtime.pgnotify import CHANNEL, LIMIT, libpq_url
from legends.realtime.tokens import issue

ROOT = Path(__file__).resolve().parents[3]
ALICE = "0x" + "a2" * 20


@pytest.mark.parametrize("mode", ["gevent", "threading"])
def test_a_worker_process_reaches_the_web_process_through_postgresql(tmp_path, postgres_url, mode):
    schema = f"legends_notify_{uuid.uuid4().hex[:8]}"
    base = postgres_url.split("?")[0]
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}?options=-csearch_path%3D{schema}"
    migrate.upgrade(url)
    port = free_port()
    settings = {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": url, "REDIS_URL": "",
                "PUBLIC_URL": f"http://localhost:{port}"}
    env = {**os.environ, "LEGENDS_ENV": "testing", "PYTHONPATH": str(ROOT), **settings}
    web = subprocess.Popen([sys.executable, "-c", "from legends import main; main()", "serve", "--port",
                            str(port), "--async-mode", mode], env=env, cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    listeners: list[Listener] = []
    try:
        wait_for_port(port, web)
        web_url = f"http://localhost:{port}"
        deadline = time.monotonic() + 10
        while True:  # LISTEN is issued as the server starts
            realtime = requests.get(f"{web_url}/healthz", timeout=10).json()["queue"]["realtime"]
            if realtime.get("subscribed") or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert realtime["queue"] == "postgresql" and realtime["subscribed"] and realtime["async_mode"] == mode
        public = Listener(web_url, auth={"public": True})
        alice = Listener(web_url, auth={"token": issue(DEFAULT_SECRET, ALICE, ttl=60)})
        listeners += [public, alice]
        for listener in listeners:
            listener.wait_for("ready")

        worker = create_app({"ENV_NAME": "testing", **settings, "REDIS_URL": None})
        assert emit_through_queue(worker)  # no Redis: NOTIFY
        big = "sand " * (LIMIT // 4)  # over a notification's limit: sent by stream and offset
        with worker.extensions["legends.db"].sessions.begin() as db:
            announce(db, "A sandstorm rises")
            for_player(db, ALICE, "reward.minted", {"tx_hash": "0x" + "ee" * 32, "grants": []})
            for_player(db, ALICE, "craft.done", {"kind": "legend", "note": big})
        with psycopg.connect(libpq_url(url), autocommit=True) as other:  # another schema's event
            other.execute("SELECT pg_notify(%s, %s)", (CHANNEL, 'elsewhere {"event": "announcement", '
                          '"room": "public", "data": {"payload": {"message": "not yours"}}}'))

        assert public.wait_for("announcement")[0]["payload"]["message"] == "A sandstorm rises"
        assert alice.wait_for("announcement")[0]["payload"]["message"] == "A sandstorm rises"
        minted = alice.wait_for("reward.minted")[0]
        assert minted["offset"] == 1 and minted["payload"]["tx_hash"] == "0x" + "ee" * 32
        crafted = alice.wait_for("craft.done")[0]
        assert crafted["offset"] == 2 and crafted["payload"]["note"] == big
        assert not [e for e, _ in public.heard if e in ("reward.minted", "craft.done")]
        time.sleep(0.3)
        said = [d["payload"]["message"] for e, d in public.heard if e == "announcement"]
        assert said == ["A sandstorm rises"]  # not the other schema's
    finally:
        for listener in listeners:
            listener.close()
        web.terminate()
        web.wait(15)
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
