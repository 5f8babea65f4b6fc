"""A verification batch writes its per-event rows set-based (``quests.batch_writes``): the
evidence, inbox, completion and leaderboard rows of all its events in one statement per
table, its players' event streams read in one statement, the "counted already?" check in
one read; the result is the same rows and events as event by event, exactly once."""

from __future__ import annotations

from typing import Any

from live_support import LiveGame
from plan_guard import capture
from sqlalchemy import func, select

from legends.realtime import events
from legends.realtime.store import RealtimeStream
from legends.wiring.catalog import load_quests
from quests import service
from quests.batch_writes import held_writes
from quests.store import LeaderboardScore, QuestCompletion, QuestEvidence, QuestInbox

PLAYERS = 4


def claims(game: LiveGame, players: list[Any], block: int = 300) -> list[Any]:
    return [game.log("SaharaToken", "FaucetClaimed", block=block, log_index=i, account=p.address,
                     amount=10**20, nextClaimAt=0) for i, p in enumerate(players)]


def apply(game: LiveGame, block: list[Any]) -> tuple[list[Any], list[tuple[str, Any]], list[Any]]:
    engine = game.app.extensions["legends.db"].engine
    with capture(engine) as seen:
        with game.sessions.begin() as session:
            with game.sink.batch(session):
                done = service.apply_chain_events(session, block, game.now, sink=game.sink)
            sent = events.pending(session)
    return done, list(seen.statements), sent


def count(game: LiveGame, model: Any) -> int:
    with game.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_batch_writes_each_table_once_and_a_redelivered_batch_counts_nothing_twice(make_app):
    app = make_app()
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    game = LiveGame(app)
    players = [game.player() for _ in range(PLAYERS)]
    for p in players:
        game.accept(p, "gate.faucet")
    block = claims(game, players)

    done, statements, sent = apply(game, block)

    assert sorted(c.player for c in done) == sorted(p.address for p in players)
    for table in ("quest_evidence", "quest_inbox", "quest_completion", "leaderboard_score"):
        inserts = [s for s, _ in statements if s.lstrip().startswith(f"INSERT INTO {table} ")]
        assert len(inserts) == 1, (table, inserts)  # one statement for the whole batch
    bumps = [s for s, params in statements if "last_offset +" in s and "player:" in repr(params)]
    assert not bumps, bumps  # the players' streams were read together, no bump per player
    assert sum("FROM quest_evidence" in s for s, _ in statements) == 1  # counted already? one read
    assert count(game, QuestEvidence) == count(game, QuestInbox) == count(game, QuestCompletion) == PLAYERS
    completed = [e for e in sent if e.type == events.QUEST_COMPLETED]
    assert len(completed) == PLAYERS
    with game.sessions() as session:  # each stream's counter is its last event's offset
        for stream in {e.stream for e in sent}:
            assert session.scalar(select(RealtimeStream.last_offset).where(
                RealtimeStream.stream == stream)) == max(e.offset for e in sent if e.stream == stream)
        scores = session.scalar(select(func.count()).select_from(LeaderboardScore)
                                .where(LeaderboardScore.player_id.in_([p.id for p in players])))
    assert scores and scores % PLAYERS == 0  # every player on the boards, one row per board

    again, _, sent_again = apply(game, block)  # the same logs delivered again

    assert again == [] and not [e for e in sent_again if e.type == events.QUEST_COMPLETED]
    assert count(game, QuestEvidence) == count(game, QuestInbox) == count(game, QuestCompletion) == PLAYERS


def test_a_read_inside_a_batch_sees_the_rows_it_holds(make_app):
    app = make_app()
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    game = LiveGame(app)
    players = [game.player() for _ in range(2)]
    for p in players:
        game.accept(p, "gate.faucet")
    block = claims(game, players)
    with game.sessions.begin() as session:
        with held_writes(session, [p.id for p in players], [e.tx_hash for e in block]):
            done = service.apply_chain_events(session, block, game.now, sink=game.sink)
            assert len(done) == 2
            # Held, not yet written ... and yet a read of the table writes them first.
            assert session.scalar(select(func.count()).select_from(QuestCompletion)) == 2
            assert session.scalar(select(func.count()).select_from(QuestInbox)) == 2
            assert session.scalar(select(func.count()).select_from(LeaderboardScore)
                                  .where(LeaderboardScore.player_id == players[0].id)) >= 1
        assert session.scalar(select(func.count()).select_from(QuestEvidence)) == 2
