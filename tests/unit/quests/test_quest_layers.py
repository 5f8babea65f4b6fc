"""The rules of the quest engine stay plain Python: no Flask, no database, no web3; and the
quests package never reaches up into the app, the rewards or the chain."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

QUESTS = Path(__file__).resolve().parents[3] / "quests"
PERSISTENCE = {"orm.py", "store.py", "catalog_store.py", "journey.py", "service.py", "reorg.py",
               "checkins.py", "overview.py", "leaderboard.py", "campaign_store.py",
               "campaign_service.py"}


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


MODULES = sorted(QUESTS.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(QUESTS)))
def test_the_quests_package_imports_no_app_rewards_or_chain(path):
    assert not imported(path) & {"flask", "legends", "nft", "chain", "web3", "eth_account"}


@pytest.mark.parametrize("path", [p for p in MODULES if p.name not in PERSISTENCE],
                         ids=lambda p: str(p.relative_to(QUESTS)))
def test_the_rules_need_no_database(path):
    assert "sqlalchemy" not in imported(path)
