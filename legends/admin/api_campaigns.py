"""Admin JSON API for campaigns: create, edit, clone, attach quests, preview the calendar,
publish, pause, end early, and simulate the budgets. Every change is audited with the
campaign before and after."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from legends.admin.guard import actor, admin_only
from legends.admin.views import admin_api, admin_transaction, audited, key_list
from legends.api.errors import ApiError, json_body
from legends.wiring.game import now
from quests import campaign_service as campaigns
from quests.campaign_sim import SimulationInvalid, simulate_campaign
from quests.catalog_store import catalog_of
from quests.overview import rewards_of


def _target(campaign_id: int) -> str:
    return f"campaign:{campaign_id}"


@admin_api.get("/catalog")
@admin_only
def catalog_index():  # type: ignore[no-untyped-def]
    with admin_transaction() as db:
        calendar = campaigns.calendar_of(db)
        return jsonify({"quests": [
            {"id": q.id, "region": q.region, "title": q.title, "recurrence": q.recurrence.value,
             "rewards": rewards_of(q), "campaigns": [c.id for c in calendar.of(q.id)]}
            for q in catalog_of(db)]})


@admin_api.get("/campaigns")
@admin_only
def campaigns_index():  # type: ignore[no-untyped-def]
    at = now()
    with admin_transaction() as db:
        return jsonify({"campaigns": [campaigns.describe(c, at) for c in campaigns.listing(db)]})


@admin_api.post("/campaigns")
@admin_only
def campaigns_create():  # type: ignore[no-untyped-def]
    data, at = json_body(), now()
    with admin_transaction() as db:
        campaign = campaigns.create(db, data, actor(), at)
        after = campaigns.describe(campaign, at)
        audited(db, "campaign.create", _target(campaign.id), None, after)
    return jsonify(after), 201


@admin_api.get("/campaigns/<int:campaign_id>")
@admin_only
def campaigns_show(campaign_id: int):  # type: ignore[no-untyped-def]
    at = now()
    with admin_transaction() as db:
        return jsonify(campaigns.describe(campaigns.get(db, campaign_id), at))


@admin_api.put("/campaigns/<int:campaign_id>")
@admin_only
def campaigns_edit(campaign_id: int):  # type: ignore[no-untyped-def]
    data, at = json_body(), now()
    return _change(campaign_id, "campaign.edit", lambda db: campaigns.edit(db, campaign_id, data, at))


@admin_api.put("/campaigns/<int:campaign_id>/quests")
@admin_only
def campaigns_quests(campaign_id: int):  # type: ignore[no-untyped-def]
    quests, at = key_list(json_body("quests"), "quests"), now()
    return _change(campaign_id, "campaign.quests",
                   lambda db: campaigns.set_quests(db, campaign_id, quests, at))


@admin_api.post("/campaigns/<int:campaign_id>/clone")
@admin_only
def campaigns_clone(campaign_id: int):  # type: ignore[no-untyped-def]
    at = now()
    with admin_transaction() as db:
        copy = campaigns.clone(db, campaign_id, actor(), at)
        after = campaigns.describe(copy, at)
        audited(db, "campaign.clone", _target(copy.id), {"cloned_from": campaign_id}, after)
    return jsonify(after), 201


@admin_api.get("/campaigns/<int:campaign_id>/calendar")
@admin_only
def campaigns_calendar(campaign_id: int):  # type: ignore[no-untyped-def]
    with admin_transaction() as db:
        campaign = campaigns.get(db, campaign_id)
        return jsonify({"campaign_id": campaign_id, "events": campaigns.calendar_preview(campaign)})


@admin_api.post("/campaigns/<int:campaign_id>/publish")
@admin_only
def campaigns_publish(campaign_id: int):  # type: ignore[no-untyped-def]
    at = now()
    return _change(campaign_id, "campaign.publish", lambda db: campaigns.publish(db, campaign_id, at))


@admin_api.post("/campaigns/<int:campaign_id>/pause")
@admin_only
def campaigns_pause(campaign_id: int):  # type: ignore[no-untyped-def]
    at = now()
    return _change(campaign_id, "campaign.pause", lambda db: campaigns.pause(db, campaign_id, at))


@admin_api.post("/campaigns/<int:campaign_id>/end")
@admin_only
def campaigns_end(campaign_id: int):  # type: ignore[no-untyped-def]
    at = now()
    return _change(campaign_id, "campaign.end", lambda db: campaigns.end_early(db, campaign_id, at))


@admin_api.post("/campaigns/<int:campaign_id>/simulate")
@admin_only
def campaigns_simulate(campaign_id: int):  # type: ignore[no-untyped-def]
    """A dry run: nothing is written."""
    data = request.get_json(silent=True) or {}
    if not isinstance(data, dict):
        raise ApiError("the request body must be a JSON object", field="body")
    with admin_transaction() as db:
        campaign = campaigns.get(db, campaign_id)
        try:
            return jsonify(simulate_campaign(db, campaign, data))
        except SimulationInvalid as exc:
            raise ApiError(exc.problem, field=exc.field) from None


def _change(campaign_id: int, action: str, change: Any):  # type: ignore[no-untyped-def]
    at = now()
    with admin_transaction() as db:
        before = campaigns.describe(campaigns.get(db, campaign_id), at)
        after = campaigns.describe(change(db), at)
        audited(db, action, _target(campaign_id), before, after)
    return jsonify(after)
