"""Objective types: ``event``, ``state``, ``answer``, ``all``, ``any``, ``checkin``,
``referral``. Importing this package registers them all (see ``base.OBJECTIVE_TYPES``)."""

from quests.objectives import answer, composite, event, social, state  # noqa: F401 (register)
from quests.objectives.answer import AnswerObjective, normalise
from quests.objectives.base import (
    OBJECTIVE_TYPES,
    Objective,
    ObjectiveType,
    Outcome,
    describe,
    evaluate,
    objective_type,
    parse_objective,
    register,
    walk,
)
from quests.objectives.composite import AllObjective, AnyObjective, CompositeObjective
from quests.objectives.event import PLAYER, EventObjective
from quests.objectives.social import CheckInObjective, ReferralObjective
from quests.objectives.state import CHECKS, StateObjective

__all__ = [
    "CHECKS",
    "OBJECTIVE_TYPES",
    "PLAYER",
    "AllObjective",
    "AnswerObjective",
    "AnyObjective",
    "CheckInObjective",
    "CompositeObjective",
    "EventObjective",
    "Objective",
    "ObjectiveType",
    "Outcome",
    "ReferralObjective",
    "StateObjective",
    "describe",
    "evaluate",
    "normalise",
    "objective_type",
    "parse_objective",
    "register",
    "walk",
]
