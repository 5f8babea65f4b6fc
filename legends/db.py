"""The database: one engine and session factory per app; tables come only from Alembic."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from legends.migrate import current_revision


def database_url(app: Flask) -> str:
    url = app.config.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the dialect "postgres"; psycopg 3 is the driver here.
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(app.instance_path) / 'legends.db'}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # Durable across application crashes in WAL mode; saves an fsync per commit.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)

    def status(self) -> dict[str, object]:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                revision = current_revision(conn)
        except Exception as exc:  # reported, not raised: /healthz must answer
            return {"ok": False, "error": type(exc).__name__}
        return {"ok": revision is not None, "backend": self.engine.dialect.name,
                "revision": revision}


def init_app(app: Flask) -> None:
    app.extensions["legends.db"] = Database(database_url(app))


def get_db() -> Database:
    return current_app.extensions["legends.db"]
