import pytest
from quest_fakes import FrozenClock


@pytest.fixture
def clock() -> FrozenClock:
    """The clock frozen at noon UTC on Sunday 2026-11-22 (ISO week 2026-W47)."""
    return FrozenClock("2026-11-22T12:00:00")
