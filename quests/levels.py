"""XP and levels: level L needs 50·L·(L−1) XP in total (0, 100, 300, 600, 1000, ...)."""

from __future__ import annotations

import math
from dataclasses import dataclass

XP_STEP = 50
MAX_LEVEL = 99
RANKS: tuple[tuple[int, str], ...] = (
    (1, "Wanderer"),
    (3, "Nomad"),
    (5, "Caravaneer"),
    (8, "Pathfinder"),
    (12, "Dune Sage"),
    (20, "Legend of the Sands"),
)


def xp_for_level(level: int) -> int:
    """Total XP needed to reach ``level`` (level 1 needs none)."""
    if level < 1:
        raise ValueError("levels start at 1")
    return XP_STEP * level * (level - 1)


def level_for_xp(xp: int) -> int:
    """The level a player with ``xp`` total XP has reached (1..MAX_LEVEL)."""
    if xp < 0:
        raise ValueError("xp cannot be negative")
    level = int((1 + math.isqrt(1 + 4 * xp // XP_STEP)) // 2)
    while xp_for_level(level + 1) <= xp:  # guard against rounding at the edges
        level += 1
    while xp_for_level(level) > xp:
        level -= 1
    return min(level, MAX_LEVEL)


def rank(level: int) -> str:
    """The title that goes with a level."""
    return [name for floor, name in RANKS if level >= floor][-1]


@dataclass(frozen=True)
class LevelProgress:
    xp: int
    level: int
    rank: str
    level_xp: int  # total XP at which this level began
    next_level_xp: int | None  # None at MAX_LEVEL

    @property
    def to_next(self) -> int | None:
        return None if self.next_level_xp is None else self.next_level_xp - self.xp


def level_progress(xp: int) -> LevelProgress:
    """Level, rank and the distance to the next level, for the profile page."""
    level = level_for_xp(xp)
    nxt = None if level >= MAX_LEVEL else xp_for_level(level + 1)
    return LevelProgress(xp, level, rank(level), xp_for_level(level), nxt)
