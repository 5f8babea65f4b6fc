"""Objectives met off chain by the game itself: daily check-ins and activated referrals.

YAML::

    type: checkin
    min_streak: 7        # default 1: any check-in

    type: referral
    min_count: 1         # invitees who completed every activation quest
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quests.evidence import CheckIn, Evidence, Player, ReferralActivated
from quests.objectives.base import Objective, ObjectiveType, Outcome, register


@dataclass(frozen=True, kw_only=True)
class CheckInObjective(Objective):
    type_name = "checkin"
    min_streak: int = 1


@dataclass(frozen=True, kw_only=True)
class ReferralObjective(Objective):
    type_name = "referral"
    min_count: int = 1


@register
class CheckInType(ObjectiveType):
    type_name = "checkin"

    @classmethod
    def parse(cls, spec: Mapping[str, Any], where: str) -> CheckInObjective:
        f = cls.fields(spec, where)
        objective = CheckInObjective(
            title=f.text("title", None), min_streak=f.integer("min_streak", 1, minimum=1)
        )
        f.done()
        return objective

    @classmethod
    def describe(cls, objective: CheckInObjective) -> str:
        if objective.min_streak == 1:
            return "check in"
        return f"check in {objective.min_streak} days in a row"

    @classmethod
    def evaluate(
        cls,
        objective: CheckInObjective,
        progress: Mapping[str, Any],
        evidence: Evidence | None,
        player: Player,
    ) -> Outcome:
        p = cls.copy(progress)
        p.setdefault("best_streak", 0)
        p.setdefault("evidence", [])
        met = p["best_streak"] >= objective.min_streak
        if met or not isinstance(evidence, CheckIn):
            return Outcome(p, met, None if met else _checkin_status(objective, p))
        ref = evidence.ref()
        if any(r["day"] == ref["day"] for r in p["evidence"]):
            return Outcome(p, False, _checkin_status(objective, p))
        p["evidence"] = (p["evidence"] + [ref])[-objective.min_streak :]
        p["best_streak"] = max(p["best_streak"], evidence.streak)
        met = p["best_streak"] >= objective.min_streak
        return Outcome(p, met, None if met else _checkin_status(objective, p), (ref,))


def _checkin_status(objective: CheckInObjective, p: Mapping[str, Any]) -> str:
    if not p["evidence"]:
        return "check in to start"
    last = p["evidence"][-1]
    return (
        f"your streak reached {last['streak']} day{'' if last['streak'] == 1 else 's'}; "
        f"this quest needs {objective.min_streak} in a row"
    )


@register
class ReferralType(ObjectiveType):
    type_name = "referral"

    @classmethod
    def parse(cls, spec: Mapping[str, Any], where: str) -> ReferralObjective:
        f = cls.fields(spec, where)
        objective = ReferralObjective(
            title=f.text("title", None), min_count=f.integer("min_count", 1, minimum=1)
        )
        f.done()
        return objective

    @classmethod
    def describe(cls, objective: ReferralObjective) -> str:
        n = objective.min_count
        return f"bring {n} traveller{'' if n == 1 else 's'} who finish the Gate's activation quests"

    @classmethod
    def evaluate(
        cls,
        objective: ReferralObjective,
        progress: Mapping[str, Any],
        evidence: Evidence | None,
        player: Player,
    ) -> Outcome:
        p = cls.copy(progress)
        p.setdefault("evidence", [])
        met = len(p["evidence"]) >= objective.min_count
        if met or not isinstance(evidence, ReferralActivated) or player.is_me(evidence.invitee):
            return Outcome(p, met, None if met else _referral_status(objective, p))
        ref = evidence.ref()
        if any(_same_address(r["invitee"], evidence.invitee) for r in p["evidence"]):
            return Outcome(p, False, _referral_status(objective, p))
        p["evidence"].append(ref)
        met = len(p["evidence"]) >= objective.min_count
        return Outcome(p, met, None if met else _referral_status(objective, p), (ref,))


def _same_address(a: str, b: str) -> bool:
    return a.lower() == b.lower()


def _referral_status(objective: ReferralObjective, p: Mapping[str, Any]) -> str:
    n = len(p["evidence"])
    return (
        f"found {n} invited traveller{'' if n == 1 else 's'} who finished the activation "
        f"quests; this quest needs {objective.min_count}"
    )
