"""Leaderboards: all-time and weekly, by XP and by shards, with the player's own rank.

Totals live in ``leaderboard_score`` and change in the same transaction as the completion
that earned them. Ranks are competition ranks (equal scores share a rank): 1 + the number
of players with a strictly higher score, which the (board, period, score) index answers
with a range count, never a scan. ``legends.wiring.leaderboards`` mirrors the same interface on a
Redis sorted set when REDIS_URL is configured.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Select, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from quests.definitions import Recurrence, Rewards
from quests.orm import Player, utcnow
from quests.progress import period_key
from quests.store import LeaderboardScore

ALL_TIME = "all"


class Board(StrEnum):
    XP = "xp"
    SHARDS = "shards"


def week_of(at: datetime) -> str:
    """The weekly board's period: the ISO week, as weekly quests use (``2026-W47``)."""
    return period_key(Recurrence.WEEKLY, at)


def score_deltas(rewards: Rewards) -> dict[Board, int]:
    """What a completion adds to each board."""
    return {Board.XP: rewards.xp, Board.SHARDS: sum(rewards.shards.values())}


@dataclass(frozen=True)
class Entry:
    rank: int
    player_id: int
    score: int
    address: str | None = None


class Leaderboard(Protocol):
    """Reading a board (``period`` is ``"all"`` or a week like ``"2026-W47"``). Entries are
    ordered by score, then player id, highest first; ``after`` (a player id on the board)
    pages past that player."""

    def top(self, session: Session, board: Board, period: str, limit: int,
            after: int | None = None) -> list[Entry]: ...

    def rank_of(self, session: Session, board: Board, period: str, player_id: int) -> Entry | None: ...


def add_scores(session: Session, player_id: int, deltas: Mapping[Board, int], at: datetime) -> None:
    """Add ``deltas`` (negative to take back) to the player's all-time and weekly totals."""
    rows = [
        {"board": str(board), "period": p, "player_id": player_id, "score": delta,
         "updated_at": utcnow()}
        for board, delta in deltas.items() if delta
        for p in (ALL_TIME, week_of(at))
    ]
    if not rows:
        return
    # An upsert, so two completions racing for one player's first row both count; built
    # once per dialect and sent with every row in one executemany.
    session.execute(_upsert(session.get_bind().dialect.name), rows)


@cache
def _upsert(dialect: str) -> Any:
    module = {"postgresql": postgresql, "sqlite": sqlite}[dialect]
    insert = module.insert(LeaderboardScore.__table__)
    return insert.on_conflict_do_update(
        index_elements=["board", "period", "player_id"],
        set_={"score": LeaderboardScore.score + insert.excluded.score,
              "updated_at": insert.excluded.updated_at})


class SqlLeaderboard:
    """The leaderboard read straight from the indexed aggregate table."""

    def top(self, session: Session, board: Board, period: str, limit: int,
            after: int | None = None) -> list[Entry]:
        """The leaders, or the page after player ``after``. A page beyond the top costs one
        index range count for its first rank: that count (like ``rank_of``) grows with the
        players ahead, ~100 ms at 1M; Redis answers both in O(log N)."""
        query = top_query(board, period, limit)
        if after is not None:
            mark = session.scalar(score_query(board, period, after))
            if mark is None or mark <= 0:
                return []
            query = query.where((LeaderboardScore.score < mark)
                                | ((LeaderboardScore.score == mark)
                                   & (LeaderboardScore.player_id < after)))
        rows = [(pid, score, address) for pid, score, address in session.execute(query)]
        if after is None or not rows:
            return ranked(rows)
        first_id, first_score = rows[0][0], rows[0][1]
        first_rank = (session.scalar(ahead_query(board, period, first_score)) or 0) + 1
        tied_before = session.scalar(select(func.count()).select_from(LeaderboardScore).where(
            LeaderboardScore.board == str(board), LeaderboardScore.period == period,
            LeaderboardScore.score == first_score, LeaderboardScore.player_id > first_id)) or 0
        return ranked(rows, first_rank, first_rank + tied_before)

    def rank_of(self, session: Session, board: Board, period: str, player_id: int) -> Entry | None:
        score = session.scalar(score_query(board, period, player_id))
        if not score or score <= 0:
            return None
        return Entry((session.scalar(ahead_query(board, period, score)) or 0) + 1, player_id, score)


def top_query(board: Board, period: str, limit: int) -> Select[Any]:
    """The leaders, highest score first (walks the rank index backwards)."""
    return (select(LeaderboardScore.player_id, LeaderboardScore.score, Player.address)
            .join(Player, Player.id == LeaderboardScore.player_id)
            .where(LeaderboardScore.board == str(board), LeaderboardScore.period == period,
                   LeaderboardScore.score > 0)
            .order_by(LeaderboardScore.score.desc(), LeaderboardScore.player_id.desc())
            .limit(limit))


def score_query(board: Board, period: str, player_id: int) -> Select[Any]:
    """One player's score (the unique (board, period, player) index)."""
    return select(LeaderboardScore.score).where(
        LeaderboardScore.board == str(board), LeaderboardScore.period == period,
        LeaderboardScore.player_id == player_id)


def ahead_query(board: Board, period: str, score: int) -> Select[Any]:
    """How many players are strictly ahead of ``score`` (an index range count)."""
    return select(func.count()).select_from(LeaderboardScore).where(
        LeaderboardScore.board == str(board), LeaderboardScore.period == period,
        LeaderboardScore.score > score)


def ranked(rows: list[tuple[int, int, str | None]], first_rank: int = 1,
           first_position: int | None = None) -> list[Entry]:
    """Competition ranks for rows sorted by score, highest first. A page beyond the top
    gives its first row's rank (1 + players with a higher score) and position (1 + players
    ordered before it, ties included)."""
    start = first_rank if first_position is None else first_position
    entries: list[Entry] = []
    for i, (player_id, score, address) in enumerate(rows):
        if not entries:
            rank = first_rank
        else:
            rank = entries[-1].rank if entries[-1].score == score else start + i
        entries.append(Entry(rank, player_id, score, address))
    return entries
