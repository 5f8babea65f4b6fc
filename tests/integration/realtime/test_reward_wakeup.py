"""The reward worker is woken when grants are recorded, not after a fixed sleep."""

from __future__ import annotations

import threading
import time

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
