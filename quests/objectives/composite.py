"""``all`` / ``any``: composites of nested objectives.

YAML::

    type: any
    of:
      - {type: event, contract: Governance, event: ProposalCreated, filters: {proposer: $player}}
      - {type: event, contract: Governance, event: VoteCast, filters: {voter: $player},
         distinct: proposalId, min_count: 3}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quests.errors import DefinitionError
from quests.evidence import Evidence, Player
from quests.objectives.base import (
    Objective,
    ObjectiveType,
    Outcome,
    describe,
    evaluate,
    parse_objective,
    register,
)


@dataclass(frozen=True, kw_only=True)
class CompositeObjective(Objective):
    parts: tuple[Objective, ...]


@dataclass(frozen=True, kw_only=True)
class AllObjective(CompositeObjective):
    type_name = "all"


@dataclass(frozen=True, kw_only=True)
class AnyObjective(CompositeObjective):
    type_name = "any"


class _CompositeType(ObjectiveType):
    objective_class: type[CompositeObjective] = CompositeObjective
    needs_all = True

    @classmethod
    def parse(cls, spec: Mapping[str, Any], where: str) -> CompositeObjective:
        f = cls.fields(spec, where)
        of = f.raw("of")
        if not isinstance(of, list) or not of:
            raise DefinitionError(f.path("of"), "expected a non-empty list of objectives")
        parts = tuple(parse_objective(s, f"{f.path('of')}[{i}]") for i, s in enumerate(of))
        objective = cls.objective_class(title=f.text("title", None), parts=parts)
        f.done()
        return objective

    @classmethod
    def children(cls, objective: CompositeObjective) -> tuple[Objective, ...]:
        return objective.parts

    @classmethod
    def seen(cls, objective: Any, progress: Mapping[str, Any]) -> list[dict[str, Any]]:
        return []  # the explanation shows each part's evidence under the part

    @classmethod
    def describe(cls, objective: CompositeObjective) -> str:
        joiner = " and " if cls.needs_all else " or "
        return joiner.join(describe(part) for part in objective.parts)

    @classmethod
    def evaluate(
        cls,
        objective: CompositeObjective,
        progress: Mapping[str, Any],
        evidence: Evidence | None,
        player: Player,
    ) -> Outcome:
        old = parts_progress(objective, progress)
        before = [evaluate(part, old[i], None, player) for i, part in enumerate(objective.parts)]
        outcomes = before
        if not _done(cls.needs_all, [o.met for o in before]):  # a met composite takes no more
            outcomes = [evaluate(part, old[i], evidence, player) for i, part in enumerate(objective.parts)]
        met = _done(cls.needs_all, [o.met for o in outcomes])
        used = tuple(ref for o in outcomes for ref in o.evidence_used)
        new = {"parts": [o.progress for o in outcomes]}
        if met:
            return Outcome(new, True, None, used)
        reasons = [o.reason for o in outcomes if not o.met and o.reason]
        if cls.needs_all:
            return Outcome(new, False, "; ".join(reasons), used)
        return Outcome(new, False, "any one will do: " + " | ".join(reasons), used)


def parts_progress(objective: CompositeObjective, progress: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Each part's progress (``{}`` for parts not yet touched)."""
    old = list(progress.get("parts", []))
    return old + [{}] * (len(objective.parts) - len(old))


def _done(needs_all: bool, flags: list[bool]) -> bool:
    return all(flags) if needs_all else any(flags)


@register
class AllType(_CompositeType):
    type_name = "all"
    objective_class = AllObjective
    needs_all = True


@register
class AnyType(_CompositeType):
    type_name = "any"
    objective_class = AnyObjective
    needs_all = False
