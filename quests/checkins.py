"""Daily check-ins with streaks, and the referral report.

A check-in is one row per player and UTC day (a second one the same day changes nothing);
it feeds every open check-in quest with the streak reached. Referrals count only once the
invitee has completed every activation quest of the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quests.catalog_store import catalog_of
from quests.evidence import CheckIn
from quests.journey import OPEN, Journey
from quests.objectives import CheckInObjective
from quests.orm import Player
from quests.ports import Completion, CompletionSink
from quests.referrals import missing_activation
from quests.store import CheckInDay, QuestCompletion
from quests.streaks import Streak, checked_in_today, current_streak
from quests.streaks import check_in as next_streak


@dataclass(frozen=True)
class CheckInResult:
    streak: Streak
    already: bool  # the player had checked in today already
    completions: list[Completion] = field(default_factory=list)

    def to_dict(self, now: datetime) -> dict[str, Any]:
        return {"already_checked_in": self.already, "streak": current_streak(self.streak, now),
                "best_streak": self.streak.best, "day": _day(self.streak),
                "completed": [c.quest_id for c in self.completions]}


def streak_of(session: Session, player_id: int) -> Streak:
    """The player's streak as of their last check-in."""
    last = session.scalars(select(CheckInDay).where(CheckInDay.player_id == player_id)
                           .order_by(CheckInDay.day.desc()).limit(1)).first()
    if last is None:
        return Streak()
    best = session.scalar(select(func.max(CheckInDay.streak)).where(CheckInDay.player_id == player_id))
    return Streak(current=last.streak, best=best or last.streak, last_day=last.day)


def check_in(session: Session, player: Player, now: datetime, *,
             sink: CompletionSink | None = None) -> CheckInResult:
    """Check in for today's UTC day and feed the streak to the open check-in quests."""
    before = streak_of(session, player.id)
    if checked_in_today(before, now):
        return CheckInResult(before, already=True)
    streak = next_streak(before, now)
    session.add(CheckInDay(player_id=player.id, day=streak.last_day, streak=streak.current, at=now))
    session.flush()
    catalog = catalog_of(session)
    journey = Journey(session, catalog, player, now, sink)
    completions: list[Completion] = []
    for quest in catalog:
        if not any(isinstance(o, CheckInObjective) for o in quest.all_objectives()):
            continue
        if journey.current(quest)[1].status in OPEN:
            completions += journey.feed(quest, CheckIn(at=now, streak=streak.current))[1]
    return CheckInResult(streak, already=False, completions=completions)


REFERRAL_PAGE = 50


def referral_report(session: Session, player: Player, *, limit: int = REFERRAL_PAGE,
                    after: int | None = None) -> dict[str, Any]:
    """Who the player invited (a page of ``limit`` invitees after the invitee id ``after``,
    oldest first) and whose invitation counts (activation quests completed). The totals
    are counted over the player's invitees through the ``referred_by_id`` index."""
    catalog = catalog_of(session)
    activation = catalog.activation_ids
    mine = Player.referred_by_id == player.id
    query = select(Player.id, Player.address, Player.created_at).where(mine)
    if after is not None:
        query = query.where(Player.id > after)
    invitees = session.execute(query.order_by(Player.id).limit(limit)).all()
    done: dict[int, set[str]] = {pid: set() for pid, _, _ in invitees}
    if invitees and activation:
        rows = session.execute(select(QuestCompletion.player_id, QuestCompletion.quest_id).where(
            QuestCompletion.player_id.in_(list(done)), QuestCompletion.quest_id.in_(activation)))
        for pid, quest_id in rows:
            done[pid].add(quest_id)
    listed = []
    for pid, address, joined in invitees:
        missing = sorted(missing_activation(done[pid], activation))
        listed.append({"address": address, "joined_at": joined.isoformat() if joined else None,
                       "activated": bool(activation) and not missing, "missing": missing})
    invited = session.scalar(select(func.count()).select_from(Player).where(mine)) or 0
    return {
        "referral_code": player.referral_code,
        "activation_quests": sorted(activation),
        "invited": invited,
        "activated": _activated_count(session, player.id, activation),
        "invitees": listed,
        "next": invitees[-1][0] if len(invitees) == limit else None,  # the cursor: an id
    }


def _activated_count(session: Session, player_id: int, activation: frozenset[str]) -> int:
    if not activation:
        return 0
    per_invitee = (select(QuestCompletion.player_id)
                   .join(Player, Player.id == QuestCompletion.player_id)
                   .where(Player.referred_by_id == player_id,
                          QuestCompletion.quest_id.in_(activation))
                   .group_by(QuestCompletion.player_id)
                   .having(func.count(func.distinct(QuestCompletion.quest_id)) == len(activation)))
    return session.scalar(select(func.count()).select_from(per_invitee.subquery())) or 0


def _day(streak: Streak) -> str | None:
    return streak.last_day.isoformat() if streak.last_day else None
