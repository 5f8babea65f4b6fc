"""Leaderboards: all-time or this week, by XP or by shards, with the caller's own rank."""

from __future__ import annotations

from legends.api import api
from legends.api.contract import operation, reply
from legends.api.leaderboard_models import BoardQuery, Leaderboard
from legends.api.play import optional_player
from legends.db import get_db
from legends.wiring.game import now
from legends.wiring.leaderboards import get_leaderboard
from quests.leaderboard import ALL_TIME, Board, week_of


@operation(api.get, "/leaderboard", ok={200: Leaderboard}, errors=(400,), tag="leaderboard")
def leaderboard(query: BoardQuery):  # type: ignore[no-untyped-def]
    """Top players and your own rank"""
    board = Board(query.board)
    period = ALL_TIME if query.period == "all" else week_of(now())
    player = optional_player()
    source = get_leaderboard()
    with get_db().sessions() as db:
        top = source.top(db, board, period, query.limit, query.after)
        mine = source.rank_of(db, board, period, player.id) if player else None
    return reply(Leaderboard, {
        "board": str(board), "period": query.period,
        "week": None if query.period == "all" else period,
        "entries": [{"rank": e.rank, "player_id": e.player_id, "address": e.address,
                     "score": e.score} for e in top],
        "next": top[-1].player_id if len(top) == query.limit else None,
        "me": None if player is None else {
            "address": player.address, "rank": mine.rank if mine else None,
            "score": mine.score if mine else 0},
    })
