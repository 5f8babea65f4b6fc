"""The Redis leaderboard at scale: the same answers as SQL at every position and page,
rebuilt off the request path in chunks under a lock, weekly boards that expire."""

from __future__ import annotations

import secrets
import threading
import time

import pytest
from plan_guard import capture
from sqlalchemy import insert

from legends.wiring import leaderboards
from legends.wiring.leaderboards import RedisLeaderboard, expires_at, member
from quests.leaderboard import ALL_TIME, Board, SqlLeaderboard
from quests.orm import Player
from quests.store import LeaderboardScore

pytestmark = pytest.mark.redis
SQL = SqlLeaderboard()
PLAYERS = 240
WEEK = "2026-W47"


@pytest.fixture
def boards(make_app, redis_url):
    """A SQLite app with PLAYERS scored players (many ties) and its Redis leaderboard."""
    prefix = f"legends-test:{secrets.token_hex(4)}"
    app = make_app(REDIS_URL=redis_url, LEADERBOARD_PREFIX=prefix)
    sessions = app.extensions["legends.db"].sessions
    with sessions.begin() as session:
        session.execute(insert(Player), [
            {"id": i, "address": f"0x{i:040x}", "referral_code": f"r{i}", "xp": 0}
            for i in range(1, PLAYERS + 1)])
        session.execute(insert(LeaderboardScore), [
            {"board": "xp", "period": period, "player_id": i, "score": (i * 37) % 50}
            for i in range(1, PLAYERS + 1) for period in (ALL_TIME, WEEK)])
    board = app.extensions["legends.leaderboard"]
    assert isinstance(board, RedisLeaderboard)
    yield sessions, board
    for thread in board.rebuilding.values():
        thread.join(10)
    keys = list(board.client.scan_iter(f"{prefix}:*"))
    if keys:
        board.client.delete(*keys)


def warm(sessions, board, period=ALL_TIME):
    with sessions() as session:
        board.top(session, Board.XP, period, 1)
    board.rebuilding[board.key(Board.XP, period)].join(10)
    assert board.client.exists(board.key(Board.XP, period))


def pages(sessions, source, size=17):
    with sessions() as session:
        out, after = [], None
        while True:
            page = source.top(session, Board.XP, ALL_TIME, size, after)
            if not page:
                return out
            out += [(e.rank, e.player_id, e.score, e.address) for e in page]
            after = page[-1].player_id


def test_a_cold_board_is_answered_from_sql_while_it_rebuilds_then_from_redis(boards):
    sessions, board = boards
    with sessions() as session:
        cold = board.top(session, Board.XP, ALL_TIME, 10)  # no key yet: SQL answers
        assert cold == SQL.top(session, Board.XP, ALL_TIME, 10)
    board.rebuilding[board.key(Board.XP, ALL_TIME)].join(10)
    with sessions() as session:
        for pid in (1, 2, 120, PLAYERS - 1, PLAYERS):  # top, middle, bottom, zero score
            assert board.rank_of(session, Board.XP, ALL_TIME, pid) == \
                SQL.rank_of(session, Board.XP, ALL_TIME, pid)
    assert pages(sessions, board) == pages(sessions, SQL)
    listed = pages(sessions, SQL)
    assert len(listed) == sum(1 for i in range(1, PLAYERS + 1) if (i * 37) % 50 > 0)
    ranks = [r for r, *_ in listed]
    assert ranks == sorted(ranks) and ranks[0] == 1  # ties share a rank across page breaks


def test_a_warm_board_answers_ranks_and_pages_without_touching_sql(boards):
    """Ranks at any position cost O(log N) in Redis, nothing in SQL (speed is measured by
    ``python -m bench scale``, not asserted here)."""
    sessions, board = boards
    warm(sessions, board)
    engine = sessions.kw["bind"]
    with capture(engine) as seen, sessions() as session:
        for pid in range(1, PLAYERS + 1, 7):
            board.rank_of(session, Board.XP, ALL_TIME, pid)
    assert seen.statements == []


def test_only_one_process_rebuilds_and_chunks_keep_redis_responsive(boards, monkeypatch):
    sessions, board = boards
    monkeypatch.setattr(leaderboards, "CHUNK", 7)
    calls: list[int] = []
    real_zadd = board.client.zadd

    def counting_zadd(key, mapping, **kw):  # type: ignore[no-untyped-def]
        calls.append(len(mapping))
        time.sleep(0.002)  # a slow chunk: the other rebuild must find the lock taken
        return real_zadd(key, mapping, **kw)

    monkeypatch.setattr(board.client, "zadd", counting_zadd)
    results: list[int | None] = []

    def rebuild() -> None:
        with sessions() as session:
            results.append(board.rebuild(session, Board.XP, ALL_TIME))

    threads = [threading.Thread(target=rebuild) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results, key=lambda r: r is None) == [PLAYERS, None]
    assert max(calls) <= 7
    assert board.client.zcard(board.key(Board.XP, ALL_TIME)) == PLAYERS + 1  # + the placeholder
    assert not list(board.client.scan_iter(board.key(Board.XP, ALL_TIME) + ":*"))


def test_a_mirror_write_during_a_rebuild_reaches_the_new_board(boards):
    sessions, board = boards
    key = board.key(Board.XP, ALL_TIME)
    temp = key + ":rebuild:test"
    board.client.set(key + ":building", temp)
    board._mirror(keys=[key], args=[member(5), 999, 0])
    assert board.client.zscore(temp, member(5)) == 999 and not board.client.exists(key)
    board.client.delete(key + ":building", temp)


def test_weekly_boards_expire_two_weeks_after_their_week_and_all_time_never(boards):
    sessions, board = boards
    warm(sessions, board, WEEK)
    warm(sessions, board, ALL_TIME)
    at = board.client.expiretime(board.key(Board.XP, WEEK))
    assert at == expires_at(WEEK) and at > 0
    assert board.client.ttl(board.key(Board.XP, ALL_TIME)) == -1


def test_a_rebuild_over_a_warm_board_replaces_it_whole_and_frees_the_old_one(boards):
    sessions, board = boards
    warm(sessions, board, WEEK)
    key = board.key(Board.XP, WEEK)
    board.client.zadd(key, {"000000099999": 7})  # a member SQL does not know of
    with sessions() as session:
        assert board.rebuild(session, Board.XP, WEEK) == PLAYERS
    assert board.client.zscore(key, "000000099999") is None  # the board is SQL's again
    assert board.client.zcard(key) == PLAYERS + 1  # players + the placeholder member 0
    assert board.client.expiretime(key) == expires_at(WEEK)
    assert not list(board.client.scan_iter(f"{key}:*"))  # no old board, lock or marker left
