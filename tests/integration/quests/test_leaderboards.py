"""Leaderboards: all-time and weekly, by XP and by shards, with my own rank; fast on large
tables (the rank query is an index range count), the same answers from Redis."""

from __future__ import annotations

import secrets

import pytest
from quest_game import Game
from sqlalchemy import insert, text

from legends.wiring.catalog import load_quests
from legends.wiring.leaderboards import RedisLeaderboard
from quests import service
from quests.leaderboard import (
    ALL_TIME,
    Board,
    SqlLeaderboard,
    add_scores,
    ahead_query,
    score_query,
    top_query,
)
from quests.orm import Player
from quests.store import LeaderboardScore

BOARD = SqlLeaderboard()


def scores(game, **by_label):
    players = {label: game.player(label) for label in by_label}
    with game.sessions.begin() as session:
        for label, xp in by_label.items():
            add_scores(session, players[label].id, {Board.XP: xp}, game.now)
    return players


def test_equal_scores_share_a_rank_and_i_see_my_own(game):
    p = scores(game, amira=100, basil=50, cyra=50, dune=10)
    with game.sessions() as session:
        top = BOARD.top(session, Board.XP, ALL_TIME, 10)
        mine = BOARD.rank_of(session, Board.XP, ALL_TIME, p["dune"].id)
        nobody = BOARD.rank_of(session, Board.SHARDS, ALL_TIME, p["dune"].id)
    assert [(e.rank, e.score) for e in top] == [(1, 100), (2, 50), (2, 50), (4, 10)]
    assert top[0].address == p["amira"].address
    assert (mine.rank, mine.score) == (4, 10)
    assert nobody is None


def test_the_weekly_board_counts_only_this_weeks_completions(game):
    alice = game.player()
    for _ in range(2):  # Sunday of 2026-W47, then Monday of 2026-W48
        with game.sessions.begin() as session:
            service.check_in(session, alice, game.now, sink=game.sink)
        game.travel(days=1)
    with game.sessions() as session:
        totals = {period: BOARD.rank_of(session, Board.XP, period, alice.id).score
                  for period in (ALL_TIME, "2026-W47", "2026-W48")}
        shards = BOARD.rank_of(session, Board.SHARDS, "2026-W48", alice.id).score
    assert totals == {ALL_TIME: 20, "2026-W47": 10, "2026-W48": 10}
    assert shards == 1


# SQLite's query plan; PostgreSQL's are tests/integration/scale/test_hot_path_uses_indexes.py
@pytest.mark.sqlite_only
def test_my_rank_among_fifty_thousand_players_comes_from_the_index_not_a_scan(game):
    count = 50_000
    with game.sessions.begin() as session:
        session.execute(insert(Player), [
            {"address": f"0x{i:040x}", "referral_code": f"r{i}", "xp": 0,
             "created_at": game.now, "last_seen_at": game.now} for i in range(1, count + 1)])
        session.execute(insert(LeaderboardScore), [
            {"board": board, "period": ALL_TIME, "player_id": i, "score": (i * 7919) % 5000,
             "updated_at": game.now} for i in range(1, count + 1) for board in ("xp", "shards")])
    with game.sessions() as session:
        mine = BOARD.rank_of(session, Board.XP, ALL_TIME, 4242)
        expected = 1 + sum(1 for i in range(1, count + 1) if (i * 7919) % 5000 > (4242 * 7919) % 5000)
        assert mine.rank == expected
        for query in (score_query(Board.XP, ALL_TIME, 4242), ahead_query(Board.XP, ALL_TIME, 100),
                      top_query(Board.XP, ALL_TIME, 20)):
            sql = str(query.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
            plan = [row[-1] for row in session.execute(text("EXPLAIN QUERY PLAN " + sql))]
            assert plan and all(step.startswith("SEARCH") for step in plan), plan  # no SCAN
            assert all("INDEX" in step or "PRIMARY KEY" in step for step in plan), plan


@pytest.fixture
def redis_game(make_app, redis_url):
    prefix = f"legends-test:{secrets.token_hex(4)}"
    app = make_app(REDIS_URL=redis_url, LEADERBOARD_PREFIX=prefix)
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    yield Game(app)
    board = app.extensions["legends.leaderboard"]
    keys = list(board.client.scan_iter(f"{prefix}:*"))
    if keys:
        board.client.delete(*keys)


def test_the_redis_leaderboard_answers_like_the_sql_one(redis_game):
    game = redis_game
    redis_board = game.app.extensions["legends.leaderboard"]
    assert isinstance(redis_board, RedisLeaderboard)
    players = [game.player() for _ in range(4)]
    for i, player in enumerate(players):  # 1..4 days of check-ins: 10..40 XP
        for day in range(i + 1):
            with game.sessions.begin() as session:
                service.check_in(session, player, game.now.replace(day=22 + day), sink=game.sink)

    def answers(board):
        with game.sessions() as session:
            top = board.top(session, Board.XP, ALL_TIME, 10)
            return ([(e.rank, e.player_id, e.score, e.address) for e in top],
                    board.rank_of(session, Board.XP, ALL_TIME, players[1].id))

    assert answers(redis_board) == answers(BOARD)
    assert answers(BOARD)[1].rank == 3
    redis_board.client.delete(redis_board.key(Board.XP, ALL_TIME))  # a flushed Redis rebuilds
    assert answers(redis_board) == answers(BOARD)
