"""Modules stay small enough to read in one sitting, and the top of ``legends/`` stays a small
composition root (everything else lives in its rooms; see docs/architecture.md)."""

from __future__ import annotations

import pytest
from house_imports import ROOT, package_modules, relative

MAX_LINES = 300
MAX_TOP_LEVEL_MODULES = 8
# Generated files are exempt; none of the packages holds a generated Python module today
# (the compiled contracts are JSON in chain/artifacts/).
GENERATED: set[str] = set()


@pytest.mark.parametrize("path", [p for p in package_modules("legends", "quests", "nft", "chain")
                                  if relative(p) not in GENERATED], ids=relative)
def test_no_module_is_over_300_lines(path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{relative(path)} has {lines} lines; split it by role"


def test_the_top_of_legends_holds_at_most_eight_modules():
    top = sorted(p.name for p in (ROOT / "legends").glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, f"legends/ top level: {top}; move code into a room"
