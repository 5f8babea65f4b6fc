"""Shared plumbing of the game's views: who is playing and one transaction per request. A
domain error raised inside the transaction rolls all of it back; ``legends.api.errors`` turns
it into the 4xx answer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy.orm import Session

from legends.auth.session import current_player
from legends.db import get_db
from quests.orm import Player
from quests.ports import CompletionSink


def optional_player() -> Player | None:
    """The signed-in player, or None for an anonymous visitor."""
    return current_player()


def sink() -> CompletionSink:
    return current_app.extensions["legends.completion_sink"]


@contextmanager
def game_transaction() -> Iterator[Session]:
    """One transaction for the request, rolled back by any exception."""
    with get_db().sessions.begin() as session:
        yield session
