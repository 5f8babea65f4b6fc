"""Why a quest is, or is not yet, complete: per objective, met or unmet, the reason, and
the evidence seen so far. The HTTP API serialises ``QuestReport.to_dict()``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quests.definitions import Quest
from quests.evidence import Player
from quests.objectives import Objective, describe, evaluate, objective_type
from quests.objectives.composite import CompositeObjective, parts_progress
from quests.progress import QuestProgress, Standing, Status


@dataclass(frozen=True)
class ObjectiveReport:
    path: str  # "0", "1.0" (second objective, its first part)
    type_name: str
    title: str
    met: bool
    reason: str | None
    evidence: tuple[dict[str, Any], ...] = ()
    parts: tuple[ObjectiveReport, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "type": self.type_name,
            "title": self.title,
            "met": self.met,
            "reason": self.reason,
            "evidence": [dict(e) for e in self.evidence],
            "parts": [p.to_dict() for p in self.parts],
        }


@dataclass(frozen=True)
class QuestReport:
    quest_id: str
    title: str
    region: str
    status: str
    period: str | None
    reason: str | None  # why the quest is locked, when it is
    objectives: tuple[ObjectiveReport, ...]
    evidence: tuple[dict[str, Any], ...] = ()  # the completion record, once completed

    @property
    def met(self) -> bool:
        return all(o.met for o in self.objectives)

    def to_dict(self) -> dict[str, Any]:
        return {
            "quest_id": self.quest_id,
            "title": self.title,
            "region": self.region,
            "status": self.status,
            "period": self.period,
            "reason": self.reason,
            "met": self.met,
            "objectives": [o.to_dict() for o in self.objectives],
            "evidence": [dict(e) for e in self.evidence],
        }


def explain(
    quest: Quest,
    progress: QuestProgress | None,
    player: Player,
    standing: Standing | None = None,
) -> QuestReport:
    """Explain ``quest`` for ``player`` from their record (``None``: never touched).

    Pass the quest's ``standing`` to say why a locked quest is locked.
    """
    status = progress.status if progress else Status.LOCKED
    reason = None
    if status is Status.LOCKED and standing is not None and not standing.open:
        reason = standing.reason
    objectives = tuple(
        _report(o, progress.objective(i) if progress else {}, player, str(i))
        for i, o in enumerate(quest.objectives)
    )
    return QuestReport(
        quest_id=quest.id,
        title=quest.title,
        region=quest.region,
        status=status.value,
        period=progress.period if progress else None,
        reason=reason,
        objectives=objectives,
        evidence=tuple(dict(e) for e in progress.evidence) if progress else (),
    )


def _report(objective: Objective, progress: Mapping[str, Any], player: Player, path: str) -> ObjectiveReport:
    outcome = evaluate(objective, progress, None, player)
    kind = objective_type(objective)
    parts: tuple[ObjectiveReport, ...] = ()
    if isinstance(objective, CompositeObjective):
        parts = tuple(
            _report(part, p, player, f"{path}.{j}")
            for j, (part, p) in enumerate(
                zip(objective.parts, parts_progress(objective, progress), strict=True)
            )
        )
    return ObjectiveReport(
        path=path,
        type_name=objective.type_name,
        title=describe(objective),
        met=outcome.met,
        reason=outcome.reason,
        evidence=tuple(kind.seen(objective, progress)),
        parts=parts,
    )
