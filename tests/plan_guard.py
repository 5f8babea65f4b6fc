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


FULL_INDEX_SCANS = ("Index Scan", "Index Only Scan")


def seq_scans(plan: dict[str, Any], large: frozenset[str] = LARGE_TABLES,
              limited: bool = False, partial: frozenset[str] = frozenset()) -> list[str]:
    """Large tables the plan reads whole: a sequential scan, or (what the planner picks
    instead once sequential scans are off) an index scan with no index condition that no
    LIMIT above it stops early, i.e. a walk of every entry of the index. A partial index
    holds only the rows its predicate selects (the reward planner's unplanned grants), so
    walking one is not a walk of the table."""
    found = []
    table = plan.get("Relation Name")
    if table in large:
        if plan["Node Type"] == "Seq Scan":
            found.append(table)
        elif (plan["Node Type"] in FULL_INDEX_SCANS and "Index Cond" not in plan and not limited
              and plan.get("Index Name") not in partial):
            found.append(f"{table} (every entry of {plan.get('Index Name')})")
    limited = limited or plan["Node Type"] == "Limit"
    for child in plan.get("Plans", ()):
        found.extend(seq_scans(child, large, limited, partial))
    return found


def offenders(engine: Engine, captured: Captured) -> list[str]:
    """One line per distinct statement that would scan a large table."""
    found: dict[str, str] = {}
    with engine.connect() as conn:
        partial = frozenset(conn.exec_driver_sql(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " AND indexdef LIKE '%% WHERE %%'").scalars())
    for (statement, parameters), label in zip(captured.statements, captured.labels):
        if statement in found:
            continue
        scanned = seq_scans(plan_of(engine, statement, parameters), partial=partial)
        if scanned:
            found[statement] = f"[{label}] seq scan of {', '.join(scanned)}: {' '.join(statement.split())}"
    return list(found.values())
