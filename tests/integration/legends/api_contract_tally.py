"""What the schemathesis run of the API covered: operations, examples and failures per role."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Tally:
    statuses: dict[str, dict[str, set[int]]] = field(default_factory=dict)
    calls: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)  # failed operations

    def count(self, role: str, operation: str, status: int) -> None:
        self.statuses.setdefault(role, {}).setdefault(operation, set()).add(status)
        self.calls[role] += 1

    def fail(self, role: str) -> None:
        self.failures[role] += 1

    @property
    def operations(self) -> dict[str, set[str]]:
        return {role: set(seen) for role, seen in self.statuses.items()}

    @property
    def examples(self) -> int:
        return sum(self.calls.values())

    def summary(self) -> str:
        parts = [f"{role}: {len(ops)} operations, {self.calls[role]} examples, "
                 f"{self.failures[role]} failed operations" for role, ops in sorted(self.operations.items())]
        return "schemathesis (all checks) — " + "; ".join(parts)


TALLY = Tally()
