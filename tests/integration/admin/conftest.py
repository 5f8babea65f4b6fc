"""Fixtures of the admin tests: an app whose admin comes from ADMIN_ADDRESSES, the shipped
catalog, and three clients (anonymous, a player, the admin)."""

from __future__ import annotations

import pytest
from admin_support import ADMIN_KEY, PLAYER_KEY, account, csrf, sign_in
from quest_game import FrozenClock

from legends.wiring.catalog import load_quests


@pytest.fixture
def admin_app(make_app):
    app = make_app(ADMIN_ADDRESSES=account(ADMIN_KEY).address)
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    return app


@pytest.fixture
def clock(admin_app):
    from datetime import UTC, datetime

    frozen = FrozenClock(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    admin_app.extensions["legends.clock"] = frozen
    return frozen


@pytest.fixture
def anon(admin_app):
    return admin_app.test_client()


@pytest.fixture
def player(admin_app):
    client = admin_app.test_client()
    sign_in(client, PLAYER_KEY)
    return client


@pytest.fixture
def admin(admin_app):
    client = admin_app.test_client()
    sign_in(client, ADMIN_KEY)
    client.environ_base["HTTP_X_CSRF_TOKEN"] = csrf(client)["X-CSRF-Token"]
    return client
