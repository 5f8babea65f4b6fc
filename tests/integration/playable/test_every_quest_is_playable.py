"""Every quest of the shipped catalog can be finished by a fresh player, in both orders a
player acts: one traveller acts first and only then opens the quest log (it never presses
accept), the other accepts first and then acts. Both reach ``completed`` and the reward
is minted. Public API only: each traveller signs in with its own EIP-4361 message on its own
client and sends its own signed transactions; the world (indexer, caretaker and patrons,
reward worker, both clocks) is stepped by the test."""

from __future__ import annotations

import time

import pytest
from plays import PLAYS, label, walk
from timetravel import TravelClock
from travellers import DONE, World

from chain.rpc import JsonRpcChain
from chain.store import SqlManifestStore
from legends.wiring.deploy import deploy_suite
from quests.catalog_store import catalog_of

ORDERS = ("act first", "accept first")


@pytest.mark.devnet  # it starts an anvil of its own
def test_every_quest_is_playable(make_app, database, own_devnet, report_table):
    app = make_app(CHAIN_RPC_URL=own_devnet.config.url)
    clock = TravelClock(JsonRpcChain(own_devnet.config.url))
    app.extensions["legends.clock"] = clock
    with app.app_context():
        manifest = deploy_suite(say=lambda _line: None)  # contracts, the catalog, the NPCs
    sessions = app.extensions["legends.db"].sessions
    assert SqlManifestStore(sessions).load(manifest.chain_id).complete
    with sessions() as session:
        catalog = catalog_of(session)
    world = World(app, clock, dict(manifest.addresses), own_devnet.config.url)
    acting, accepting = world.traveller(ORDERS[0]), world.traveller(ORDERS[1])
    rows: list[tuple[str, str, float]] = []
    for quest in walk(catalog):
        play = PLAYS.get(quest.id)
        assert play is not None, (f"{quest.id} ({quest.title!r}) has no play script in "
                                  "tests/integration/playable/plays.py: how does a player finish it?")
        world.quest_id = quest.id
        started = {}
        for traveller in (acting, accepting):  # "why" reads no state: it cannot finish a quest
            why = traveller.get(f"/quests/{quest.id}/why")
            assert why["status"] in ("available", "in_progress"), (quest.id, traveller.order, why)
        started[accepting] = time.monotonic()
        accepting.accept(quest.id)
        for r in range(play.rounds):
            if r and play.travel:
                world.travel(**play.travel)
            for traveller in (acting, accepting):
                started.setdefault(traveller, time.monotonic())
                play.act(traveller, world, r)
        acting.look(quest.id)  # only now does the acting traveller open the quest log
        finished: dict[object, float] = {}
        deadline = time.monotonic() + 60
        while len(finished) < 2:
            for traveller in (acting, accepting):
                if traveller not in finished and traveller.status(quest.id) in DONE:
                    finished[traveller] = time.monotonic()
            if len(finished) < 2:
                assert time.monotonic() < deadline, {
                    t.order: t.get(f"/quests/{quest.id}/why") for t in (acting, accepting)}
                world.settle(play.world)
        for traveller in (acting, accepting):
            rows.append((quest.id, traveller.order, finished[traveller] - started[traveller]))
        world.until(f"the rewards of {quest.id}",
                    lambda q=quest.id: all(t.status(q) == "rewarded" for t in (acting, accepting)),
                    world=False)
    # A week later, both clocks moved together: the weekly harvest is open again and counts anew.
    world.travel(days=7)
    week = time.monotonic()
    for traveller in (acting, accepting):
        assert traveller.get("/quests/oasis.weekly-harvest/why")["status"] == "available"
        label(5)(traveller, world, 0)
    world.until("next week's harvest", lambda: all(
        t.status("oasis.weekly-harvest") in DONE for t in (acting, accepting)))
    rows.append(("oasis.weekly-harvest", "next week", time.monotonic() - week))
    table = [f"{'quest':<26} {'order':<13} {'seconds to completion':>22}"]
    table += [f"{q:<26} {o:<13} {s:>22.2f}" for q, o, s in rows]
    slowest = max(rows, key=lambda row: row[2])
    plays = len(rows) - 1
    table.append(f"{len(catalog)} quests x {len(ORDERS)} orders = {plays} plays completed and "
                 f"rewarded (and a weekly quest again a week later); slowest: {slowest[0]} "
                 f"({slowest[1]}) {slowest[2]:.2f} s; on {'PostgreSQL' if database else 'SQLite'}")
    report_table.append(table)
    print("\n".join(table))
    assert plays == 2 * len(catalog)
