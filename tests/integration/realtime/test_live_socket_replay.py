"""No missed event: a reconnecting client gets exactly what it missed, in order, then live
events; a client whose history is gone (another epoch, purged) gets a fresh snapshot."""

from __future__ import annotations

from datetime import timedelta

from live_support import received_until, socket_for
from sqlalchemy import update

from legends.realtime import purge_events
from legends.realtime.store import RealtimeEvent, player_stream, reset

QUESTS = ("gate.faucet", "gate.sahara-id", "citadel.stake")


def events_of(messages):  # type: ignore[no-untyped-def]
    return [m["args"][0] for m in messages if m["args"] and "offset" in m["args"][0]]


def test_a_reconnecting_player_gets_exactly_what_it_missed_in_order_then_live_events(live, live_app):
    alice = live.player("alice")
    stream = player_stream(alice.address)
    live.finish(alice, "bazaar.first-listing")  # opens the Citadel
    for quest in QUESTS:
        live.accept(alice, quest)
    client = socket_for(live_app, alice.address)
    ready = received_until(client)[-1]["args"][0]["streams"][stream]
    client.disconnect()

    txs = [live.complete(alice, quest) for quest in QUESTS]  # while the player is away

    client = socket_for(live_app, alice.address, auth={"offset": ready["offset"], "epoch": ready["epoch"]})
    replay = received_until(client)
    missed = events_of(replay[:-1])
    offsets = [e["offset"] for e in missed]
    assert offsets == list(range(ready["offset"] + 1, ready["offset"] + 1 + len(missed)))
    completed = [e for e in missed if e["type"] == "quest.completed"]
    assert [(e["payload"]["quest_id"], e["payload"]["tx_hash"]) for e in completed] == list(zip(QUESTS, txs))
    head = replay[-1]["args"][0]["streams"][stream]
    assert head == {"epoch": ready["epoch"], "offset": offsets[-1]}

    live.accept(alice, "gate.full-waterskin")  # opened by the faucet quest: live now
    live_event = events_of(received_until(client, "quest.progress"))[-1]
    assert live_event["offset"] == head["offset"] + 1


def test_a_client_that_is_up_to_date_gets_nothing_but_ready(live, live_app):
    alice = live.player("alice")
    live.accept(alice, "gate.faucet")
    first = socket_for(live_app, alice.address)
    ready = received_until(first)[-1]["args"][0]["streams"][player_stream(alice.address)]
    again = socket_for(live_app, alice.address, auth=ready)
    assert [m["name"] for m in received_until(again)] == ["ready"]


def test_a_stale_epoch_gets_a_resync_snapshot(live, live_app):
    alice = live.player("alice")
    live.accept(alice, "gate.faucet")
    client = socket_for(live_app, alice.address, auth={"offset": 1, "epoch": "0ld3p0ch"})
    got = received_until(client)
    resync = next(m for m in got if m["name"] == "resync")["args"][0]
    assert resync["reason"] == "epoch changed" and resync["offset"] == 1
    assert resync["player"]["address"] == alice.address
    assert {"id": "gate.faucet", "status": "in_progress", "period": "once"} in resync["quests"]


def test_a_reset_stream_starts_a_new_epoch(live, live_app):
    alice = live.player("alice")
    live.accept(alice, "gate.faucet")
    client = socket_for(live_app, alice.address)
    ready = received_until(client)[-1]["args"][0]["streams"][player_stream(alice.address)]
    with live.sessions.begin() as db:
        epoch = reset(db, player_stream(alice.address))
    again = socket_for(live_app, alice.address, auth=ready)
    resync = next(m for m in received_until(again) if m["name"] == "resync")["args"][0]
    assert resync["epoch"] == epoch != ready["epoch"] and resync["offset"] == 0


def test_purged_events_give_a_resync_and_housekeeping_keeps_the_recent_ones(live, live_app):
    alice = live.player("alice")
    stream = player_stream(alice.address)
    client = socket_for(live_app, alice.address)
    ready = received_until(client)[-1]["args"][0]["streams"][stream]
    client.disconnect()
    live.accept(alice, "gate.faucet")
    live.accept(alice, "gate.sahara-id")
    with live.sessions.begin() as db:  # the first of the two is old
        db.execute(update(RealtimeEvent).where(RealtimeEvent.stream == stream,
                                               RealtimeEvent.offset == ready["offset"] + 1)
                   .values(created_at=live.now - timedelta(days=8)))
    with live_app.app_context(), live.sessions.begin() as db:
        assert purge_events(db, live.now) == 1
        assert purge_events(db, live.now) == 0
    again = socket_for(live_app, alice.address, auth=ready)
    resync = next(m for m in received_until(again) if m["name"] == "resync")["args"][0]
    assert resync["reason"] == "events purged" and resync["offset"] == ready["offset"] + 2
    # one step later the remaining event is still there for a client that had the first
    later = socket_for(live_app, alice.address, auth={**ready, "offset": ready["offset"] + 1})
    assert [e["payload"]["quest_id"] for e in events_of(received_until(later)[:-1])] == ["gate.sahara-id"]


def test_catch_up_on_demand_fills_a_gap(live, live_app):
    alice = live.player("alice")
    stream = player_stream(alice.address)
    client = socket_for(live_app, alice.address)
    ready = received_until(client)[-1]["args"][0]["streams"][stream]
    live.accept(alice, "gate.faucet")
    live.accept(alice, "gate.sahara-id")
    answer = client.emit("catch_up", {"stream": stream, **ready}, callback=True)
    assert [e["offset"] for e in answer["events"]] == [ready["offset"] + 1, ready["offset"] + 2]


def test_the_purge_and_announce_commands(tmp_path, database):
    from click.testing import CliRunner

    from legends.cli import cli

    env = {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database or "",
           "LEGENDS_ENV": "testing"}
    runner = CliRunner(env=env)
    assert runner.invoke(cli, ["db", "upgrade"], catch_exceptions=False).exit_code == 0
    said = runner.invoke(cli, ["realtime", "announce", "Sandstorm at noon"], catch_exceptions=False)
    assert "announced (public offset 1)" in said.output
    kept = runner.invoke(cli, ["realtime", "purge"], catch_exceptions=False)
    assert kept.output.strip() == "purged 0 event(s) older than 7 day(s)"
    gone = runner.invoke(cli, ["realtime", "purge", "--days", "0"], catch_exceptions=False)
    assert gone.output.strip() == "purged 1 event(s) older than 0 day(s)"
