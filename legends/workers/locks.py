"""One holder per database for work that must not run twice (the reward worker).

Two reward workers on one database would race for the same minter nonces. PostgreSQL gets a
session advisory lock (it dies with the holder's connection); SQLite, always on this
machine, gets an exclusive ``flock`` on a file next to the database (it dies with the
holder's process). Neither leaves anything to clean up after a crash.
"""

from __future__ import annotations

import fcntl
import os
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text


class AlreadyRunning(RuntimeError):
    """Another process (or thread) holds this role on this database."""


@contextmanager
def only_one(engine: Engine, role: str) -> Iterator[None]:
    """Hold ``role`` on this database for the duration of the block, or raise at once."""
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, role):
            yield
    else:
        with _file_lock(_lock_path(engine, role), role):
            yield


@contextmanager
def _advisory_lock(engine: Engine, role: str) -> Iterator[None]:
    with engine.connect() as conn:
        # Advisory locks are the whole database's: the key names the deployment's schema, so
        # deployments (or test runs) in other schemas of one database never block each other.
        schema = conn.scalar(text("SELECT current_schema()"))
        key = zlib.crc32(f"sahara-legends:{schema}:{role}".encode())
        if not conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}):
            raise AlreadyRunning(f"another {role} is running on this database")
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()


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


def run_as_only_one(engine: Engine, role: str, stop: threading.Event, run: Callable[[], None],
                    say: Callable[[str], None], standby_seconds: float = 5.0) -> None:
    """Call ``run`` while holding ``role``; while another process holds it, stand by and
    take over when it goes away (until ``stop``)."""
    announced = False
    while not stop.is_set():
        try:
            with only_one(engine, role):
                run()
            return
        except AlreadyRunning:
            if not announced:
                say(f"another {role} is running on this database; standing by")
                announced = True
            stop.wait(standby_seconds)
