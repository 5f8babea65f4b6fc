"""The EXPLAIN guard: record every statement a code path sends to PostgreSQL, then ask the
planner how it would run each one with sequential scans discouraged. A sequential scan that
survives ``enable_seqscan = off`` means no index can answer the statement, so its cost grows
with the table: on a table that grows with the players, that is a failure.

Statements are captured with SQLAlchemy's ``before_cursor_execute`` hook, so a statement
added to a hot path later is covered without touching the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event

# Tables whose size follows the number of players, their actions or the reward backlog.
LARGE_TABLES = frozenset({
    "player", "auth_nonce", "auth_session", "quest_progress", "quest_evidence", "quest_completion",
    "quest_withdrawal", "quest_checkin", "leaderboard_score", "reward_grant", "reward_batch",
    "quest_inbox", "quest_wayside",
})
EXPLAINABLE = ("SELECT", "UPDATE", "DELETE", "INSERT", "WITH")


@dataclass
class Captured:
    """Statements seen, in order, each with the parameters of its first execution."""

    statements: list[tuple[str, Any]] = field(default_factory=list)
    label: str = ""
    labels: list[str] = field(default_factory=list)

    def add(self, statement: str, parameters: Any, many: bool) -> None:
        if many and isinstance(parameters, list | tuple):
            parameters = parameters[0] if parameters else None
        self.statements.append((statement, parameters))
        self.labels.append(self.label)


@contextmanager
def capture(engine: Engine) -> Iterator[Captured]:
    """Record what ``engine`` executes inside the block; set ``.label`` to tag the path."""
    seen = Captured()

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(EXPLAINABLE):
            seen.add(statement, parameters, executemany)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def plan_of(engine: Engine, statement: str, parameters: Any) -> dict[str, Any]:
    """The planner's JSON plan for one statement, sequential scans discouraged."""
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        result = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters or None)
        plan = result.scalar_one()
        conn.rollback()
    return plan[0]["Plan"] if isinstance(plan, list) else plan["Plan"]


def nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def seq_scans(plan: dict[str, Any], large: frozenset[str] = LARGE_TABLES) -> list[str]:
    """Large tables the plan reads with a sequential scan."""
    return [n["Relation Name"] for n in nodes(plan)
            if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in large]


def offenders(engine: Engine, captured: Captured) -> list[str]:
    """One line per distinct statement that would scan a large table."""
    found: dict[str, str] = {}
    for (statement, parameters), label in zip(captured.statements, captured.labels):
        if statement in found:
            continue
        scanned = seq_scans(plan_of(engine, statement, parameters))
        if scanned:
            found[statement] = f"[{label}] seq scan of {', '.join(scanned)}: {' '.join(statement.split())}"
    return list(found.values())
