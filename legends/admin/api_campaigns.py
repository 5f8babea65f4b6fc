"""Admin JSON API for campaigns: create, edit, clone, attach quests, preview the calendar,
publish, pause, end early, and simulate the budgets. Every change is audited with the
campaign before and after."""

from __future__ import annotations

from typing import Any

from legends.admin.guard import actor, admin_only
from legends.admin.models import (
    AdminCampaign,
    AdminCampaignList,
    AdminCatalog,
    CampaignBody,
    CampaignCalendar,
    CampaignPath,
    QuestsBody,
    SimulateBody,
    Simulation,
)
from legends.admin.views import admin_api, admin_operation, admin_transaction, audited
from legends.api.contract import reply
from legends.api.errors import ApiError
from legends.wiring.game import now
from quests import campaign_service as campaigns
from quests.campaign_sim import SimulationInvalid, simulate_campaign
from quests.catalog_store import catalog_of
from quests.overview import rewards_of

CHANGE = (400, 404, 409)


def _target(campaign_id: int) -> str:
    return f"campaign:{campaign_id}"


def _plan(body: CampaignBody) -> dict[str, Any]:
    return body.model_dump(exclude_unset=True)


@admin_operation(admin_api.get, "/catalog", {200: AdminCatalog})
@admin_only
def catalog_index():  # type: ignore[no-untyped-def]
    """The quest catalog, to attach quests to campaigns"""
    with admin_transaction() as db:
        calendar = campaigns.calendar_of(db)
        return reply(AdminCatalog, {"quests": [
            {"id": q.id, "region": q.region, "title": q.title, "recurrence": q.recurrence.value,
             "rewards": rewards_of(q), "campaigns": [c.id for c in calendar.of(q.id)]}
            for q in catalog_of(db)]})


@admin_operation(admin_api.get, "/campaigns", {200: AdminCampaignList})
@admin_only
def campaigns_index():  # type: ignore[no-untyped-def]
    """Every campaign with its budgets and windows"""
    at = now()
    with admin_transaction() as db:
        rows = [campaigns.describe(c, at) for c in campaigns.listing(db)]
        return reply(AdminCampaignList, {"campaigns": rows})


@admin_operation(admin_api.post, "/campaigns", {201: AdminCampaign}, *CHANGE)
@admin_only
def campaigns_create(body: CampaignBody):  # type: ignore[no-untyped-def]
    """Create a draft campaign"""
    at = now()
    with admin_transaction() as db:
        campaign = campaigns.create(db, _plan(body), actor(), at)
        after = campaigns.describe(campaign, at)
        audited(db, "campaign.create", _target(campaign.id), None, after)
    return reply(AdminCampaign, after), 201


@admin_operation(admin_api.get, "/campaigns/<int:campaign_id>", {200: AdminCampaign}, 404)
@admin_only
def campaigns_show(path: CampaignPath):  # type: ignore[no-untyped-def]
    """One campaign"""
    at = now()
    with admin_transaction() as db:
        return reply(AdminCampaign, campaigns.describe(campaigns.get(db, path.campaign_id), at))


@admin_operation(admin_api.put, "/campaigns/<int:campaign_id>", {200: AdminCampaign}, *CHANGE)
@admin_only
def campaigns_edit(path: CampaignPath, body: CampaignBody):  # type: ignore[no-untyped-def]
    """Edit a campaign (paid windows and sent announcements stay)"""
    plan, at, cid = _plan(body), now(), path.campaign_id
    return _change(cid, "campaign.edit", lambda db: campaigns.edit(db, cid, plan, at))


@admin_operation(admin_api.put, "/campaigns/<int:campaign_id>/quests", {200: AdminCampaign}, *CHANGE)
@admin_only
def campaigns_quests(path: CampaignPath, body: QuestsBody):  # type: ignore[no-untyped-def]
    """Attach quests from the catalog (the whole list)"""
    at, cid = now(), path.campaign_id
    return _change(cid, "campaign.quests", lambda db: campaigns.set_quests(db, cid, body.quests, at))


@admin_operation(admin_api.post, "/campaigns/<int:campaign_id>/clone", {201: AdminCampaign}, *CHANGE)
@admin_only
def campaigns_clone(path: CampaignPath):  # type: ignore[no-untyped-def]
    """A draft copy of the campaign (no quests attached)"""
    at = now()
    with admin_transaction() as db:
        copy = campaigns.clone(db, path.campaign_id, actor(), at)
        after = campaigns.describe(copy, at)
        audited(db, "campaign.clone", _target(copy.id), {"cloned_from": path.campaign_id}, after)
    return reply(AdminCampaign, after), 201


@admin_operation(admin_api.get, "/campaigns/<int:campaign_id>/calendar", {200: CampaignCalendar}, 404)
@admin_only
def campaigns_calendar(path: CampaignPath):  # type: ignore[no-untyped-def]
    """What happens when: opening, windows closing, announcements, closing"""
    with admin_transaction() as db:
        campaign = campaigns.get(db, path.campaign_id)
        return reply(CampaignCalendar, {"campaign_id": path.campaign_id,
                                        "events": campaigns.calendar_preview(campaign)})


@admin_operation(admin_api.post, "/campaigns/<int:campaign_id>/publish", {200: AdminCampaign}, *CHANGE)
@admin_only
def campaigns_publish(path: CampaignPath):  # type: ignore[no-untyped-def]
    """Publish: the scheduler opens it at its start"""
    at, cid = now(), path.campaign_id
    return _change(cid, "campaign.publish", lambda db: campaigns.publish(db, cid, at))


@admin_operation(admin_api.post, "/campaigns/<int:campaign_id>/pause", {200: AdminCampaign}, *CHANGE)
@admin_only
def campaigns_pause(path: CampaignPath):  # type: ignore[no-untyped-def]
    """Pause: its quests close until it is published again"""
    at, cid = now(), path.campaign_id
    return _change(cid, "campaign.pause", lambda db: campaigns.pause(db, cid, at))


@admin_operation(admin_api.post, "/campaigns/<int:campaign_id>/end", {200: AdminCampaign}, *CHANGE)
@admin_only
def campaigns_end(path: CampaignPath):  # type: ignore[no-untyped-def]
    """End the campaign early"""
    at, cid = now(), path.campaign_id
    return _change(cid, "campaign.end", lambda db: campaigns.end_early(db, cid, at))


@admin_operation(admin_api.post, "/campaigns/<int:campaign_id>/simulate", {200: Simulation}, 400, 404)
@admin_only
def campaigns_simulate(path: CampaignPath, body: SimulateBody):  # type: ignore[no-untyped-def]
    """Dry run: how much of each budget is spent by when, and the day each cap is hit"""
    with admin_transaction() as db:
        campaign = campaigns.get(db, path.campaign_id)
        try:
            result = simulate_campaign(db, campaign, body.model_dump(exclude_none=True))
        except SimulationInvalid as exc:
            raise ApiError(exc.problem, field=exc.field) from None
        return reply(Simulation, result)


def _change(campaign_id: int, action: str, change: Any):  # type: ignore[no-untyped-def]
    at = now()
    with admin_transaction() as db:
        before = campaigns.describe(campaigns.get(db, campaign_id), at)
        after = campaigns.describe(change(db), at)
        audited(db, action, _target(campaign_id), before, after)
    return reply(AdminCampaign, after)
