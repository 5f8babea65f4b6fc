"""Fixtures for the quest service tests (see ``quest_game``)."""

from __future__ import annotations

import pytest
from quest_game import Game

from legends.wiring.catalog import load_quests


@pytest.fixture
def game(make_app) -> Game:
    """A migrated SQLite app with the shipped catalog loaded, at noon on 2026-11-22."""
    app = make_app()
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    return Game(app)
