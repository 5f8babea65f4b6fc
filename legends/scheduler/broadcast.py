"""Announcements to everybody (signed in or not): the one place the scheduler talks to
players. They are public events of the realtime event log (``legends.realtime.events``),
written in the job's own transaction, so an announcement goes out only if the job's work
committed, and a client that was offline reads it back on reconnect. The event log sends
them after the commit, through Redis when REDIS_URL is set (the scheduler process emits
write-only, like the other worker processes)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from legends.realtime.events import announce as record_announcement

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def announce(session: Session, message: str, kind: str, at: datetime | None = None,
             **details: Any) -> None:
    """Log a public ``announcement`` event: ``message`` (what a player reads, as for
    ``legends realtime announce``) and ``kind`` (what happened: ``campaign.opened``...)."""
    record_announcement(session, message, at, kind=kind, **details)
