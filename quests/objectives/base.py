"""The objective-type registry, modelled on CTFd's challenge-type registry.

Each objective type is a small class registered under its ``type_name``. It parses its own
YAML fields into a frozen objective value and evaluates evidence against it as a pure
function of (progress, evidence): progress is a JSON-ready dict owned by the type, never
mutated in place; the outcome carries the new progress, whether the objective is met and,
when it is not, a reason a player can read.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from quests.errors import DefinitionError
from quests.evidence import Evidence, Player
from quests.fields import Fields, join


@dataclass(frozen=True, kw_only=True)
class Objective:
    """A parsed objective. ``title`` is what the player reads; each type adds its fields."""

    type_name: ClassVar[str] = ""
    title: str | None = None


@dataclass(frozen=True)
class Outcome:
    """Result of feeding one piece of evidence (or none) to an objective.

    ``evidence_used`` lists references (JSON-ready dicts) of the evidence this call counted.
    """

    progress: dict[str, Any]
    met: bool
    reason: str | None
    evidence_used: tuple[dict[str, Any], ...] = ()


class ObjectiveType:
    """Base class of objective types; subclasses override ``parse`` and ``evaluate``."""

    type_name: ClassVar[str] = ""

    @classmethod
    def parse(cls, spec: Mapping[str, Any], where: str) -> Objective:
        """Validate ``spec`` and build the objective; raise ``DefinitionError`` naming the
        field (``where`` is the path of ``spec`` inside the quest, e.g. ``objectives[0]``)."""
        raise NotImplementedError

    @classmethod
    def evaluate(
        cls,
        objective: Any,
        progress: Mapping[str, Any],
        evidence: Evidence | None,
        player: Player,
    ) -> Outcome:
        """Judge ``evidence`` (``None``: just report the current state)."""
        raise NotImplementedError

    @classmethod
    def describe(cls, objective: Any) -> str:
        """A one-line description when the author gave no ``title``."""
        return cls.type_name

    @classmethod
    def children(cls, objective: Any) -> tuple[Objective, ...]:
        """Nested objectives (composites only)."""
        return ()

    @classmethod
    def seen(cls, objective: Any, progress: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Evidence seen so far, for the quest explanation."""
        return [dict(r) for r in progress.get("evidence", [])] + [
            dict(r) for r in progress.get("ignored", [])
        ]

    @staticmethod
    def fields(spec: Mapping[str, Any], where: str) -> Fields:
        """A field reader over ``spec`` with ``type`` already accounted for."""
        fields = Fields(spec, where)
        fields.raw("type")
        return fields

    @staticmethod
    def copy(progress: Mapping[str, Any]) -> dict[str, Any]:
        return copy.deepcopy(dict(progress))


OBJECTIVE_TYPES: dict[str, type[ObjectiveType]] = {}


def register(cls: type[ObjectiveType]) -> type[ObjectiveType]:
    """Class decorator adding an objective type to the registry."""
    if not cls.type_name or cls.type_name in OBJECTIVE_TYPES:
        raise ValueError(f"objective type name {cls.type_name!r} is empty or taken")
    OBJECTIVE_TYPES[cls.type_name] = cls
    return cls


def objective_type(objective_or_name: Objective | str) -> type[ObjectiveType]:
    """The registered type of an objective (or of a type name); ``KeyError`` if unknown."""
    name = objective_or_name if isinstance(objective_or_name, str) else objective_or_name.type_name
    return OBJECTIVE_TYPES[name]


def parse_objective(spec: Any, where: str) -> Objective:
    """Parse one objective spec of any registered type; unknown types are rejected."""
    if not isinstance(spec, Mapping):
        raise DefinitionError(where, "expected an objective mapping with a 'type'")
    name = spec.get("type")
    if not isinstance(name, str) or name not in OBJECTIVE_TYPES:
        known = ", ".join(sorted(OBJECTIVE_TYPES))
        problem = f"unknown objective type {name!r}; known: {known}"
        raise DefinitionError(join(where, "type"), problem)
    return OBJECTIVE_TYPES[name].parse(spec, where)


def evaluate(
    objective: Objective,
    progress: Mapping[str, Any] | None,
    evidence: Evidence | None,
    player: Player,
) -> Outcome:
    """Feed ``evidence`` to ``objective`` through its registered type."""
    return objective_type(objective).evaluate(objective, progress or {}, evidence, player)


def describe(objective: Objective) -> str:
    """What the player reads for this objective."""
    return objective.title or objective_type(objective).describe(objective)


def walk(objective: Objective) -> Iterator[Objective]:
    """This objective and every nested one, depth first."""
    yield objective
    for child in objective_type(objective).children(objective):
        yield from walk(child)
