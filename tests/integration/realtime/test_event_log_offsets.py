"""Offsets under concurrency: many writers on one stream, on SQLite and PostgreSQL, get
1..N with no gap and no repeat; a rolled-back event leaves no trace and sends nothing."""

from __future__ import annotations

import threading
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from legends import migrate
from legends.db import make_engine
from legends.realtime import events
from legends.realtime.emitter import Broadcaster
from legends.realtime.store import RealtimeEvent, append, position, since


class Recording(Broadcaster):
    def __init__(self) -> None:
        super().__init__()
        self.heard: list[int] = []

    def send(self, envelope) -> None:  # type: ignore[no-untyped-def]
        self.heard.append(envelope.offset)


def hammer(url: str, writers: int = 8, each: int = 15) -> list[int]:
    """Offsets of one fresh stream after ``writers`` threads appended ``each`` events."""
    migrate.upgrade(url)
    stream = f"player:0x{uuid.uuid4().hex}"  # the PostgreSQL schema is shared by the session
    engine = make_engine(url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(each):
                with sessions.begin() as session:
                    append(session, stream, "quest.progress", {"n": 1})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with sessions() as session:
        offsets = list(session.scalars(sa.select(RealtimeEvent.offset).where(
            RealtimeEvent.stream == stream).order_by(RealtimeEvent.offset)))
        assert position(session, stream)[1] == writers * each
    engine.dispose()
    return offsets


def test_concurrent_writers_get_consecutive_offsets_on_sqlite(tmp_path):
    assert hammer(f"sqlite:///{tmp_path / 'legends.db'}") == list(range(1, 121))


def test_concurrent_writers_get_consecutive_offsets_on_postgres(postgres_url):
    assert hammer(postgres_url) == list(range(1, 121))


def test_an_event_is_sent_only_after_its_transaction_commits(database_url):
    engine = make_engine(database_url)
    recording = Recording()
    sessions = sessionmaker(engine, expire_on_commit=False, info={events.BROADCASTER: recording})
    with sessions.begin() as session:
        events.record(session, "public", "announcement", {"message": "one"})
        assert recording.heard == []
    assert recording.heard == [1]
    with pytest.raises(RuntimeError), sessions.begin() as session:
        events.record(session, "public", "announcement", {"message": "never"})
        raise RuntimeError("rolled back")
    with sessions.begin() as session:
        events.record(session, "public", "announcement", {"message": "two"})
    assert recording.heard == [1, 2]  # the rolled-back one took no offset and was never sent
    with sessions() as session:
        found = since(session, "public", 0, position(session, "public")[0])
    assert [e.payload["message"] for e in found.events] == ["one", "two"]
    engine.dispose()


def several_in_one_transaction(url: str) -> None:
    """Four events of one transaction (as a completion writes them): consecutive offsets,
    the log and the counter right even when read inside the transaction, then committed
    in one go; another transaction counts on from there; a rollback leaves nothing."""
    migrate.upgrade(url)
    stream = f"player:0x{uuid.uuid4().hex}"
    engine = make_engine(url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions.begin() as session:
        sent = [append(session, stream, "quest.progress", {"n": n}).offset for n in range(3)]
        assert position(session, stream)[1] == 3  # read in the same transaction: settled first
        sent.append(append(session, stream, "quest.completed", {"n": 3}).offset)
    assert sent == [1, 2, 3, 4]
    with sessions.begin() as session:
        assert append(session, stream, "quest.available", {}).offset == 5
    with sessions() as session:
        append(session, stream, "quest.available", {})
        append(session, stream, "quest.available", {})
        session.rollback()
    with sessions() as session:
        epoch, last = position(session, stream)
        caught = since(session, stream, 0, epoch)
        assert last == 5 and [e.offset for e in caught.events] == [1, 2, 3, 4, 5]
        assert [e.payload.get("n") for e in caught.events[:4]] == [0, 1, 2, 3]
    engine.dispose()


def test_several_events_of_one_transaction_on_sqlite(tmp_path):
    several_in_one_transaction(f"sqlite:///{tmp_path / 'legends.db'}")


@pytest.mark.postgres
def test_several_events_of_one_transaction_on_postgres(postgres_url):
    several_in_one_transaction(postgres_url)
