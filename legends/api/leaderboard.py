"""Leaderboards: all-time or this week, by XP or by shards, with the caller's own rank."""

from __future__ import annotations

from flask import jsonify

from legends.api import api
from legends.api.play import choice_arg, int_arg, optional_player
from legends.db import get_db
from legends.wiring.game import now
from legends.wiring.leaderboards import get_leaderboard
from quests.leaderboard import ALL_TIME, Board, week_of


@api.get("/leaderboard")
def leaderboard():  # type: ignore[no-untyped-def]
    board = Board(choice_arg("board", ("xp", "shards"), "xp"))
    span = choice_arg("period", ("all", "week"), "all")
    limit = int_arg("limit", 20, 1, 100)
    after = int_arg("after", 0, 0, 2**53) or None  # a player id: the page after them
    period = ALL_TIME if span == "all" else week_of(now())
    player = optional_player()
    source = get_leaderboard()
    with get_db().sessions() as db:
        top = source.top(db, board, period, limit, after)
        mine = source.rank_of(db, board, period, player.id) if player else None
    return jsonify({
        "board": str(board), "period": span, "week": None if span == "all" else period,
        "entries": [{"rank": e.rank, "player_id": e.player_id, "address": e.address,
                     "score": e.score} for e in top],
        "next": top[-1].player_id if len(top) == limit else None,
        "me": None if player is None else {
            "address": player.address, "rank": mine.rank if mine else None,
            "score": mine.score if mine else 0},
    })
