"""Which leaderboard the app reads: the indexed SQL table, or with REDIS_URL a Redis sorted
set per (board, period) mirroring it, which answers a rank at any position in O(log N).

The SQL table stays the truth (it changes in the completion's transaction). After each
commit the sink writes the players' new absolute totals to Redis (``ZADD``; never a
relative increment, so a rebuild and a late mirror cannot count anything twice). Members
are zero-padded player ids, so equal scores order by player id exactly as the SQL index
(score, player id) does: the member is the tie-breaking half of the composite key, and no
float composite can lose precision. Weekly keys expire ``WEEK_KEPT`` after their week ends
(the weekly payout reads them before).

A board missing from Redis (a flushed or new server, an expired week) is rebuilt without
blocking anybody: one process takes a lock, loads SQL in chunks into a temporary key
(``CHUNK`` members per ``ZADD``, so other Redis clients wait at most one chunk) and renames
it into place; meanwhile every reader, the rebuilding one included, is answered from SQL.
Mirror writes that land during a rebuild go to the temporary key too (a Lua script reads
the ``:building`` marker) and chunks load with ``GT``, so the renamed board misses no
write (a withdrawal racing its own chunk may keep the higher total until the next write).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from quests.leaderboard import (
    ALL_TIME,
    Board,
    Entry,
    Leaderboard,
    SqlLeaderboard,
    ranked,
    week_of,
)
from quests.orm import Player
from quests.store import LeaderboardScore

PENDING = "legends.leaderboard.pending"
CHUNK = 5_000
LOCK_SECONDS = 600
WEEK_KEPT = timedelta(days=14)
log = logging.getLogger(__name__)

# KEYS: boards; ARGV: member, score, expire-at (0: never) per key. Writes only to boards that
# exist (a cold board is rebuilt from SQL) and to the one being rebuilt, if any.
MIRROR_SCRIPT = """
for i, key in ipairs(KEYS) do
  local member, score, at = ARGV[3*i-2], ARGV[3*i-1], tonumber(ARGV[3*i])
  if redis.call('EXISTS', key) == 1 then
    redis.call('ZADD', key, score, member)
    if at > 0 then redis.call('EXPIREAT', key, at) end
  end
  local building = redis.call('GET', key .. ':building')
  if building then redis.call('ZADD', building, score, member) end
end
return 0
"""


# KEYS: board, rebuilt board, a name for the old one; ARGV: expire-at (0: never). A RENAME
# over an existing key frees the old set in the server's thread (1.3 s for 630k members):
# the old board is moved aside and UNLINKed (freed in the background) instead.
SWAP_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[3])
  redis.call('UNLINK', KEYS[3])
end
redis.call('RENAME', KEYS[2], KEYS[1])
if tonumber(ARGV[1]) > 0 then redis.call('EXPIREAT', KEYS[1], ARGV[1]) end
return 0
"""


def member(player_id: int) -> str:
    return f"{player_id:012d}"


def expires_at(period: str) -> int:
    """When a board's key expires: never for all-time, ``WEEK_KEPT`` after a week ends."""
    if period == ALL_TIME:
        return 0
    monday = datetime.strptime(period + "-1", "%G-W%V-%u").replace(tzinfo=UTC)
    return int((monday + timedelta(days=7) + WEEK_KEPT).timestamp())


class RedisLeaderboard:
    """``quests.leaderboard.Leaderboard`` on Redis sorted sets (members: padded player ids)."""

    def __init__(self, client: Any, prefix: str = "legends:leaderboard") -> None:
        self.client = client
        self.prefix = prefix
        self.sql = SqlLeaderboard()
        self.rebuilding: dict[str, threading.Thread] = {}
        self._mirror = client.register_script(MIRROR_SCRIPT)
        self._swap = client.register_script(SWAP_SCRIPT)

    def key(self, board: Board | str, period: str) -> str:
        return f"{self.prefix}:v2:{board}:{period}"

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
            pending[(self.key(board, period), member(player_id))] = (score, expires_at(period))

    def _flush(self, session: Session) -> None:
        pending = session.info.pop(PENDING, None) or {}
        if not pending:
            return
        keys = [key for key, _ in pending]
        args = [a for (_, m), (score, at) in pending.items() for a in (m, score, at)]
        try:
            self._mirror(keys=keys, args=args)
        except Exception:  # the commit stands; drop the mirror so the next read rebuilds it
            log.exception("leaderboard mirror to Redis failed")
            try:
                self.client.delete(*set(keys))
            except Exception:
                log.warning("could not drop the stale Redis leaderboards either")

    # -- reading ----------------------------------------------------------------------------
    def top(self, session: Session, board: Board, period: str, limit: int,
            after: int | None = None) -> list[Entry]:
        key = self._ready(session, board, period)
        if key is None:
            return self.sql.top(session, board, period, limit, after)
        start = 0
        if after is not None:
            position = self.client.zrevrank(key, member(after))
            if position is None:
                return []
            start = position + 1
        pairs = [(m, s) for m, s in self.client.zrevrange(key, start, start + limit - 1,
                                                           withscores=True) if s > 0]
        ids = [int(m) for m, _ in pairs]
        addresses = _addresses(session, ids)
        rows = [(pid, int(score), addresses.get(pid)) for pid, (_, score) in zip(ids, pairs)]
        if not rows or start == 0:
            return ranked(rows)
        higher = self.client.zcount(key, f"({rows[0][1]}", "+inf")
        return ranked(rows, int(higher) + 1, start + 1)

    def rank_of(self, session: Session, board: Board, period: str, player_id: int) -> Entry | None:
        key = self._ready(session, board, period)
        if key is None:
            return self.sql.rank_of(session, board, period, player_id)
        score = self.client.zscore(key, member(player_id))
        if score is None or score <= 0:
            return None
        higher = self.client.zcount(key, f"({score}", "+inf")
        return Entry(int(higher) + 1, player_id, int(score))

    def ready_key(self, session: Session, board: Board, period: str) -> str | None:
        """The board's key when it is in Redis (else a rebuild starts and the answer is None)."""
        return self._ready(session, board, period)

    def _ready(self, session: Session, board: Board, period: str) -> str | None:
        """The board's key when it is in Redis; otherwise start a rebuild and return None
        (the caller answers from SQL)."""
        key = self.key(board, period)
        if self.client.exists(key):
            return key
        running = self.rebuilding.get(key)
        if (running is not None and running.is_alive()) or self.client.exists(f"{key}:lock"):
            return None
        engine = session.get_bind()
        thread = threading.Thread(target=self._rebuild_in_background, daemon=True,
                                  args=(engine, board, period), name=f"rebuild {key}")
        self.rebuilding[key] = thread
        thread.start()
        return None

    def _rebuild_in_background(self, engine: Any, board: Board, period: str) -> None:
        try:
            with Session(engine) as session:
                self.rebuild(session, board, period)
        except Exception:
            log.exception("rebuilding the %s %s leaderboard in Redis failed", board, period)

    def rebuild(self, session: Session, board: Board, period: str) -> int | None:
        """Load one board from SQL into a temporary key in chunks, then rename it into place.
        Returns the members loaded, or None when another process holds the rebuild lock."""
        key = self.key(board, period)
        token = secrets.token_hex(8)
        if not self.client.set(f"{key}:lock", token, nx=True, ex=LOCK_SECONDS):
            return None
        temp = f"{key}:rebuild:{token}"
        try:
            # Player 0 (score 0, never listed) keeps an empty board's key in Redis.
            self.client.zadd(temp, {member(0): 0})
            self.client.set(f"{key}:building", temp, ex=LOCK_SECONDS)
            loaded, last = 0, 0
            while True:  # keyset pages over the unique (board, period, player) index
                rows = session.execute(
                    select(LeaderboardScore.player_id, LeaderboardScore.score).where(
                        LeaderboardScore.board == str(board), LeaderboardScore.period == period,
                        LeaderboardScore.player_id > last)
                    .order_by(LeaderboardScore.player_id).limit(CHUNK)).all()
                if not rows:
                    break
                # GT: a mirror write that reached the temporary key first is newer.
                self.client.zadd(temp, {member(pid): score for pid, score in rows}, gt=True)
                loaded, last = loaded + len(rows), rows[-1][0]
            session.rollback()
            self._swap(keys=[key, temp, f"{key}:old:{token}"], args=[expires_at(period)])
            return loaded
        finally:
            self.client.delete(f"{key}:building", temp)
            if self.client.get(f"{key}:lock") in (token, token.encode()):
                self.client.delete(f"{key}:lock")


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
