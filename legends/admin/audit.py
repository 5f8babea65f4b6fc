"""The audit log: every admin action, written in the action's own transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from legends.admin.store import AdminAudit


def record(session: Session, actor: str, action: str, target: str, before: Any, after: Any,
           at: datetime) -> AdminAudit:
    row = AdminAudit(at=at, actor=actor.lower(), action=action, target=target,
                     before=before, after=after)
    session.add(row)
    session.flush()
    return row


def search(session: Session, *, actor: str | None = None, action: str | None = None,
           target: str | None = None, since: datetime | None = None, until: datetime | None = None,
           limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Newest first; ``target`` matches a prefix ("campaign:" finds every campaign)."""
    query = select(AdminAudit)
    if actor:
        query = query.where(AdminAudit.actor == actor.lower())
    if action:
        query = query.where(AdminAudit.action == action)
    if target:
        query = query.where(AdminAudit.target.startswith(target, autoescape=True))
    if since:
        query = query.where(AdminAudit.at >= since)
    if until:
        query = query.where(AdminAudit.at < until)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(AdminAudit.id.desc()).limit(limit).offset(offset))
    return [view(r) for r in rows], total


def view(row: AdminAudit) -> dict[str, Any]:
    return {"id": row.id, "at": row.at.isoformat(), "actor": row.actor, "action": row.action,
            "target": row.target, "before": row.before, "after": row.after}


def actions(session: Session) -> list[str]:
    return sorted(session.scalars(select(AdminAudit.action).distinct()))
