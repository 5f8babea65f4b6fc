"""The quest engine's ports: the clock, and where completions go.

The service (``quests.service``) tells a ``CompletionSink`` about every completion and
every withdrawal (a chain reorg orphaned its evidence); the composition root supplies the
real sink (``legends.wiring.completions``), which records the reward grants in the same
transaction. Tests use a FrozenClock and a recording sink.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from quests.definitions import Rewards


class Clock(Protocol):
    """Tells the time. ``now()`` returns an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock (UTC)."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class Completion:
    """A player completed a quest in a period. ``tx_hash``/``block_number``/``log_index``
    name the log that completed it (None for off-chain evidence: answers, check-ins...)."""

    player_id: int
    player: str  # wallet address
    quest_id: str
    period: str
    completed_at: datetime
    rule_version: int
    rewards: Rewards
    tx_hash: str | None = None
    block_number: int | None = None
    log_index: int | None = None
    evidence: tuple[Mapping[str, Any], ...] = ()


class CompletionSink(Protocol):
    """Receives completions inside the caller's transaction (``session`` is the caller's
    open SQLAlchemy session; the sink must not commit)."""

    def completed(self, session: Any, completion: Completion) -> None: ...

    def withdrawn(self, session: Any, completion: Completion) -> None: ...
