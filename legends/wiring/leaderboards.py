"""Which leaderboard the app reads: the indexed SQL table, or with REDIS_URL a Redis sorted
set per (board, period) mirroring it.

The SQL table stays the truth (it changes in the completion's transaction). After each
commit the sink writes the players' new absolute totals to Redis (``ZADD``; never a
relative increment, so a rebuild and a late mirror cannot count anything twice). A board
missing from Redis (a flushed or new server) is rebuilt from SQL on first read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from quests.leaderboard import ALL_TIME, Board, Entry, Leaderboard, SqlLeaderboard, ranked, week_of
from quests.orm import Player
from quests.store import LeaderboardScore

PENDING = "legends.leaderboard.pending"
log = logging.getLogger(__name__)


class RedisLeaderboard:
    """``quests.leaderboard.Leaderboard`` on Redis sorted sets (members are player ids)."""

    def __init__(self, client: Any, prefix: str = "legends:leaderboard") -> None:
        self.client = client
        self.prefix = prefix

    def key(self, board: Board | str, period: str) -> str:
        return f"{self.prefix}:{board}:{period}"

    # -- writing: after the SQL transaction commits ---------------------------------------
    def mirror(self, session: Session, player_id: int, at: datetime) -> None:
        """Queue the player's current totals (as this transaction leaves them) for Redis."""
        periods = (ALL_TIME, week_of(at))
        rows = session.execute(select(LeaderboardScore.board, LeaderboardScore.period,
                                      LeaderboardScore.score).where(
            LeaderboardScore.player_id == player_id, LeaderboardScore.period.in_(periods)))
        pending = session.info.setdefault(PENDING, {})
        if not session.info.get(PENDING + ".hooked"):
            event.listen(session, "after_commit", self._flush)
            event.listen(session, "after_soft_rollback", lambda s, _t: s.info.pop(PENDING, None))
            session.info[PENDING + ".hooked"] = True
        for board, period, score in rows:
            pending[(self.key(board, period), str(player_id))] = score

    def _flush(self, session: Session) -> None:
        pending = session.info.pop(PENDING, None) or {}
        if not pending:
            return
        try:
            pipe = self.client.pipeline()
            for (key, member), score in pending.items():
                pipe.zadd(key, {member: score})
            pipe.execute()
        except Exception:  # the commit stands; drop the mirror so the next read rebuilds it
            log.exception("leaderboard mirror to Redis failed")
            try:
                self.client.delete(*{key for key, _ in pending})
            except Exception:
                log.warning("could not drop the stale Redis leaderboards either")

    # -- reading ----------------------------------------------------------------------------
    def top(self, session: Session, board: Board, period: str, limit: int) -> list[Entry]:
        key = self._ready(session, board, period)
        pairs = self.client.zrevrangebyscore(key, "+inf", "(0", start=0, num=limit, withscores=True)
        ids = [int(member) for member, _ in pairs]
        addresses = _addresses(session, ids)
        return ranked([(pid, int(score), addresses.get(pid)) for pid, (_, score) in zip(ids, pairs)])

    def rank_of(self, session: Session, board: Board, period: str, player_id: int) -> Entry | None:
        key = self._ready(session, board, period)
        score = self.client.zscore(key, str(player_id))
        if score is None or score <= 0:
            return None
        higher = self.client.zcount(key, f"({score}", "+inf")
        return Entry(int(higher) + 1, player_id, int(score))

    def _ready(self, session: Session, board: Board, period: str) -> str:
        key = self.key(board, period)
        if not self.client.exists(key):
            self.rebuild(session, board, period)
        return key

    def rebuild(self, session: Session, board: Board, period: str) -> int:
        """Load one board from SQL (absolute totals: safe to repeat)."""
        rows = session.execute(select(LeaderboardScore.player_id, LeaderboardScore.score).where(
            LeaderboardScore.board == str(board), LeaderboardScore.period == period))
        scores = {str(pid): score for pid, score in rows}
        if scores:
            self.client.zadd(self.key(board, period), scores)
        return len(scores)


def _addresses(session: Session, ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    query = select(Player.id, Player.address).where(Player.id.in_(ids))
    return {pid: address for pid, address in session.execute(query)}


def init_app(app: Flask) -> RedisLeaderboard | None:
    """Choose the leaderboard; returns the Redis one (for the sink to mirror) if any."""
    url = app.config.get("REDIS_URL")
    if url:
        import redis

        board = RedisLeaderboard(redis.Redis.from_url(url),
                                 prefix=app.config["LEADERBOARD_PREFIX"])
        app.extensions["legends.leaderboard"] = board
        return board
    app.extensions["legends.leaderboard"] = SqlLeaderboard()
    return None


def get_leaderboard() -> Leaderboard:
    return current_app.extensions["legends.leaderboard"]
