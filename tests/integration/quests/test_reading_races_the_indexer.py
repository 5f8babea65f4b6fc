"""Opening a quest reads the chain and may complete it; the indexer may complete the same
quest from the same transaction's log at that very moment. The page must show the quest
completed, once, and never answer "try again" to a read (found by the soak on PostgreSQL:
players polling their quest got 409)."""

from __future__ import annotations

import threading

from quest_game import sign_in_cookie


def test_a_quest_completed_by_the_indexer_while_its_page_reads_the_chain_shows_completed(game):
    alice = game.player()
    reader = game.chain
    real_readings = reader.readings

    def the_indexer_gets_there_first(address, checks):  # type: ignore[no-untyped-def]
        game.feed(game.log("SaharaID", "IdentityMinted", owner=alice.address, tokenId=1, profileURI=""))
        reader.values[("has_identity", None)] = 1
        return real_readings(address, checks)

    reader.readings = the_indexer_gets_there_first
    client = sign_in_cookie(game.app, game.app.test_client(), alice.address)
    response = client.get("/api/quests/gate.sahara-id")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] in ("completed", "rewarded")
    reader.readings = real_readings
    assert client.get("/api/quests/gate.sahara-id").get_json()["status"] in ("completed", "rewarded")
    assert game.xp(alice) == 50  # completed once


def test_the_quest_log_read_racing_the_indexer_lists_the_quest_completed(game):
    alice = game.player()
    reader = game.chain
    real_readings = reader.readings

    def the_indexer_gets_there_first(address, checks):  # type: ignore[no-untyped-def]
        game.feed(game.log("SaharaID", "IdentityMinted", owner=alice.address, tokenId=2, profileURI=""))
        reader.values[("has_identity", None)] = 1
        return real_readings(address, checks)

    reader.readings = the_indexer_gets_there_first
    client = sign_in_cookie(game.app, game.app.test_client(), alice.address)
    response = client.get("/api/quests")
    assert response.status_code == 200, response.get_json()
    listed = {q["id"]: q["status"] for q in response.get_json()["quests"]}
    assert listed["gate.sahara-id"] in ("completed", "rewarded")
    assert game.xp(alice) == 50


class HeldSink:
    """The game's sink for the indexer's transaction, holding it open (completion written,
    not committed) until ``go``."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.written, self.go = inner, threading.Event(), threading.Event()

    def completed(self, session, completion) -> None:  # type: ignore[no-untyped-def]
        session.flush()
        self.inner.completed(session, completion)
        self.written.set()
        self.go.wait(10)

    def withdrawn(self, session, completion) -> None:  # type: ignore[no-untyped-def]
        self.inner.withdrawn(session, completion)


def test_the_indexer_committing_the_same_completion_while_the_page_writes_it_is_no_409(game):
    """The tight race: the indexer has written the completion from the log and not committed
    yet when the page, having read the state, writes the same completion; then the indexer
    commits. The page shows the quest completed (once), not "try again"."""
    from quests import service

    alice = game.player()
    held = HeldSink(game.sink)
    log = game.log("SaharaID", "IdentityMinted", owner=alice.address, tokenId=3, profileURI="")

    def index() -> None:
        with game.sessions.begin() as session:
            service.apply_chain_events(session, [log], game.now, sink=held)

    indexer = threading.Thread(target=index, daemon=True)
    real_readings = game.chain.readings

    def readings(address, checks):  # type: ignore[no-untyped-def]
        indexer.start()
        assert held.written.wait(10)
        threading.Timer(0.5, held.go.set).start()  # commits while the page's write waits
        game.chain.values[("has_identity", None)] = 1
        return real_readings(address, checks)

    game.chain.readings = readings
    client = sign_in_cookie(game.app, game.app.test_client(), alice.address)
    response = client.get("/api/quests/gate.sahara-id")
    held.go.set()
    indexer.join(10)
    game.chain.readings = real_readings
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] in ("completed", "rewarded")
    assert game.xp(alice) == 50
