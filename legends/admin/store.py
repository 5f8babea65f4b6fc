"""Persistence of the admin room: who holds the admin role, and the audit log.

``admin_role`` has one row per address ever granted (lowercase); revoking stamps it, it is
never deleted, so a wallet seeded from ADMIN_ADDRESSES and later revoked stays revoked.
``admin_audit`` is append-only: who did what, when, with the state before and after.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from quests.orm import Base, intpk, utcnow
from quests.store import UtcDateTime


class AdminRole(Base):
    __tablename__ = "admin_role"

    id: Mapped[intpk]
    address: Mapped[str] = mapped_column(String(42), unique=True)  # lowercase
    granted_by: Mapped[str] = mapped_column(String(42))  # an address, or "ADMIN_ADDRESSES"
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    revoked_by: Mapped[str | None] = mapped_column(String(42))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AdminAudit(Base):
    __tablename__ = "admin_audit"

    id: Mapped[intpk]
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(42), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(120), index=True)  # e.g. "campaign:3"
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
