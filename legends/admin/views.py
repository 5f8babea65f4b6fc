"""Shared plumbing of the admin views: the two blueprints, one transaction per request
with the audit row inside it, and the translation of domain errors into 4xx JSON."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from flask import Blueprint
from flask_openapi3 import APIBlueprint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from legends.admin import audit
from legends.admin.guard import actor, guard_first
from legends.admin.roles import RoleError
from legends.api.errors import ApiError, Conflict, NotFound
from legends.db import get_db
from legends.wiring.game import now
from quests.campaign_plan import instant
from quests.campaign_service import UnknownCampaign
from quests.campaigns import CampaignInvalid
from quests.errors import NotApplicable, UnknownQuest

admin_api = APIBlueprint("admin_api", __name__, url_prefix="/api/admin")
admin_api.before_request(guard_first)
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


def query_instant(raw: str | None, name: str) -> datetime | None:
    if not raw:
        return None
    try:
        return instant(raw, name)
    except CampaignInvalid as exc:
        raise ApiError(exc.problem, field=exc.field) from None


def admin_operation(register: Any, rule: str, ok: dict[int, Any], *errors: int) -> Any:
    """Declare an admin route in the API document: an admin's session, 403 for others."""
    from legends.api.contract import operation

    return operation(register, rule, ok=ok, errors=tuple(sorted({403, *errors})), signed_in=True,
                     tag="admin")
