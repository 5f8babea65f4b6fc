"""Sign-in rows: nonces (single use, expiring) and sessions (one per sign-in, ended by
logout or by time, checked on every request)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from quests.orm import Base, intpk, timestamp


class SignInNonce(Base):
    __tablename__ = "auth_nonce"

    id: Mapped[intpk]
    nonce: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[timestamp]
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignInSession(Base):
    """One signed-in session. The cookie carries a random token; only its SHA-256 is kept, so
    the table alone cannot open a session. Logout sets ``ended_at``: a copy of the cookie taken
    before then is refused afterwards."""

    __tablename__ = "auth_session"

    id: Mapped[intpk]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    player_id: Mapped[int] = mapped_column(ForeignKey("player.id"), index=True)
    created_at: Mapped[timestamp]
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
