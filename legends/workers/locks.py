"""One holder per database for work that must not run twice (reward worker, caretaker,
scheduler).

Two reward workers on one database would race for the same minter nonces. PostgreSQL gets a
session advisory lock (it dies with the holder's connection), keyed by the role and the
schema: advisory locks are database-wide, and another schema is another game's tables; SQLite, always on this
machine, gets an exclusive ``flock`` on a file next to the database (it dies with the
holder's process). Neither leaves anything to clean up after a crash.

An advisory lock lives on one pooled connection for hours, and that connection can die
under the holder (a restarted or failed-over server, ``pg_terminate_backend``, a network cut):
the lock is then free for another process while the holder would carry on. So a watchdog
re-checks every ``check_seconds`` on that very connection that ``pg_locks`` still shows the
lock granted to it; when it does not (or the query fails) the holding's ``lost`` event is
set, the work is told to stop, and :func:`run_as_only_one` takes the lock again or stands by.
A holder and its successor can thus overlap by at most ``check_seconds``.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)
CHECK_SECONDS = 5.0  # how often a PostgreSQL holder re-checks its lock
HELD = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND pid = pg_backend_pid() AND classid = 0 AND objid = CAST(:key AS oid) "
            "AND objsubid = 1")


class AlreadyRunning(RuntimeError):
    """Another process (or thread) holds this role on this database."""


class Holding:
    """A held role: ``lost`` is set when the lock is found gone (PostgreSQL only)."""

    def __init__(self, role: str) -> None:
        self.role = role
        self.lost = threading.Event()
        self.reason = ""


@contextmanager
def only_one(engine: Engine, role: str, *, check_seconds: float = CHECK_SECONDS
             ) -> Iterator[Holding]:
    """Hold ``role`` on this database for the duration of the block, or raise at once."""
    holding = Holding(role)
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, holding, check_seconds):
            yield holding
    else:
        with _file_lock(_lock_path(engine, role), role):
            yield holding


def _key(role: str, schema: str) -> int:
    return zlib.crc32(f"sahara-legends:{schema}:{role}".encode())


@contextmanager
def _advisory_lock(engine: Engine, holding: Holding, check_seconds: float) -> Iterator[None]:
    with engine.connect() as conn:
        schema = conn.scalar(text("SELECT current_schema()"))
        key = _key(holding.role, schema)
        if not conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}):
            raise AlreadyRunning(f"another {holding.role} is running on this database")
        conn.commit()
        done = threading.Event()
        watchdog = threading.Thread(target=_watch, args=(conn, key, holding, check_seconds, done),
                                    name=f"legends-lock-{holding.role}", daemon=True)
        watchdog.start()
        try:
            yield
        finally:
            done.set()
            watchdog.join()
            try:
                if holding.lost.is_set():
                    raise ConnectionError(holding.reason)
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                conn.commit()
            except Exception:  # lost or dead: the lock went with the connection
                conn.invalidate()  # which must not go back to the pool


def _watch(conn: Connection, key: int, holding: Holding, every: float,
           done: threading.Event) -> None:
    """Until ``done``: is the lock still ours, on a live connection? If not, say so."""
    while not done.wait(every):
        try:
            held = bool(conn.scalar(HELD, {"key": key}))
            conn.commit()  # never sit idle in a transaction between checks
            reason = "" if held else "pg_locks no longer shows it"
        except Exception as exc:  # the connection died: so did its lock
            held, reason = False, f"its connection failed ({type(exc).__name__})"
        if not held:
            holding.reason = reason
            log.warning("lost the %s lock: %s", holding.role, reason)
            holding.lost.set()
            return


def _lock_path(engine: Engine, role: str) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        return Path(os.environ.get("TMPDIR", "/tmp")) / f"legends-{os.getpid()}-{role}.lock"
    return Path(database).with_name(Path(database).name + f".{role}.lock")


@contextmanager
def _file_lock(path: Path, role: str) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(f"another {role} is running on this database") from None
        yield
    finally:
        handle.close()  # closing releases the lock


def run_as_only_one(engine: Engine, role: str, stop: threading.Event,
                    run: Callable[[threading.Event], None], say: Callable[[str], None],
                    standby_seconds: float = 5.0, check_seconds: float = CHECK_SECONDS) -> None:
    """Call ``run(held)`` while holding ``role``; ``held`` is set when ``stop`` is or when the
    lock is lost, and ``run`` must return then. While another process holds the role, stand
    by and take over when it goes away (until ``stop``); a lost lock is taken again."""
    announced = False
    while not stop.is_set():
        try:
            with only_one(engine, role, check_seconds=check_seconds) as holding:
                announced = False
                held = _either(stop, holding.lost)
                try:
                    run(held)
                finally:
                    held.set()  # ends the relay
            if not holding.lost.is_set():
                return
            say(f"the {role} lock was lost ({holding.reason}); taking it again")
        except AlreadyRunning:
            if not announced:
                say(f"another {role} is running on this database; standing by")
                announced = True
            stop.wait(standby_seconds)


def _either(stop: threading.Event, lost: threading.Event) -> threading.Event:
    """An event set as soon as ``stop`` or ``lost`` is (a relay thread joins the two)."""
    held = threading.Event()

    def relay() -> None:
        while not held.is_set():
            if stop.wait(0.1) or lost.is_set():
                held.set()

    threading.Thread(target=relay, name="legends-lock-relay", daemon=True).start()
    return held
