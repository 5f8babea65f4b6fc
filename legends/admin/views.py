"""Shared plumbing of the admin views: the two blueprints, one transaction per request
with the audit row inside it, and the translation of domain errors into 4xx JSON."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from flask import Blueprint, request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from legends.admin import audit
from legends.admin.guard import actor
from legends.admin.roles import RoleError
from legends.api.errors import ApiError, Conflict, NotFound
from legends.db import get_db
from legends.wiring.game import now
from quests.campaign_plan import instant
from quests.campaign_service import UnknownCampaign
from quests.campaigns import CampaignInvalid
from quests.errors import NotApplicable, UnknownQuest

admin_api = Blueprint("admin_api", __name__, url_prefix="/api/admin")
admin_pages = Blueprint("admin", __name__, url_prefix="/admin")


@contextmanager
def admin_transaction() -> Iterator[Session]:
    try:
        with get_db().sessions.begin() as session:
            yield session
    except CampaignInvalid as exc:
        raise ApiError(exc.problem, field=exc.field) from None
    except UnknownCampaign as exc:
        raise NotFound(str(exc), field="campaign_id") from None
    except UnknownQuest as exc:
        raise NotFound(str(exc), field="quest_id") from None
    except NotApplicable as exc:
        raise ApiError(str(exc), field=exc.field) from None
    except RoleError as exc:
        raise ApiError(str(exc), field=exc.field, status=exc.status) from None
    except IntegrityError:
        raise Conflict("another request changed this at the same moment; try again") from None


def audited(session: Session, action: str, target: str, before: Any, after: Any) -> None:
    """Write the audit row of this request's change, in its transaction."""
    audit.record(session, actor(), action, target, before, after, now())


def query_instant(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return instant(raw, name)
    except CampaignInvalid as exc:
        raise ApiError(exc.problem, field=exc.field) from None


def key_list(data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(f"{name} must be a list of strings", field=name)
    return value
