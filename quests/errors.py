"""Domain errors of the quest engine."""

from __future__ import annotations


class QuestError(Exception):
    """Base class of every error the quest engine raises."""


class DefinitionError(QuestError):
    """A quest or objective definition is invalid; ``field`` names the offending field.

    ``field`` is a dotted path relative to the quest, e.g. ``objectives[0].min_count``.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class CatalogError(QuestError):
    """A catalog file is invalid. The message and the attributes name the file, the quest
    (``None`` when the problem is not inside one quest) and the field."""

    def __init__(self, file: str, quest_id: str | None, field: str | None, problem: str) -> None:
        parts = [str(file)]
        if quest_id is not None:
            parts.append(f"quest {quest_id!r}")
        if field is not None:
            parts.append(f"field {field!r}")
        super().__init__(": ".join(parts) + f": {problem}")
        self.file = str(file)
        self.quest_id = quest_id
        self.field = field
        self.problem = problem


class IllegalTransition(QuestError):
    """A quest progress was asked to move along an edge the state machine does not have."""

    def __init__(self, quest_id: str, current: str, target: str) -> None:
        super().__init__(f"quest {quest_id!r}: cannot go from {current} to {target}")
        self.quest_id = quest_id
        self.current = current
        self.target = target


class UnknownQuest(QuestError):
    """No quest with this id in the loaded catalog."""

    field = "quest_id"

    def __init__(self, quest_id: str) -> None:
        super().__init__(f"there is no quest {quest_id!r}")
        self.quest_id = quest_id


class QuestLocked(QuestError):
    """The player may not take this quest now; ``reason`` says why in the game's words."""

    field = "quest_id"

    def __init__(self, quest_id: str, reason: str) -> None:
        super().__init__(f"{quest_id} is locked: {reason}")
        self.quest_id = quest_id
        self.reason = reason


class QuestAlreadyDone(QuestError):
    """The quest is already completed (for this period)."""

    field = "quest_id"

    def __init__(self, quest_id: str, period: str) -> None:
        when = "" if period == "once" else f" for {period}"
        super().__init__(f"you already completed {quest_id}{when}")
        self.quest_id = quest_id
        self.period = period


class NotApplicable(QuestError):
    """The action does not apply to this quest (e.g. answering a quest that asks nothing);
    ``field`` names the request field at fault."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field


class AnswerTooSoon(QuestError):
    """A wrong answer was given a moment ago: the riddle waits ``retry_after`` seconds."""

    def __init__(self, quest_id: str, retry_after: int, attempts: int) -> None:
        super().__init__(
            f"the riddle of {quest_id} is silent for {retry_after} s more after your last wrong "
            f"answer ({attempts} so far); think it over")
        self.quest_id, self.retry_after, self.attempts = quest_id, retry_after, attempts
