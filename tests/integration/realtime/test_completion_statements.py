"""One completion from a chain log through the live sink (ledger, XP, boards, its events)
stays a short, fixed list of statements: the catalog's and the calendar's fingerprints in
one read, the player locked and read in one, their records and completions read once (the
quests the completion opened are judged from the same journey), the evidence and the
inbox kept by their inserts, the totals returned by their upsert, a stream's counter bumped
by one upsert. The events it logs are the ones a fresh read of the player would give."""

from __future__ import annotations

import pytest
from quest_game import Game
from sqlalchemy import event, select

from legends.realtime.happenings import TOP
from legends.realtime.sink import LiveSink
from legends.realtime.store import RealtimeEvent, player_stream
from legends.wiring.catalog import load_quests
from quests import service
from quests.campaign_store import calendar_of
from quests.catalog_store import catalog_of
from quests.journey import Journey
from quests.leaderboard import Board, add_scores
from quests.orm import Player
from quests.progress import Status

ANSWER_BUDGET = 7  # lock; records, completions, the record locked; its write; its event (was 13)
BUDGET = 16  # without Redis (two count the players ahead, one per board); was 24 on PostgreSQL


@pytest.fixture
def game(make_app):
    app = make_app()
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    game = Game(app)
    game.sink = LiveSink()
    leaders = [game.player() for _ in range(TOP + 1)]  # the newcomers stay out of the top ten
    with game.sessions.begin() as session:
        for leader in leaders:
            add_scores(session, leader.id, {Board.XP: 10_000, Board.SHARDS: 10_000}, game.now)
    return game


def claim(game, player):  # type: ignore[no-untyped-def]
    return game.log("SaharaToken", "FaucetClaimed", account=player.address, amount=1, nextClaimAt=0)


def test_one_completion_sends_a_fixed_short_list_of_statements(game):
    engine = game.app.extensions["legends.db"].engine
    game.feed(claim(game, game.player()))  # another player's first: the caches are warm
    player = game.player()
    sent: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        done = game.feed(claim(game, player))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert [c.quest_id for c in done] == ["gate.faucet"]
    assert len(sent) <= BUDGET, "\n".join(sent)


def test_a_riddle_answer_locks_and_reads_the_player_once(game):
    engine = game.app.extensions["legends.db"].engine
    player = game.player()
    game.finish(player, "gate.faucet", "gate.sahara-id")
    sent: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            sent.append(statement)

    with game.sessions.begin() as session:
        me = session.get_one(Player, player.id)
        catalog_of(session), calendar_of(session)  # read by every transaction, cached
        event.listen(engine, "before_cursor_execute", count)
        try:
            move = service.answer(session, me, "gate.soulbound-riddle", "it succeeds", game.now,
                                  sink=game.sink)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert not move.completed
    assert len(sent) <= ANSWER_BUDGET, "\n".join(sent)


def test_the_quests_a_completion_opens_are_told_as_a_fresh_read_sees_them(game):
    player = game.player()
    game.feed(claim(game, player))
    with game.sessions() as session:
        rows = session.scalars(select(RealtimeEvent).where(
            RealtimeEvent.stream == player_stream(player.address)).order_by(RealtimeEvent.offset)).all()
        told = [r.payload["quest_id"] for r in rows if r.type == "quest.available"]
        catalog = catalog_of(session)
        journey = Journey(session, catalog, player, game.now)
        opened = [q.id for q in catalog if "gate.faucet" in q.prerequisites
                  and journey.current(q)[1].status is Status.AVAILABLE]
    assert told == opened and opened
    assert [r.type for r in rows][:1] == ["quest.completed"]
