"""The admin role: held by wallet addresses, seeded from ADMIN_ADDRESSES, granted and
revoked by admins (every change audited by the caller, in the same transaction)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from legends.admin.store import AdminRole

SEED = "ADMIN_ADDRESSES"
_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


class RoleError(ValueError):
    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field, self.status = field, status


def configured(raw: str | None) -> set[str]:
    """The addresses named in ADMIN_ADDRESSES, lowercase."""
    return {a.strip().lower() for a in (raw or "").split(",") if a.strip()}


def normalized(address: object) -> str:
    if not isinstance(address, str) or not _ADDRESS.match(address.strip()):
        raise RoleError("address", f"{address!r} is not a wallet address (0x + 40 hex digits)")
    return address.strip().lower()


def holds_role(session: Session, address: str, seeded: Iterable[str]) -> bool:
    """Granted and not revoked; a configured address counts until a row says otherwise
    (an admin who revokes a seeded wallet wins over the configuration)."""
    row = session.scalar(select(AdminRole).where(AdminRole.address == address.lower()))
    if row is not None:
        return row.revoked_at is None
    return address.lower() in set(seeded)


def seed(session: Session, seeded: Iterable[str], now: datetime) -> list[str]:
    """Rows for configured addresses that have none yet (``legends up`` calls this)."""
    known = set(session.scalars(select(AdminRole.address)))
    added = sorted(set(seeded) - known)
    session.add_all(AdminRole(address=a, granted_by=SEED, granted_at=now) for a in added)
    return added


def listing(session: Session, seeded: Iterable[str]) -> list[dict[str, object]]:
    rows = {r.address: r for r in session.scalars(select(AdminRole).order_by(AdminRole.id))}
    out = [view(r) for r in rows.values()]
    out += [{"address": a, "granted_by": SEED, "granted_at": None, "revoked_by": None,
             "revoked_at": None, "active": True} for a in sorted(set(seeded) - set(rows))]
    return out


def view(row: AdminRole) -> dict[str, object]:
    return {"address": row.address, "granted_by": row.granted_by,
            "granted_at": row.granted_at.isoformat() if row.granted_at else None,
            "revoked_by": row.revoked_by,
            "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
            "active": row.revoked_at is None}


def grant(session: Session, address: str, actor: str, now: datetime) -> tuple[dict | None, dict]:
    """Grant (or re-grant) the role; returns (before, after) for the audit log."""
    address = normalized(address)
    row = session.scalar(select(AdminRole).where(AdminRole.address == address).with_for_update())
    before = view(row) if row else None
    if row is None:
        row = AdminRole(address=address, granted_by=actor, granted_at=now)
        session.add(row)
    elif row.revoked_at is not None:
        row.granted_by, row.granted_at, row.revoked_by, row.revoked_at = actor, now, None, None
    session.flush()
    return before, view(row)


def revoke(session: Session, address: str, actor: str, now: datetime,
           seeded: Iterable[str]) -> tuple[dict | None, dict]:
    address = normalized(address)
    if address == actor.lower():
        raise RoleError("address", "an admin cannot revoke their own role", 409)
    row = session.scalar(select(AdminRole).where(AdminRole.address == address).with_for_update())
    if row is None:
        if address not in set(seeded):
            raise RoleError("address", f"{address} is not an admin", 404)
        row = AdminRole(address=address, granted_by=SEED, granted_at=now)
        session.add(row)
        session.flush()
    before = view(row)
    if row.revoked_at is None:
        row.revoked_by, row.revoked_at = actor.lower(), now
    session.flush()
    return before, view(row)
