"""Bodies of the admin API (their names are unique next to legends/api/*_models.py).

Campaign bodies are read loosely here and strictly by ``quests.campaign_plan.parse_plan``,
whose errors name the field the way admins read it (``windows[1]``, ``budgets.gems``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from legends.api.campaigns_models import BudgetLeft
from legends.api.contract import OptionalBody, Reply
from legends.api.shared_models import Address, Moment

Text = str


class CampaignPath(BaseModel):
    campaign_id: int = Field(ge=1, le=2**31 - 1, description="A campaign id")


class AddressPath(BaseModel):
    address: str = Field(max_length=42, description="A wallet address")


class GrantBody(BaseModel):
    address: str = Field(max_length=42, description="The wallet to make an admin")


class AuditQuery(BaseModel):
    actor: str | None = Field(None, max_length=42, description="Who (an admin's address)")
    action: str | None = Field(None, max_length=64, description="What, e.g. campaign.publish")
    target: str | None = Field(None, max_length=120, description="A target prefix, e.g. campaign:")
    since: str | None = Field(None, max_length=40, description="ISO time (inclusive)")
    until: str | None = Field(None, max_length=40, description="ISO time (exclusive)")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**9)


class CampaignBody(BaseModel):
    """name, starts_at, ends_at (ISO with a zone), quests, budgets {shards|sahara|xp: cap},
    windows [{starts_at, ends_at, board, prizes [{first, last, rewards}]}], announcements
    [{send_at, text}]."""

    model_config = ConfigDict(extra="allow")
    name: Any = None
    starts_at: Any = None
    ends_at: Any = None
    quests: Any = None
    budgets: Any = None
    windows: Any = None
    announcements: Any = None


class QuestsBody(BaseModel):
    quests: list[str] = Field(max_length=200, description="Quest ids from the catalog (the whole list)")


class SimulateBody(OptionalBody):
    players: int | None = Field(None, ge=0, le=10**7, description="Default: the players signed in so far")
    rate: float = Field(0.1, ge=0, le=1, description="Share of players completing each quest per day")
    rates: dict[str, float] | None = Field(None, description="Per quest, overriding rate")


class KeysBody(BaseModel):
    grant_keys: list[str] = Field(default_factory=list, max_length=500)
    batch_ids: list[str] = Field(default_factory=list, max_length=500)


class CancelBody(BaseModel):
    grant_keys: list[str] = Field(max_length=500)


class DryRunBody(BaseModel):
    quest_id: str = Field(max_length=80)
    tx_hash: str = Field(pattern=r"^0x[0-9a-fA-F]{64}$")
    player: Address


class AdminMe(Reply):
    address: str
    csrf_token: str = Field(description="Send it as X-CSRF-Token with every change")


class AdminRoleView(Reply):
    address: str
    granted_by: str
    granted_at: Moment | None
    revoked_by: str | None
    revoked_at: Moment | None
    active: bool


class AdminList(Reply):
    admins: list[AdminRoleView]


class AuditEntry(Reply):
    id: int
    at: Moment
    actor: str
    action: str
    target: str
    before: Any
    after: Any


class AuditPage(Reply):
    entries: list[AuditEntry]
    total: int = Field(ge=0)
    limit: int
    offset: int
    actions: list[str] = Field(description="Every action the log holds (for the filter)")


class CatalogQuest(Reply):
    id: str
    region: str
    title: str
    recurrence: str
    rewards: dict[str, Any]
    campaigns: list[int]


class AdminCatalog(Reply):
    quests: list[CatalogQuest]


class AdminCampaign(Reply):
    id: int
    name: str
    status: str
    live: bool | None
    starts_at: Moment
    ends_at: Moment
    opened_at: Moment | None
    closed_at: Moment | None
    created_by: str
    quests: list[str]
    budgets: dict[str, BudgetLeft]
    windows: list[dict[str, Any]]
    announcements: list[dict[str, Any]]


class AdminCampaignList(Reply):
    campaigns: list[AdminCampaign]


class CalendarEvent(Reply):
    at: Moment
    what: str
    detail: str


class CampaignCalendar(Reply):
    campaign_id: int
    events: list[CalendarEvent]


class Simulation(Reply):
    campaign_id: int
    players: int
    rates: dict[str, float]
    days: list[dict[str, Any]] = Field(description="Per day: completions, spent and left per budget")
    cap_hit: dict[str, str | None] = Field(description="Per budget: the day its cap is hit, or null")
    total: dict[str, int]


class RewardsQuery(BaseModel):
    limit: int = Field(50, ge=1, le=200, description="How many of each list per page")
    failed_after: int | None = Field(None, ge=0, le=2**63 - 1,
                                     description="Cursor: the failed_next of the page before")
    deferred_after: int | None = Field(None, ge=0, le=2**63 - 1,
                                       description="Cursor: the deferred_next of the page before")


class RewardTrouble(Reply):
    failed: list[dict[str, Any]]
    deferred: list[dict[str, Any]]
    failed_next: int | None = Field(description="Cursor of the next page of failed grants")
    deferred_next: int | None = Field(description="Cursor of the next page of deferred batches")
    limit: int


class Retried(Reply):
    retried: dict[str, list[str]]


class Cancelled(Reply):
    cancelled: list[str]


class SchedulerStatus(Reply):
    jobs: list[dict[str, Any]]
    runs: list[dict[str, Any]]


class DryRunResult(Reply):
    quest_id: str
    tx_hash: str
    player: str
    status: int = Field(description="The transaction's receipt status (1: success)")
    counts: bool
    completes: bool
    why: list[str]
    report: dict[str, Any] = Field(description="The engine's explanation per objective")
