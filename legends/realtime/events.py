"""Recording events: each one is written to the event log in the caller's transaction and
sent to its room only once that transaction commits (nobody hears of a change that was
rolled back; a change that committed is in the log even if the send fails)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from legends.realtime.emitter import Broadcaster
from legends.realtime.store import PUBLIC, Envelope, append, player_stream

PENDING = "legends.realtime.pending"
HOOKED = PENDING + ".hooked"
BROADCASTER = "legends.realtime.broadcaster"

QUEST_AVAILABLE = "quest.available"
QUEST_PROGRESS = "quest.progress"
QUEST_COMPLETED = "quest.completed"
QUEST_WITHDRAWN = "quest.withdrawn"
REWARD_MINTED = "reward.minted"
CRAFT_DONE = "craft.done"
FAUCET_CLAIMED = "faucet.claimed"
LEADERBOARD_CHANGED = "leaderboard.changed"
ANNOUNCEMENT = "announcement"
PLAYER_EVENTS = (QUEST_AVAILABLE, QUEST_PROGRESS, QUEST_COMPLETED, QUEST_WITHDRAWN,
                 REWARD_MINTED, CRAFT_DONE, FAUCET_CLAIMED, LEADERBOARD_CHANGED)
PUBLIC_EVENTS = (ANNOUNCEMENT, LEADERBOARD_CHANGED)

_fallback = Broadcaster()


def install(broadcaster: Broadcaster) -> None:
    """The broadcaster for sessions that do not carry one (made outside the app's factory)."""
    global _fallback
    _fallback = broadcaster


def record(session: Session, stream: str, kind: str, payload: dict[str, Any],
           at: datetime | None = None) -> Envelope:
    """Log an event for ``stream`` now; it is sent after the commit."""
    envelope = append(session, stream, kind, payload, at)
    if not session.info.get(HOOKED):
        event.listen(session, "after_commit", _send_committed)
        event.listen(session, "after_soft_rollback", lambda s, _t: s.info.pop(PENDING, None))
        session.info[HOOKED] = True
    session.info.setdefault(PENDING, []).append(envelope)
    return envelope


def for_player(session: Session, address: str, kind: str, payload: dict[str, Any],
               at: datetime | None = None) -> Envelope:
    return record(session, player_stream(address), kind, payload, at)


def announce(session: Session, message: str, at: datetime | None = None, **extra: Any) -> Envelope:
    """A message to everybody (signed in or not)."""
    return record(session, PUBLIC, ANNOUNCEMENT, {"message": message, **extra}, at)


def pending(session: Session) -> list[Envelope]:
    """Events the open transaction will send once it commits."""
    return list(session.info.get(PENDING, []))


def _send_committed(session: Session) -> None:
    envelopes = session.info.pop(PENDING, None)
    if not envelopes:
        return
    broadcaster = session.info.get(BROADCASTER) or _fallback
    for envelope in envelopes:
        broadcaster.send(envelope)
