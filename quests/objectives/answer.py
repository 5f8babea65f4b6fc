"""``answer``: a quiz question. Answers are compared after folding case, whitespace and
surrounding punctuation; a wrong answer's reason never reveals the right one.

YAML::

    type: answer
    question: Who signs an attested invocation?
    choices: [the caller, the attester, the developer]   # optional, shown to the player
    accept: [the attester, attester]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quests.errors import DefinitionError
from quests.evidence import Answer, Evidence, Player
from quests.objectives.base import Objective, ObjectiveType, Outcome, register


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
        p.setdefault("evidence", [])
        if p["met"] or not isinstance(evidence, Answer):
            return Outcome(p, p["met"], None if p["met"] else _status(p))
        p["attempts"] += 1
        if objective.is_right(evidence.text):
            ref = {**evidence.ref(), "attempt": p["attempts"]}
            p["met"] = True
            p["evidence"] = [ref]
            return Outcome(p, True, None, (ref,))
        return Outcome(p, False, _status(p))


def _status(p: Mapping[str, Any]) -> str:
    if not p["attempts"]:
        return "waiting for your answer"
    tries = p["attempts"]
    return (
        f"not the answer the desert awaits ({tries} attempt{'' if tries == 1 else 's'}); "
        "read the story again and try once more"
    )
