"""The Agent Forge's rules for invoking an agent: who may (its developer or a licensee), how
long a question may be, and how often one player may ask.

The attester signs only for a caller the chain already lets invoke the agent: a signature
for anyone else would be refused on chain anyway.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

MAX_INPUT = 2_000  # characters: a question, not a dataset
DEFAULT_PER_MINUTE = 10


class UnknownAgent(Exception):
    pass


class NotLicensed(Exception):
    pass


def may_invoke(agent_id: int, developer: str | None, caller: str,
               licensed: Callable[[], bool]) -> None:
    """Raise :class:`UnknownAgent` or :class:`NotLicensed` unless ``caller`` may invoke.

    ``developer`` is None when the agent does not exist; ``licensed`` is asked only when the
    caller is not the developer (it costs a chain read).
    """
    if developer is None:
        raise UnknownAgent(f"agent {agent_id} does not exist")
    if developer.lower() != caller.lower() and not licensed():
        raise NotLicensed(f"you hold no licence for agent {agent_id}: license it first "
                          "(or invoke an agent you built)")


@dataclass(frozen=True)
class RateRule:
    """At most ``limit`` invocations by one player in any ``window`` seconds (sliding)."""

    limit: int
    window: float = 60.0

    def wait(self, times: Sequence[float], now: float) -> float | None:
        """None when one more is allowed at ``now``; otherwise the seconds until it is.
        ``times`` are the player's counted invocations still in the window, oldest first."""
        if len(times) < self.limit:
            return None
        return max(times[-self.limit] + self.window - now, 0.001)


class RateLimiter:
    """Counts invocations per player under a :class:`RateRule`, in this process (each web
    process counts its own). A player's times older than the window are dropped, and players
    idle for a whole window are forgotten, so memory follows the players active right now."""

    def __init__(self, limit: int, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rule = RateRule(limit, window)
        self.clock = clock
        self._taken: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._swept = clock()

    @property
    def limit(self) -> int:
        return self.rule.limit

    @property
    def window(self) -> float:
        return self.rule.window

    def take(self, key: str) -> float | None:
        """None when allowed (and counted); otherwise the seconds until the next is allowed."""
        now = self.clock()
        with self._lock:
            self._sweep(now)
            times = self._taken.setdefault(key.lower(), deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            wait = self.rule.wait(times, now)
            if wait is None:
                times.append(now)
            return wait

    def _sweep(self, now: float) -> None:
        # At most once a window, so a take stays O(1) amortised.
        if now - self._swept < self.window:
            return
        self._swept = now
        cutoff = now - self.window
        for key in [k for k, times in self._taken.items() if not times or times[-1] <= cutoff]:
            del self._taken[key]

    def __len__(self) -> int:
        """Players currently remembered."""
        with self._lock:
            return len(self._taken)
