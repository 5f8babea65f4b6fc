"""Campaigns bound to the rewards ledger: budgets charged as completions are recorded,
and the leaderboard windows' prizes paid through the ledger (the scheduler calls this).

Budget: a completion of a campaign quest inside its window takes its rewards from the
campaign's budgets (all or nothing); when a budget cannot pay, the completion stays
recorded, its grants are not, and a ``campaign_withheld`` row tells the player why.
Prizes: one grant per winner with the key (player, ``campaign:<id>:prize``, ``window-<n>``),
so running a payout twice pays once; ``paid_at`` is set in the same transaction.
Prizes are not charged to the budgets (the admin sets them explicitly, window by window).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from nft.ledger import Grant, grants_for_rewards
from nft.outbox import record_grants
from quests.campaign_plan import rewards_to_dict
from quests.campaign_service import get, window_scores
from quests.campaign_store import CampaignWithheld, calendar_of, charge
from quests.campaigns import prize_winners, reward_amounts, withheld_reason
from quests.ports import Completion

log = logging.getLogger(__name__)


def admitted_grants(session: Session, completion: Completion, grants: list[Grant]) -> list[Grant]:
    """The grants a completion may record: all of them, or none when its campaign's budget
    is spent (then the completion is marked withheld, with the reason)."""
    campaign = calendar_of(session).charging(completion.quest_id, completion.completed_at)
    if campaign is None or not grants:
        return grants
    kind = charge(session, campaign.id, reward_amounts(completion.rewards))
    if kind is None:
        return grants
    reason = withheld_reason(campaign.name, kind)
    session.add(CampaignWithheld(campaign_id=campaign.id, player_id=completion.player_id,
                                 quest_id=completion.quest_id, period=completion.period, kind=kind,
                                 reason=reason, at=completion.completed_at))
    from legends.wiring.completions import queue_event

    queue_event(session, completion.player, "quest.unrewarded",
                {"quest_id": completion.quest_id, "period": completion.period, "reason": reason})
    return []


def pay_window(session: Session, campaign_id: int, position: int, now: datetime) -> dict[str, Any]:
    """Close a leaderboard window and grant its prizes (once)."""
    campaign = get(session, campaign_id, lock=True)
    window = next((w for w in campaign.windows if w.position == position), None)
    if window is None:
        return {"paid": False, "why": f"campaign {campaign_id} has no window {position}"}
    if window.paid_at is not None:
        return {"paid": False, "why": "already paid", "paid_at": window.paid_at.isoformat()}
    if now < window.ends_at:
        return {"paid": False, "why": "the window is still open"}
    winners = prize_winners(window_scores(session, campaign, window), window.window())
    grants = [g for address, _rank, prize in winners for g in grants_for_rewards(
        address, f"campaign:{campaign_id}:prize", f"window-{position}", rewards_to_dict(prize))]
    records = record_grants(session, grants)
    window.paid_at = now
    window.winners = [{"address": a, "rank": r, "prize": rewards_to_dict(p)} for a, r, p in winners]
    return {"paid": True, "winners": window.winners,
            "grants": sum(1 for r in records if r.created)}
