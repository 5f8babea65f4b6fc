"""The reward worker is woken when grants are recorded, not after a fixed sleep."""

from __future__ import annotations

import threading
import time

import pytest

from legends.workers.wakeup import CHANNEL, Wakeup, get_wakeup
from nft.ledger import Grant, GrantKind
from nft.outbox import record_grants
from quests.orm import Player


def test_recording_grants_wakes_the_worker_after_the_commit(make_app):
    app = make_app()
    wakeup, sessions = get_wakeup(app), app.extensions["legends.db"].sessions
    with sessions.begin() as db:
        db.add(Player(address="0x" + "11" * 20, referral_code="wake1", xp=0))
    assert not wakeup.pause(0)
    with sessions.begin() as db:
        record_grants(db, [Grant("0x" + "11" * 20, "gate.faucet", "once", GrantKind.SHARDS, 2, 1)])
        assert not wakeup.event.is_set()  # not before the commit
    assert wakeup.pause(0)
    with sessions.begin() as db:  # XP only: nothing for the worker to mint
        record_grants(db, [Grant("0x" + "11" * 20, "gate.faucet", "once", GrantKind.XP, 5)])
    assert not wakeup.pause(0)


def test_a_wake_up_crosses_processes_through_redis(redis_url):
    listener, sender = Wakeup(redis_url), Wakeup(redis_url)
    listener.listen()
    deadline = time.monotonic() + 5
    while not listener.subscribed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert listener.subscribed
    woken = threading.Event()
    threading.Thread(target=lambda: listener.pause(5) and woken.set(), daemon=True).start()
    started = time.monotonic()
    sender._redis().publish(CHANNEL, b"1")
    assert woken.wait(2) and time.monotonic() - started < 0.5


def test_without_redis_a_wake_up_crosses_processes_through_postgresql_notify(make_app, postgres_url):
    """Two apps on one PostgreSQL schema, no Redis: grants recorded by one wake the other's
    worker through NOTIFY; a wake-up for another schema does not."""
    web, worker = make_app(DATABASE_URL=postgres_url), make_app(DATABASE_URL=postgres_url)
    listener = get_wakeup(worker)
    assert listener.via == "postgresql" and get_wakeup(web).via == "postgresql"
    listener.listen()
    deadline = time.monotonic() + 5
    while not listener.subscribed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert listener.subscribed
    time.sleep(0.2)  # LISTEN is issued right after the flag is set
    sessions = web.extensions["legends.db"].sessions
    with sessions.begin() as db:
        db.add(Player(address="0x" + "12" * 20, referral_code="wakepg", xp=0))
    listener.pause(0)

    import psycopg

    from legends.realtime.pgnotify import libpq_url
    from legends.workers.wakeup import PG_CHANNEL

    with psycopg.connect(libpq_url(postgres_url), autocommit=True) as other:  # another schema's grants
        other.execute("SELECT pg_notify(%s, 'some_other_schema')", (PG_CHANNEL,))
    assert not listener.pause(0.5)

    started = time.monotonic()
    with sessions.begin() as db:
        record_grants(db, [Grant("0x" + "12" * 20, "gate.faucet", "once", GrantKind.SHARDS, 2, 1)])
    assert listener.pause(2) and time.monotonic() - started < 0.5
    assert not listener.pause(0.3)  # one wake-up per commit, nothing more


@pytest.mark.sqlite_only  # what SQLite lacks; PostgreSQL's NOTIFY is the test above
def test_sqlite_has_no_cross_process_wake_up(make_app):
    assert get_wakeup(make_app()).via is None


def test_a_forked_process_wakes_through_a_connection_of_its_own(postgres_url):
    """A process forked after its parent woke the worker once (the parent's NOTIFY connection
    copied into it) opens its own: talking on the parent's socket would hang both."""
    import multiprocessing

    sender = Wakeup(None, postgres_url)
    sender.notify()  # the parent's kept connection exists now
    inherited = sender._pg_conn
    context = multiprocessing.get_context("fork")

    def in_the_child() -> None:
        sender.notify()
        raise SystemExit(0 if sender._pg_conn is not inherited else 3)

    child = context.Process(target=in_the_child)
    child.start()
    child.join(20)
    assert child.exitcode == 0, "the forked process talked on its parent's connection"
    sender.notify()  # and the parent's own connection still works
    assert sender._pg_conn is inherited and not inherited.closed
