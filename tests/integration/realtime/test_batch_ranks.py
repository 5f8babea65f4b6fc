"""A verification batch is settled set-based: the live sink's ``batch`` reads the ranks of
all the batch's players in one statement per board and sends the top ten once per board,
reads their journeys together for the quests they opened, and each player hears the same
ranks and opened quests as if the completions had been applied one by one."""

from __future__ import annotations

from typing import Any

from live_support import LiveGame
from plan_guard import capture

from legends.realtime import events
from legends.realtime.store import PUBLIC
from legends.wiring.catalog import load_quests
from quests import service


def play(app: Any, *, together: bool) -> tuple[Any, int, int, list[tuple[int, str]]]:
    """A is ahead (faucet earlier, Sahara ID in the batch); B and C claim the faucet in the
    same block. Returns (the players' rank events as (who, board, rank, previous), public
    top-ten events, statements counting ranks, the quests each player heard opened) of the
    block."""
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    game = LiveGame(app)
    a, b, c = game.player(), game.player(), game.player()
    for p in (a, b, c):
        game.accept(p, "gate.faucet")
    game.complete(a, "gate.faucet")
    game.accept(a, "gate.sahara-id")
    block = [game.log("SaharaID", "IdentityMinted", block=300, log_index=0, owner=a.address,
                      tokenId=7, profileURI=""),
             game.log("SaharaToken", "FaucetClaimed", block=300, log_index=1, account=b.address,
                      amount=10**20, nextClaimAt=0),
             game.log("SaharaToken", "FaucetClaimed", block=300, log_index=2, account=c.address,
                      amount=10**20, nextClaimAt=0)]
    who = {events.player_stream(p.address): i for i, p in enumerate((a, b, c))}
    engine = app.extensions["legends.db"].engine
    with capture(engine) as seen:
        with game.sessions.begin() as session:
            if together:
                with game.sink.batch(session):
                    done = _feed(game, session, block)
            else:
                done = [c for e in block for c in _feed(game, session, [e])]
            sent = events.pending(session)
    assert sorted(c.quest_id for c in done) == ["gate.faucet", "gate.faucet", "gate.sahara-id"]
    ranks = sorted((who[e.stream], e.payload["board"], e.payload["rank"],
                    e.payload["previous_rank"]) for e in sent
                   if e.type == events.LEADERBOARD_CHANGED and e.stream != PUBLIC)
    opened = sorted((who[e.stream], e.payload["quest_id"]) for e in sent if e.type == events.QUEST_AVAILABLE)
    tops = sum(1 for e in sent if e.type == events.LEADERBOARD_CHANGED and e.stream == PUBLIC)
    counting = sum(1 for st, _ in seen.statements if "FROM leaderboard_score" in st and "count(*)" in st)
    return ranks, tops, counting, opened


def _feed(game: LiveGame, session: Any, block: list[Any]) -> list[Any]:
    return service.apply_chain_events(session, block, game.now, sink=game.sink)


def test_a_batch_reads_ranks_and_opened_quests_together_and_tells_each_player_the_same(
        make_app, tmp_path, database, request):
    first = make_app(INSTANCE_PATH=str(tmp_path / "one"))
    one_by_one = play(first, together=False)
    if database is not None:  # the PostgreSQL tier's one schema: the second game starts empty
        first.extensions["legends.db"].engine.dispose()
        request.getfixturevalue("postgres_tier").empty()
    batch = play(make_app(INSTANCE_PATH=str(tmp_path / "batch")), together=True)

    ranks, tops, counting, opened = batch
    assert ranks == one_by_one[0]  # the same ranks as completion by completion
    assert opened == one_by_one[3] and {who for who, _ in opened} == {0, 1, 2}  # the same quests opened
    assert ranks, "B and C entered the boards: they hear their ranks"
    assert all(rank == 2 and previous is None for who, _, rank, previous in ranks if who in (1, 2))
    boards = {board for _, board, _, _ in ranks}
    assert tops == len(boards) < one_by_one[1]  # the top ten once per board, not per completion
    assert counting == len(boards) < one_by_one[2]  # one counting statement per board
