"""Campaign services for the admin views, the scheduler's jobs and the players' views.

Each function takes the caller's ``Session``, raises ``CampaignInvalid`` (naming the field)
or ``UnknownCampaign``, and never commits. ``describe`` is the JSON form of a campaign, used
by the API and by the audit log's before/after.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quests.campaign_plan import parse_plan, plan_to_dict, validate
from quests.campaign_store import Campaign, CampaignWindow, calendar_of, store_plan, touch
from quests.campaigns import CampaignInvalid, CampaignPlan, CampaignStatus, window_score
from quests.catalog_store import catalog_of
from quests.errors import QuestError
from quests.orm import Player
from quests.store import QuestCompletion

__all__ = ["UnknownCampaign", "calendar_of", "clone", "create", "describe", "edit", "end_early",
           "get", "mark_closed", "mark_opened", "pause", "publish", "set_quests", "window_scores"]


class UnknownCampaign(QuestError):
    def __init__(self, campaign_id: object) -> None:
        super().__init__(f"no campaign {campaign_id!r}")
        self.campaign_id = campaign_id


def get(session: Session, campaign_id: int, *, lock: bool = False) -> Campaign:
    query = select(Campaign).where(Campaign.id == campaign_id)
    campaign = session.scalar(query.with_for_update() if lock else query)
    if campaign is None:
        raise UnknownCampaign(campaign_id)
    return campaign


def listing(session: Session, *, public: bool = False) -> list[Campaign]:
    query = select(Campaign).order_by(Campaign.starts_at, Campaign.id)
    if public:
        query = query.where(Campaign.status != CampaignStatus.DRAFT.value)
    return list(session.scalars(query))


def _check(session: Session, plan: CampaignPlan, campaign: Campaign | None) -> None:
    others = [c.state() for c in listing(session) if campaign is None or c.id != campaign.id]
    validate(plan, known_quests=set(catalog_of(session).quests),
             granted=campaign.granted() if campaign else None, others=others)
    if campaign is None:
        return
    for row in campaign.windows:
        if row.paid_at is not None and not any(
                w.starts_at == row.starts_at and w.ends_at == row.ends_at for w in plan.windows):
            raise CampaignInvalid("windows", f"the window from {row.starts_at:%Y-%m-%d} is already "
                                             "paid; it cannot change or go")


def create(session: Session, data: Any, actor: str, now: datetime) -> Campaign:
    plan = parse_plan(data)
    _check(session, plan, None)
    campaign = Campaign(status=CampaignStatus.DRAFT.value, created_by=actor, created_at=now,
                        updated_at=now, revision=0)
    store_plan(campaign, plan)
    session.add(campaign)
    session.flush()
    return campaign


def edit(session: Session, campaign_id: int, data: Any, now: datetime) -> Campaign:
    campaign = get(session, campaign_id, lock=True)
    if campaign.status == CampaignStatus.ENDED.value:
        raise CampaignInvalid("status", "an ended campaign cannot change")
    plan = parse_plan(data)
    if campaign.opened_at is not None and plan.starts_at != campaign.starts_at:
        raise CampaignInvalid("starts_at", "the campaign has opened; its start cannot move")
    _check(session, plan, campaign)
    store_plan(campaign, plan)
    touch(campaign)
    session.flush()
    return campaign


def set_quests(session: Session, campaign_id: int, quest_ids: Sequence[str], now: datetime) -> Campaign:
    campaign = get(session, campaign_id, lock=True)
    data = plan_to_dict(campaign.plan())
    data["quests"] = list(quest_ids)
    return edit(session, campaign_id, data, now)


def clone(session: Session, campaign_id: int, actor: str, now: datetime) -> Campaign:
    """A draft copy with the same plan (no quests attached: two campaigns at the same time
    may not share a quest; attach them after moving the dates)."""
    source = get(session, campaign_id)
    data = plan_to_dict(source.plan())
    data["name"] = f"{source.name} (copy)"[:120]
    data["quests"] = []
    return create(session, data, actor, now)


def publish(session: Session, campaign_id: int, now: datetime) -> Campaign:
    """draft or paused -> published (the scheduler opens it at its start)."""
    campaign = get(session, campaign_id, lock=True)
    if campaign.status not in (CampaignStatus.DRAFT.value, CampaignStatus.PAUSED.value):
        raise CampaignInvalid("status", f"a {campaign.status} campaign cannot be published")
    if campaign.ends_at <= now:
        raise CampaignInvalid("ends_at", "the campaign's end has passed")
    if not campaign.quests:
        raise CampaignInvalid("quests", "attach at least one quest before publishing")
    _check(session, campaign.plan(), campaign)
    campaign.status = CampaignStatus.PUBLISHED.value
    touch(campaign)
    return campaign


def pause(session: Session, campaign_id: int, now: datetime) -> Campaign:
    campaign = get(session, campaign_id, lock=True)
    if campaign.status != CampaignStatus.PUBLISHED.value:
        raise CampaignInvalid("status", f"a {campaign.status} campaign cannot be paused")
    campaign.status = CampaignStatus.PAUSED.value
    touch(campaign)
    return campaign


def end_early(session: Session, campaign_id: int, now: datetime) -> Campaign:
    campaign = get(session, campaign_id, lock=True)
    if campaign.status in (CampaignStatus.ENDED.value, CampaignStatus.DRAFT.value):
        raise CampaignInvalid("status", f"a {campaign.status} campaign cannot be ended")
    campaign.status, campaign.closed_at = CampaignStatus.ENDED.value, now
    touch(campaign)
    return campaign


def mark_opened(session: Session, campaign_id: int, now: datetime) -> bool:
    """The scheduler opens a published campaign at its start; True if this call opened it."""
    campaign = get(session, campaign_id, lock=True)
    if (campaign.status != CampaignStatus.PUBLISHED.value or campaign.opened_at is not None
            or now < campaign.starts_at or now >= campaign.ends_at):
        return False
    campaign.opened_at = now
    touch(campaign)
    return True


def mark_closed(session: Session, campaign_id: int, now: datetime) -> bool:
    """The scheduler closes a campaign at its end; True if this call closed it."""
    campaign = get(session, campaign_id, lock=True)
    if (campaign.closed_at is not None or campaign.status == CampaignStatus.DRAFT.value
            or now < campaign.ends_at):
        return False
    campaign.status, campaign.closed_at = CampaignStatus.ENDED.value, campaign.ends_at
    touch(campaign)
    return True


def window_scores(session: Session, campaign: Campaign, window: CampaignWindow) -> list[tuple[str, int]]:
    """(address, score) of every player with campaign completions inside the window."""
    catalog = catalog_of(session)
    quest_ids = [q.quest_id for q in campaign.quests if q.quest_id in catalog]
    if not quest_ids:
        return []
    rows = session.execute(
        select(Player.address, QuestCompletion.quest_id, func.count())
        .join(Player, Player.id == QuestCompletion.player_id)
        .where(QuestCompletion.quest_id.in_(quest_ids),
               QuestCompletion.completed_at >= window.starts_at,
               QuestCompletion.completed_at < window.ends_at)
        .group_by(Player.address, QuestCompletion.quest_id))
    scores: dict[str, int] = {}
    for address, quest_id, n in rows:
        points = n * window_score(window.board, catalog.get(quest_id).rewards)
        scores[address] = scores.get(address, 0) + points
    return sorted(scores.items())


def describe(campaign: Campaign, now: datetime | None = None) -> dict[str, Any]:
    """The campaign as JSON: its plan, state, budgets with what is left, windows, notes."""
    state = campaign.state()
    return {
        "id": campaign.id, **plan_to_dict(campaign.plan()), "status": campaign.status,
        "live": state.live(now) if now else None,
        "opened_at": _iso(campaign.opened_at), "closed_at": _iso(campaign.closed_at),
        "created_by": campaign.created_by,
        "budgets": {b.kind: {"cap": b.cap, "granted": b.granted, "left": max(b.cap - b.granted, 0)}
                    for b in campaign.budgets},
        "windows": [{"position": w.position, "starts_at": w.starts_at.isoformat(),
                     "ends_at": w.ends_at.isoformat(), "board": w.board, "prizes": w.prizes,
                     "paid_at": _iso(w.paid_at), "winners": w.winners} for w in campaign.windows],
        "announcements": [{"id": a.id, "send_at": a.send_at.isoformat(), "text": a.text,
                           "sent_at": _iso(a.sent_at)} for a in campaign.announcements],
    }


def calendar_preview(campaign: Campaign) -> list[dict[str, Any]]:
    """What will happen when, in order: open, windows closing, announcements, close."""
    events = [{"at": campaign.starts_at, "what": "opens", "detail": ", ".join(
        q.quest_id for q in campaign.quests) or "no quests attached"}]
    for w in campaign.windows:
        tiers = "; ".join(f"ranks {t['first']}-{t['last']}: {_rewards_text(t['rewards'])}" for t in w.prizes)
        events.append({"at": w.ends_at, "what": f"leaderboard window {w.position + 1} closes",
                       "detail": f"{w.board} board from {w.starts_at.isoformat()}; {tiers or 'no prizes'}"})
    events += [{"at": a.send_at, "what": "announcement", "detail": a.text} for a in campaign.announcements]
    events.append({"at": campaign.ends_at, "what": "closes", "detail": ""})
    return [{**e, "at": e["at"].isoformat()} for e in sorted(events, key=lambda e: e["at"])]


def _rewards_text(rewards: dict[str, Any]) -> str:
    parts = [f"{n} {k} shard{'s' if n != 1 else ''}" for k, n in rewards.get("shards", {}).items()]
    if rewards.get("sahara"):
        parts.append(f"{rewards['sahara']} SAHARA")
    if rewards.get("xp"):
        parts.append(f"{rewards['xp']} XP")
    return ", ".join(parts) or "nothing"


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def player_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Player)) or 0


def public_view(campaign: Campaign, now: datetime) -> dict[str, Any]:
    """What players see of a campaign: window, quests, budgets and what is left, prizes,
    and the announcements already made."""
    full = describe(campaign, now)
    return {key: full[key] for key in ("id", "name", "status", "live", "starts_at", "ends_at",
                                       "quests", "budgets")} | {
        "windows": [{k: w[k] for k in ("starts_at", "ends_at", "board", "prizes", "paid_at", "winners")}
                    for w in full["windows"]],
        "announcements": [{"send_at": a["send_at"], "text": a["text"]}
                          for a in full["announcements"] if a["sent_at"]]}


def quest_campaigns(session: Session, player_id: int | None, quest_id: str, period: str,
                    now: datetime) -> dict[str, Any]:
    """For a quest's detail: its campaigns with their budgets, and why a completion is (or
    would be) recorded without rewards."""
    from quests.campaign_store import withheld_for
    from quests.campaigns import BUDGET_KINDS, reward_amounts, withheld_reason

    ids = [c.id for c in calendar_of(session).of(quest_id)]
    if not ids:
        return {"campaigns": [], "reward_withheld": None, "reward_note": None}
    rows = [get(session, i) for i in ids]
    withheld = withheld_for(session, player_id, quest_id, period) if player_id else None
    note = None
    catalog = catalog_of(session)
    charging = calendar_of(session).charging(quest_id, now)
    if charging is not None and quest_id in catalog:
        cost = reward_amounts(catalog.get(quest_id).rewards)
        budgets = {b.kind: b for b in get(session, charging.id).budgets}
        for kind in BUDGET_KINDS:
            b = budgets.get(kind)
            if b is not None and cost[kind] and b.granted + cost[kind] > b.cap:
                note = withheld_reason(charging.name, kind)
                break
    return {"campaigns": [public_view(c, now) for c in rows],
            "reward_withheld": withheld.reason if withheld else None, "reward_note": note}


def player_by_address(session: Session, address: str) -> Player | None:
    return session.scalar(select(Player).where(func.lower(Player.address) == address.lower()))
