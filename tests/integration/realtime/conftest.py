"""Fixtures for the live socket tests (helpers in ``live_support``)."""

from __future__ import annotations

import pytest
from live_support import LiveGame, Served
from netutil import free_port

from legends.wiring.catalog import load_quests


@pytest.fixture
def live_app(make_app):
    app = make_app(PUBLIC_URL="http://localhost:5000")
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    return app


@pytest.fixture
def live(live_app) -> LiveGame:
    return LiveGame(live_app)


@pytest.fixture
def served(make_app):
    port = free_port()
    app = make_app(PUBLIC_URL=f"http://localhost:{port}")
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    server = Served(app, port)
    yield server
    server.stop()
