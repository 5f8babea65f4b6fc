"""Shared plumbing of the game's views: who is playing, one transaction per request, and
the translation of the quest engine's domain errors into the API's 4xx JSON."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chain.errors import ChainError
from legends.api.errors import ApiError, Conflict, NotFound, TooManyRequests
from legends.auth.session import current_address
from legends.db import get_db
from quests.errors import AnswerTooSoon, NotApplicable, QuestAlreadyDone, QuestLocked, UnknownQuest
from quests.orm import Player
from quests.ports import CompletionSink


class Unavailable(ApiError):
    status = 503


def optional_player() -> Player | None:
    """The signed-in player, or None for an anonymous visitor."""
    address = current_address()
    if not address:
        return None
    with get_db().sessions() as session:
        return session.scalar(select(Player).where(Player.address == address))


def sink() -> CompletionSink:
    return current_app.extensions["legends.completion_sink"]


@contextmanager
def game_transaction() -> Iterator[Session]:
    """One transaction for the request; any domain error rolls all of it back and
    becomes a 4xx answer naming the field."""
    try:
        with get_db().sessions.begin() as session:
            yield session
    except UnknownQuest as exc:
        raise NotFound(str(exc), field="quest_id") from None
    except QuestLocked as exc:
        raise Conflict(str(exc), field="quest_id", reason=exc.reason) from None
    except QuestAlreadyDone as exc:
        raise Conflict(str(exc), field="quest_id", period=exc.period) from None
    except NotApplicable as exc:
        raise ApiError(str(exc), field=exc.field) from None
    except AnswerTooSoon as exc:
        error = TooManyRequests(str(exc), field="answer", retry_after=exc.retry_after,
                                attempts=exc.attempts)
        error.headers["Retry-After"] = str(exc.retry_after)
        raise error from None
    except IntegrityError:
        raise Conflict("another request changed this at the same moment; try again") from None


@contextmanager
def chain_call(what: str) -> Iterator[None]:
    """Turn an unreachable chain into a 503 saying what could not be done."""
    try:
        yield
    except ChainError as exc:
        raise Unavailable(f"cannot {what}: the chain is unreachable ({exc})") from None


def int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(f"{name} must be a whole number", field=name) from None
    if not low <= value <= high:
        raise ApiError(f"{name} must be between {low} and {high}", field=name)
    return value


def choice_arg(name: str, choices: tuple[str, ...], default: str) -> str:
    value = request.args.get(name, default)
    if value not in choices:
        raise ApiError(f"{name} must be one of {', '.join(choices)}", field=name)
    return value
