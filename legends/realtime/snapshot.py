"""The fresh state a client gets with ``resync`` (its history is gone or of another epoch)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from legends.realtime.store import PUBLIC, position, since
from quests.leaderboard import ALL_TIME, Board, SqlLeaderboard
from quests.orm import Player
from quests.overview import player_summary, quest_list


def snapshot(session: Session, stream: str, now: datetime) -> dict[str, Any]:
    """The stream's position and what its events would have told: a player's standing and
    quests, or the public leaderboard's top ten."""
    epoch, offset = position(session, stream)
    body: dict[str, Any] = {"stream": stream, "epoch": epoch, "offset": offset}
    if stream == PUBLIC:
        board = SqlLeaderboard()
        body["leaderboards"] = {
            str(b): [{"rank": e.rank, "address": e.address, "score": e.score}
                     for e in board.top(session, b, ALL_TIME, 10)] for b in Board}
        return body
    address = stream.split(":", 1)[1]
    player = session.scalar(select(Player).where(func.lower(Player.address) == address))
    body["player"] = player_summary(session, player)
    body["quests"] = [{"id": c["id"], "status": c["status"], "period": c["period"]}
                      for c in quest_list(session, player, now)] if player else []
    return body


def catch_up(session: Session, stream: str, offset: Any, epoch: Any, now: datetime,
             limit: int) -> dict[str, Any]:
    """The answer to a client at (``offset``, ``epoch``): ``{"events": [...]}`` in order, or
    ``{"resync": snapshot, "reason": ...}``; both say the stream's epoch and last offset."""
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        return {"resync": snapshot(session, stream, now), "reason": "no valid offset"}
    found = since(session, stream, offset, epoch if isinstance(epoch, str) else None, limit)
    if found.resync:
        return {"resync": snapshot(session, stream, now), "reason": found.reason}
    return {"events": [e.wire() for e in found.events], "epoch": found.epoch,
            "offset": found.last_offset}
