"""The event log: one stream per player (and one public stream), each event a row with
the stream's next ``offset``; the stream's ``epoch`` names its history.

Offsets are allocated by one ``UPDATE .. SET last_offset = last_offset + 1 .. RETURNING``
on the stream's row, inside the caller's transaction: PostgreSQL holds that row's lock
until the commit, SQLite holds its single writer lock, so two transactions writing to one
stream take turns and the offsets of committed events have no gaps and no repeats.
An epoch changes only when a stream starts afresh (a new or restored database, a reset):
a client holding an offset of another epoch cannot trust it and is sent a snapshot.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, String, case, delete, event, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from quests.orm import Base, intpk, utcnow
from quests.store import UtcDateTime

PUBLIC = "public"


def player_stream(address: str) -> str:
    """The stream (and Socket.IO room) of a player's own events."""
    return f"player:{address.lower()}"


class RealtimeStream(Base):
    """A stream's position: the last offset handed out and the epoch of its history."""

    __tablename__ = "realtime_stream"

    stream: Mapped[str] = mapped_column(String(64), primary_key=True)
    epoch: Mapped[str] = mapped_column(String(16))
    last_offset: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class RealtimeEvent(Base):
    """One event as delivered: ``(stream, offset)`` is unique, offsets grow by one."""

    __tablename__ = "realtime_event"
    __table_args__ = (
        Index("uq_realtime_event_stream_offset", "stream", "offset", unique=True),
        Index("ix_realtime_event_created_at", "created_at"),
    )

    id: Mapped[intpk]
    stream: Mapped[str] = mapped_column(String(64))
    offset: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


@dataclass(frozen=True)
class Envelope:
    """An event as the client receives it."""

    stream: str
    type: str
    offset: int
    epoch: str
    at: datetime
    payload: dict[str, Any]

    def wire(self) -> dict[str, Any]:
        return {"type": self.type, "offset": self.offset, "epoch": self.epoch,
                "at": self.at.isoformat(), "payload": self.payload}


@dataclass(frozen=True)
class Catchup:
    """What a client missed since its offset: the events in order, or ``resync`` when the
    history it needs is gone (purged, or another epoch)."""

    epoch: str
    last_offset: int
    events: list[Envelope] = field(default_factory=list)
    resync: bool = False
    reason: str | None = None


def _upsert_stream(session: Session, stream: str) -> None:
    dialect = session.get_bind().dialect.name
    module = {"postgresql": postgresql, "sqlite": sqlite}.get(dialect)
    if module is None:
        raise NotImplementedError(f"the event log needs SQLite or PostgreSQL, not {dialect}")
    session.execute(module.insert(RealtimeStream.__table__).values(
        stream=stream, epoch=new_epoch(), last_offset=0, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["stream"]))


def new_epoch() -> str:
    return secrets.token_hex(4)


HELD = "legends.realtime.held"
_INSERT_EVENT = RealtimeEvent.__table__.insert()


def append(session: Session, stream: str, kind: str, payload: dict[str, Any],
           at: datetime | None = None) -> Envelope:
    """Write an event in the caller's transaction; returns it with its offset and epoch.

    The stream's first event in a transaction bumps its counter (taking the stream's row
    lock until the commit); the next ones count on from there, and all of them are written
    in one ``INSERT`` (and the counter in one ``UPDATE``) before the commit, or before this
    module reads the log again in the same transaction."""
    at = at or utcnow()
    held = _held(session)
    entry = held.get(stream)
    if entry is None:
        bump = (update(RealtimeStream).where(RealtimeStream.stream == stream)
                .values(last_offset=RealtimeStream.last_offset + 1)
                .returning(RealtimeStream.last_offset, RealtimeStream.epoch)
                .execution_options(synchronize_session=False))
        row = session.execute(bump).first()
        if row is None:
            _upsert_stream(session, stream)
            row = session.execute(bump).one()
        entry = held[stream] = {"epoch": str(row[1]), "last": int(row[0]), "written": int(row[0]),
                                "rows": []}
    else:
        entry["last"] += 1
    offset = entry["last"]
    entry["rows"].append({"stream": stream, "offset": offset, "type": kind, "payload": payload,
                          "created_at": at})
    return Envelope(stream, kind, offset, entry["epoch"], at, payload)


def _held(session: Session) -> dict[str, dict[str, Any]]:
    """The streams this transaction appended to, with their events not yet written."""
    session.connection()  # begins the transaction the entries belong to
    transaction = session.get_transaction()
    found = session.info.get(HELD)
    if found is None or found[0] is not transaction:
        found = session.info[HELD] = (transaction, {})
        if not session.info.get(HELD + ".hooked"):
            event.listen(session, "before_commit", settle)
            event.listen(session, "after_commit", lambda s: s.info.pop(HELD, None))
            event.listen(session, "after_soft_rollback", lambda s, _t: s.info.pop(HELD, None))
            session.info[HELD + ".hooked"] = True
    return found[1]


def settle(session: Session) -> None:
    """Write the events appended in this transaction and their streams' counters: one
    ``UPDATE`` for every stream's counter (their row locks are held since their first
    event) and one ``INSERT`` (executemany) for all the events, however many streams."""
    found = session.info.get(HELD)
    if found is None or found[0] is not session.get_transaction():
        return
    entries = found[1]
    moved = {stream: entry["last"] for stream, entry in entries.items() if entry["last"] != entry["written"]}
    if moved:
        session.execute(update(RealtimeStream).where(RealtimeStream.stream.in_(sorted(moved)))
                        .values(last_offset=case(moved, value=RealtimeStream.stream))
                        .execution_options(synchronize_session=False))
        for stream, last in moved.items():
            entries[stream]["written"] = last
    rows = [row for entry in entries.values() for row in entry["rows"]]
    if rows:
        session.execute(_INSERT_EVENT, rows)  # one executemany
        for entry in entries.values():
            entry["rows"] = []


def event_at(session: Session, stream: str, offset: int) -> Envelope | None:
    """One logged event (None once purged)."""
    row = session.execute(select(RealtimeEvent).where(
        RealtimeEvent.stream == stream, RealtimeEvent.offset == offset)).scalar_one_or_none()
    epoch = session.execute(select(RealtimeStream.epoch).where(RealtimeStream.stream == stream)).scalar()
    if row is None or epoch is None:
        return None
    return Envelope(stream, row.type, row.offset, epoch, row.created_at, row.payload)


def position(session: Session, stream: str) -> tuple[str, int]:
    """The stream's (epoch, last offset); a stream nobody wrote to yet is created empty, so
    its epoch stays the same once events arrive."""
    settle(session)
    row = session.execute(select(RealtimeStream.epoch, RealtimeStream.last_offset)
                          .where(RealtimeStream.stream == stream)).first()
    if row is None:
        _upsert_stream(session, stream)
        row = session.execute(select(RealtimeStream.epoch, RealtimeStream.last_offset)
                              .where(RealtimeStream.stream == stream)).one()
    return str(row[0]), int(row[1])


def since(session: Session, stream: str, offset: int, epoch: str | None,
          limit: int = 1000) -> Catchup:
    """The events of ``stream`` after ``offset`` in ``epoch``, or a resync verdict."""
    current, last = position(session, stream)
    if epoch != current:
        return Catchup(current, last, resync=True, reason="epoch changed")
    if offset > last:
        return Catchup(current, last, resync=True, reason="offset ahead of the stream")
    if offset == last:
        return Catchup(current, last)
    if last - offset > limit:
        return Catchup(current, last, resync=True, reason="too far behind")
    rows = session.execute(select(RealtimeEvent).where(
        RealtimeEvent.stream == stream, RealtimeEvent.offset > offset,
        RealtimeEvent.offset <= last).order_by(RealtimeEvent.offset)).scalars().all()
    if len(rows) != last - offset:  # some of them were purged
        return Catchup(current, last, resync=True, reason="events purged")
    return Catchup(current, last, [Envelope(stream, r.type, r.offset, current, r.created_at,
                                            r.payload) for r in rows])


def reset(session: Session, stream: str) -> str:
    """Start the stream's history afresh (a new epoch; old events go); returns the epoch."""
    settle(session)
    epoch = new_epoch()
    _upsert_stream(session, stream)
    session.execute(update(RealtimeStream).where(RealtimeStream.stream == stream)
                    .values(epoch=epoch, last_offset=0))
    session.execute(delete(RealtimeEvent).where(RealtimeEvent.stream == stream))
    return epoch


def purge_before(session: Session, cutoff: datetime) -> int:
    """Delete events older than ``cutoff``; returns how many went."""
    settle(session)
    result = session.execute(delete(RealtimeEvent).where(RealtimeEvent.created_at < cutoff)
                             .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_events(session: Session, now: datetime, retention_days: float = 7.0) -> int:
    """Housekeeping: drop events older than the retention (``REALTIME_RETENTION_DAYS``).
    A client that missed purged events gets a ``resync`` snapshot instead."""
    return purge_before(session, now - timedelta(days=retention_days))


def count(session: Session, stream: str | None = None) -> int:
    settle(session)
    query = select(func.count()).select_from(RealtimeEvent)
    if stream is not None:
        query = query.where(RealtimeEvent.stream == stream)
    return int(session.scalar(query) or 0)
