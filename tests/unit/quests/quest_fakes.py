"""Fakes and one-line builders for the quest-engine unit tests.

(Named ``quest_fakes`` rather than ``fakes`` so that it cannot collide with another test
folder's helper module: the test folders have no ``__init__.py``.)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import yaml

from quests.definitions import Quest, parse_quest
from quests.evidence import ChainEvent, Evidence, Player
from quests.objectives import Objective, Outcome, evaluate, parse_objective
from quests.units import WEI_PER_SAHARA

# EIP-55 test vectors: real checksummed addresses.
ALICE = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
BOB = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
CAROL = "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"
DAVE = "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
PLAYER = Player(ALICE)


class FrozenClock:
    """A ``quests.ports.Clock`` that only moves when a test moves it."""

    def __init__(self, at: datetime | str) -> None:
        self._now = utc(at)

    def now(self) -> datetime:
        return self._now

    def set(self, at: datetime | str) -> None:
        self._now = utc(at)

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now


def utc(at: datetime | str) -> datetime:
    """``"2026-11-22T23:59:00"`` -> an aware UTC datetime."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def sahara(tokens: float) -> int:
    """Whole (or fractional) SAHARA -> wei."""
    return int(tokens * WEI_PER_SAHARA)


def chain_event(
    contract: str,
    event: str,
    *,
    tx: int = 1,
    log_index: int = 0,
    block: int = 100,
    at: datetime | str = "2026-11-22T12:00:00",
    **args: Any,
) -> ChainEvent:
    """A decoded log with a deterministic tx hash built from ``tx``."""
    return ChainEvent(
        contract=contract,
        event=event,
        args=args,
        block_number=block,
        tx_hash=f"0x{tx:064x}",
        log_index=log_index,
        timestamp=int(utc(at).timestamp()),
    )


def objective(spec: dict[str, Any] | str) -> Objective:
    """Parse one objective from a dict or a YAML snippet."""
    if isinstance(spec, str):
        spec = yaml.safe_load(spec)
    return parse_objective(spec, "objectives[0]")


def feed(target: Objective, evidence: Iterable[Evidence | None], player: Player = PLAYER) -> Outcome:
    """Feed evidence in order, threading progress through; return the last outcome."""
    outcome = evaluate(target, {}, None, player)
    for item in evidence:
        outcome = evaluate(target, outcome.progress, item, player)
    return outcome


def quest(text: str) -> Quest:
    """A quest from a YAML snippet."""
    return parse_quest(yaml.safe_load(text))
