"""``answer``: a quiz question. Answers are compared after folding case, whitespace and
surrounding punctuation; a wrong answer's reason never reveals the right one.

YAML::

    type: answer
    question: Who signs an attested invocation?
    choices: [the caller, the attester, the developer]   # optional, shown to the player
    accept: [the attester, attester]

A wrong answer silences the riddle for a cooldown that doubles with every wrong answer
(30 s, 1 min, 2 min, ... up to an hour), so that trying every choice is slow; the attempts
are counted in the objective's progress, and a right answer after wrong ones still counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from quests.errors import DefinitionError
from quests.evidence import Answer, Evidence, Player
from quests.objectives.base import Objective, ObjectiveType, Outcome, register

FIRST_COOLDOWN = timedelta(seconds=30)
LONGEST_COOLDOWN = timedelta(hours=1)


def cooldown(wrong: int) -> timedelta:
    """How long the riddle is silent after the ``wrong``-th wrong answer: 30 s, 1 min, 2 min..."""
    if wrong <= 0:
        return timedelta(0)
    return min(FIRST_COOLDOWN * 2 ** min(wrong - 1, 20), LONGEST_COOLDOWN)


def retry_at(progress: Mapping[str, Any]) -> datetime | None:
    """When the riddle listens again (None: now)."""
    at = progress.get("retry_at")
    return datetime.fromisoformat(at) if at else None


def normalise(text: str) -> str:
    """``"  The  ATTESTER. "`` -> ``"the attester"``."""
    folded = re.sub(r"\s+", " ", text).strip().casefold()
    return folded.strip(" .,!?;:'\"`")


@dataclass(frozen=True, kw_only=True)
class AnswerObjective(Objective):
    type_name = "answer"
    question: str
    choices: tuple[str, ...] = ()
    accept: frozenset[str]  # normalised

    def is_right(self, text: str) -> bool:
        return normalise(text) in self.accept


@register
class AnswerType(ObjectiveType):
    type_name = "answer"

    @classmethod
    def parse(cls, spec: Mapping[str, Any], where: str) -> AnswerObjective:
        f = cls.fields(spec, where)
        accept = frozenset(normalise(a) for a in f.texts("accept"))
        if not accept or "" in accept:
            raise DefinitionError(f.path("accept"), "needs at least one non-empty answer")
        objective = AnswerObjective(
            title=f.text("title", None),
            question=f.text("question"),
            choices=f.texts("choices", ()),
            accept=accept,
        )
        f.done()
        return objective

    @classmethod
    def describe(cls, objective: AnswerObjective) -> str:
        return objective.question

    @classmethod
    def evaluate(
        cls,
        objective: AnswerObjective,
        progress: Mapping[str, Any],
        evidence: Evidence | None,
        player: Player,
    ) -> Outcome:
        p = cls.copy(progress)
        p.setdefault("met", False)
        p.setdefault("attempts", 0)
        p.setdefault("wrong", 0)
        p.setdefault("evidence", [])
        if p["met"] or not isinstance(evidence, Answer):
            return Outcome(p, p["met"], None if p["met"] else _status(p))
        p["attempts"] += 1
        if objective.is_right(evidence.text):
            ref = {**evidence.ref(), "attempt": p["attempts"]}
            p["met"] = True
            p["evidence"] = [ref]
            p.pop("retry_at", None)
            return Outcome(p, True, None, (ref,))
        p["wrong"] += 1
        if evidence.at is not None:
            p["retry_at"] = (evidence.at + cooldown(p["wrong"])).isoformat()
        return Outcome(p, False, _status(p))


def _status(p: Mapping[str, Any]) -> str:
    if not p["attempts"]:
        return "waiting for your answer"
    tries = p["attempts"]
    wait = int(cooldown(p.get("wrong", 0)).total_seconds())
    again = f"try once more in {wait} s" if wait else "try once more"
    return (
        f"not the answer the desert awaits ({tries} attempt{'' if tries == 1 else 's'}); "
        f"read the story again and {again}"
    )
