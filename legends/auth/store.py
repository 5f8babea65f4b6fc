"""Sign-in nonces: single use, expiring."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from quests.orm import Base, intpk, timestamp


class SignInNonce(Base):
    __tablename__ = "auth_nonce"

    id: Mapped[intpk]
    nonce: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[timestamp]
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
