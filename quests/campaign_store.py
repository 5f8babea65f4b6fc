"""Persistence of campaigns: the campaign, its quests, budgets, leaderboard windows,
announcements, and the completions its spent budget did not reward.

The UNIQUE constraints are rules: a quest is attached to a campaign once; one budget per
campaign and reward type; a window's position is unique in its campaign (its payout key);
a completion (player, quest, period) is withheld at most once. ``granted`` only grows, by an
UPDATE that refuses to pass ``cap``, so two racing completions cannot overdraw a budget.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session, relationship

from quests.campaigns import (
    Announcement,
    Calendar,
    CampaignPlan,
    CampaignState,
    CampaignStatus,
    LeaderboardWindow,
    PrizeTier,
)
from quests.definitions import Rewards
from quests.orm import Base, intpk, per_transaction, utcnow
from quests.store import UtcDateTime

_cache_lock = threading.Lock()
_cache: dict[str, tuple[tuple[Any, ...], Calendar]] = {}


class Campaign(Base):
    __tablename__ = "campaign"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(42))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    revision: Mapped[int] = mapped_column(Integer, default=0)  # bumped by every change

    quests: Mapped[list[CampaignQuest]] = relationship(
        cascade="all, delete-orphan", order_by="CampaignQuest.position")
    budgets: Mapped[list[CampaignBudget]] = relationship(
        cascade="all, delete-orphan", order_by="CampaignBudget.kind")
    windows: Mapped[list[CampaignWindow]] = relationship(
        cascade="all, delete-orphan", order_by="CampaignWindow.position")
    announcements: Mapped[list[CampaignAnnouncement]] = relationship(
        cascade="all, delete-orphan", order_by="CampaignAnnouncement.send_at")

    def state(self) -> CampaignState:
        return CampaignState(self.id, self.name, CampaignStatus(self.status), self.starts_at,
                             self.ends_at, frozenset(q.quest_id for q in self.quests),
                             self.opened_at, self.closed_at)

    def plan(self) -> CampaignPlan:
        return CampaignPlan(
            name=self.name, starts_at=self.starts_at, ends_at=self.ends_at,
            quests=tuple(q.quest_id for q in self.quests),
            budgets={b.kind: b.cap for b in self.budgets},
            windows=tuple(w.window() for w in self.windows),
            announcements=tuple(Announcement(a.send_at, a.text) for a in self.announcements))

    def granted(self) -> dict[str, int]:
        return {b.kind: b.granted for b in self.budgets}


class CampaignQuest(Base):
    __tablename__ = "campaign_quest"
    __table_args__ = (UniqueConstraint("campaign_id", "quest_id"),)

    id: Mapped[intpk]
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    quest_id: Mapped[str] = mapped_column(String(64), index=True)
    position: Mapped[int] = mapped_column(Integer)


class CampaignBudget(Base):
    __tablename__ = "campaign_budget"
    __table_args__ = (UniqueConstraint("campaign_id", "kind"),)

    id: Mapped[intpk]
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # quests.campaigns.BUDGET_KINDS
    cap: Mapped[int] = mapped_column(BigInteger)
    granted: Mapped[int] = mapped_column(BigInteger, default=0)


class CampaignWindow(Base):
    """A leaderboard window; ``paid_at`` is set in the payout's own transaction."""

    __tablename__ = "campaign_window"
    __table_args__ = (UniqueConstraint("campaign_id", "position"),)

    id: Mapped[intpk]
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    board: Mapped[str] = mapped_column(String(8))
    prizes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    winners: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)

    def window(self) -> LeaderboardWindow:
        return LeaderboardWindow(self.starts_at, self.ends_at, self.board, tuple(
            PrizeTier(t["first"], t["last"], Rewards(dict(t["rewards"].get("shards", {})),
                                                     t["rewards"].get("sahara", 0),
                                                     t["rewards"].get("xp", 0)))
            for t in self.prizes))


class CampaignAnnouncement(Base):
    __tablename__ = "campaign_announcement"

    id: Mapped[intpk]
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    send_at: Mapped[datetime] = mapped_column(UtcDateTime())
    text: Mapped[str] = mapped_column(String(500))
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class CampaignWithheld(Base):
    """A completion recorded without its rewards: the campaign's budget was spent."""

    __tablename__ = "campaign_withheld"
    __table_args__ = (UniqueConstraint("player_id", "quest_id", "period"),)

    id: Mapped[intpk]
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    player_id: Mapped[int] = mapped_column(ForeignKey("player.id"))
    quest_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UtcDateTime())


# -- reading --------------------------------------------------------------------------------------
def calendar_of(session: Session) -> Calendar:
    """Every campaign as the rules see it, cached per database until one changes."""
    fingerprint = per_transaction(session, "calendar", lambda: tuple(session.execute(
        select(func.count(), func.sum(Campaign.revision), func.max(Campaign.id))).one()), (Campaign,))
    url = str(session.get_bind().engine.url)
    with _cache_lock:
        cached = _cache.get(url)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    calendar = Calendar([c.state() for c in session.scalars(select(Campaign).order_by(Campaign.id))])
    with _cache_lock:
        _cache[url] = (fingerprint, calendar)
    return calendar


def touch(campaign: Campaign) -> None:
    """Mark the campaign changed: the calendar cache keys on the revisions, which (unlike a
    time stamp under a frozen or skewed clock) always move."""
    campaign.revision = (campaign.revision or 0) + 1


def store_plan(campaign: Campaign, plan: CampaignPlan) -> None:
    """Write ``plan`` into ``campaign``; paid windows and sent announcements stay as they were
    (the caller validated that the plan keeps them)."""
    campaign.name, campaign.starts_at, campaign.ends_at = plan.name, plan.starts_at, plan.ends_at
    old = {b.kind: b for b in campaign.budgets}
    paid = [w for w in campaign.windows if w.paid_at is not None]
    session = object_session(campaign)
    if session is not None:  # the old rows go first: their UNIQUE keys are reused below
        campaign.quests = []
        campaign.windows = paid
        session.flush()
    campaign.quests = [CampaignQuest(quest_id=q, position=i) for i, q in enumerate(plan.quests)]
    campaign.budgets = [_budget(old.get(kind), kind, cap) for kind, cap in sorted(plan.budgets.items())]
    fresh = [w for w in plan.windows if not any(_same_window(p, w) for p in paid)]
    campaign.windows = paid + [
        CampaignWindow(position=len(paid) + i, starts_at=w.starts_at, ends_at=w.ends_at, board=w.board,
                       prizes=[{"first": t.first, "last": t.last, "rewards": {
                           "shards": dict(t.rewards.shards), "sahara": t.rewards.sahara,
                           "xp": t.rewards.xp}} for t in w.prizes])
        for i, w in enumerate(sorted(fresh, key=lambda w: w.starts_at))]
    sent = [a for a in campaign.announcements if a.sent_at is not None]
    campaign.announcements = sent + [
        CampaignAnnouncement(send_at=a.send_at, text=a.text) for a in plan.announcements
        if not any(s.send_at == a.send_at and s.text == a.text for s in sent)]


def _budget(row: CampaignBudget | None, kind: str, cap: int) -> CampaignBudget:
    if row is None:
        return CampaignBudget(kind=kind, cap=cap, granted=0)
    row.cap = cap
    return row


def _same_window(row: CampaignWindow, window: LeaderboardWindow) -> bool:
    return row.starts_at == window.starts_at and row.ends_at == window.ends_at


def charge(session: Session, campaign_id: int, cost: dict[str, int]) -> str | None:
    """Take ``cost`` from the campaign's budgets, all or nothing; returns the budget kind
    that could not pay (and takes nothing), or None. Kinds without a budget are unlimited."""
    taken: list[tuple[str, int]] = []
    for kind, amount in sorted(cost.items()):
        if amount <= 0:
            continue
        changed = session.execute(
            update(CampaignBudget)
            .where(CampaignBudget.campaign_id == campaign_id, CampaignBudget.kind == kind,
                   CampaignBudget.granted + amount <= CampaignBudget.cap)
            .values(granted=CampaignBudget.granted + amount)
            .execution_options(synchronize_session=False))
        if changed.rowcount == 1:
            taken.append((kind, amount))
            continue
        exists = session.scalar(select(CampaignBudget.id).where(
            CampaignBudget.campaign_id == campaign_id, CampaignBudget.kind == kind))
        if exists is None:
            continue  # no cap on this kind
        for done, n in taken:  # give back what this completion already took
            session.execute(update(CampaignBudget)
                            .where(CampaignBudget.campaign_id == campaign_id, CampaignBudget.kind == done)
                            .values(granted=CampaignBudget.granted - n)
                            .execution_options(synchronize_session=False))
        return kind
    return None


def withheld_for(session: Session, player_id: int, quest_id: str, period: str) -> CampaignWithheld | None:
    return session.scalar(select(CampaignWithheld).where(
        CampaignWithheld.player_id == player_id, CampaignWithheld.quest_id == quest_id,
        CampaignWithheld.period == period))


def withheld_keys(session: Session, keys: list[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """Which (player address, quest id, period) completions were withheld."""
    if not keys:
        return set()
    from quests.orm import Player

    addresses = sorted({k[0] for k in keys})
    rows = session.execute(select(Player.address, CampaignWithheld.quest_id, CampaignWithheld.period)
                           .join(Player, Player.id == CampaignWithheld.player_id)
                           .where(Player.address.in_(addresses)))
    wanted = set(keys)
    return {tuple(r) for r in rows if tuple(r) in wanted}  # type: ignore[misc]
