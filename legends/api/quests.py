"""Quests: list, detail, accept, state checks, answers, the "why" report, check-ins and
referrals. Each view parses input, calls one service function and renders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app

from chain.errors import ChainError
from chain.store import SqlManifestStore
from legends.api import api
from legends.api.contract import operation, player, reply
from legends.api.errors import Forbidden, NotFound, chain_call
from legends.api.play import game_transaction, optional_player, sink
from legends.api.quests_models import (
    AnswerBody,
    CheckedIn,
    ExplainBody,
    Explained,
    Judged,
    QuestAction,
    QuestDetail,
    QuestList,
    QuestPath,
    QuestsQuery,
    Referrals,
    ReferralsQuery,
    Why,
)
from legends.wiring.completions import sync_rewarded
from legends.wiring.game import now
from legends.wiring.state_readings import get_reader
from legends.wiring.transactions import NotYourTransaction, UnknownTransaction, read_facts
from quests import service
from quests.campaign_service import quest_campaigns
from quests.orm import Player
from quests.overview import quest_detail, quest_list

ACTION_ERRORS = (400, 404, 409)


def observe(who: Player | None, quest_id: str | None = None) -> None:
    """Opening the quest log (or one quest's page: ``quest_id``) reads the on-chain state the
    player's open quests check (holding a Sahara ID, a Guardian, the Legend, a balance...)
    and completes what it satisfies, so an action done in any order is found. An unreachable
    chain leaves the log as it was."""
    if who is None:
        return
    with game_transaction() as db:
        wanted = service.state_to_read(db, who, now())
    if quest_id is not None:
        wanted = {q: checks for q, checks in wanted.items() if q == quest_id}
    if not wanted:
        return
    try:
        readings = get_reader().readings(who.address, set().union(*wanted.values()))
    except ChainError:
        return
    with game_transaction() as db:
        service.observe_state(db, who, readings, now(), only=quest_id, sink=sink())


@operation(api.get, "/quests", ok={200: QuestList}, errors=(400,), tag="quests")
def quests_index(query: QuestsQuery):  # type: ignore[no-untyped-def]
    """Every quest with the caller's status (opening the log reads the state open quests check)"""
    who = optional_player()
    observe(who)
    at = now()
    with game_transaction() as db:
        if who is not None:
            sync_rewarded(db, at, player_id=who.id)
        quests = quest_list(db, who, at, query.region)
    return reply(QuestList, {"quests": quests, "signed_in": who is not None})


@operation(api.get, "/quests/<quest_id>", ok={200: QuestDetail}, errors=(400, 404), tag="quests")
def quest_show(path: QuestPath):  # type: ignore[no-untyped-def]
    """One quest in detail (opening it reads the on-chain state it checks)"""
    who = optional_player()
    _known(path.quest_id)
    observe(who, path.quest_id)
    at = now()
    with game_transaction() as db:
        if who is not None:
            sync_rewarded(db, at, player_id=who.id)
        detail = quest_detail(db, who, path.quest_id, at)
        detail.update(quest_campaigns(db, who.id if who else None, path.quest_id, detail["period"], at))
        return reply(QuestDetail, detail)


@operation(api.post, "/quests/<quest_id>/accept", ok={200: QuestAction}, errors=(*ACTION_ERRORS, 503),
           signed_in=True, tag="quests")
def quest_accept(path: QuestPath):  # type: ignore[no-untyped-def]
    """Pin an open quest to the journal

    Optional: the player's transactions count from the quest's opening block, accepted or not.
    """
    who, quest_id = player(), path.quest_id
    _known(quest_id)
    with chain_call("accept the quest"):
        head = get_reader().head_block()
    at = now()
    with game_transaction() as db:
        move = service.accept(db, who, quest_id, at, head, sink=sink())
        return reply(QuestAction, _after(db, who, quest_id, move, at))


@operation(api.post, "/quests/<quest_id>/check", ok={200: QuestAction}, errors=(*ACTION_ERRORS, 503),
           signed_in=True, tag="quests")
def quest_check(path: QuestPath):  # type: ignore[no-untyped-def]
    """Read the player's on-chain state for the quest's state objectives and judge it

    A quest without state objectives answers 404: it has no state to check and completes as
    the indexer sees the player's transactions.
    """
    who, quest_id = player(), path.quest_id
    checks = _known(quest_id).state_checks()
    if not checks:
        raise NotFound(f"{quest_id} has no on-chain state to check; it completes as the "
                       "indexer sees your transactions", field="quest_id")
    with chain_call("read your on-chain state"):
        readings = get_reader().readings(who.address, checks)
    at = now()
    with game_transaction() as db:
        move = service.check_state(db, who, quest_id, readings, at, sink=sink())
        return reply(QuestAction, _after(db, who, quest_id, move, at))


@operation(api.post, "/quests/<quest_id>/answer", ok={200: Judged}, errors=(*ACTION_ERRORS, 429),
           signed_in=True, tag="quests")
def quest_answer(path: QuestPath, body: AnswerBody):  # type: ignore[no-untyped-def]
    """Answer the quest's question

    A wrong answer silences the riddle for a cooldown that doubles (30 s, 1 min, 2 min...): an
    answer meanwhile is refused with 429 and Retry-After, and not judged.
    """
    who, quest_id, at = player(), path.quest_id, now()
    with game_transaction() as db:
        move = service.answer(db, who, quest_id, body.answer, at, sink=sink())
        return reply(Judged, {**_after(db, who, quest_id, move, at), "correct": move.completed})


@operation(api.get, "/quests/<quest_id>/why", ok={200: Why}, errors=(400, 404), signed_in=True,
           tag="quests")
def quest_why(path: QuestPath):  # type: ignore[no-untyped-def]
    """Why the quest is (not yet) complete, the evidence seen and the indexer's lag"""
    _known(path.quest_id)
    lag = get_reader().indexer_lag()
    with game_transaction() as db:
        return reply(Why, service.why(db, player(), path.quest_id, lag, now()))


@operation(api.post, "/quests/<quest_id>/explain", ok={200: Explained}, errors=(400, 403, 404, 503),
           signed_in=True, tag="quests")
def quest_explain(path: QuestPath, body: ExplainBody):  # type: ignore[no-untyped-def]
    """Explain one of your transactions for the quest

    A reverted one by its decoded custom error and what to do; a mined one by why it did or
    did not count. Another wallet's transaction is 403, an unknown hash 404 (field ``tx``).
    """
    who, quest_id = player(), path.quest_id
    _known(quest_id)
    link = current_app.extensions["legends.chain"]
    tick = float(current_app.config.get("CARETAKER_TICK_SECONDS") or 2.0)
    with chain_call("read the transaction"):
        suite = link.suite(SqlManifestStore(current_app.extensions["legends.db"].sessions))
        try:
            facts = read_facts(link, suite, body.tx, who.address, tick_seconds=tick)
        except UnknownTransaction:
            raise NotFound("no transaction with this hash on the game's chain", field="tx") from None
        except NotYourTransaction:
            raise Forbidden("this transaction was sent by another wallet; explain your own",
                            field="tx") from None
        lag, head = get_reader().indexer_lag(), link.rpc.block_number()
    indexed_to = head - lag if lag is not None else None
    with game_transaction() as db:
        return reply(Explained, service.explain_transaction(db, who, quest_id, facts, indexed_to, now()))


@operation(api.post, "/checkin", ok={200: CheckedIn, 201: CheckedIn}, signed_in=True, tag="quests")
def checkin():  # type: ignore[no-untyped-def]
    """Daily check-in (UTC day) with streaks

    201 for the day's first check-in, 200 when the player already checked in today.
    """
    at = now()
    with game_transaction() as db:
        result = service.check_in(db, player(), at, sink=sink())
        return reply(CheckedIn, result.to_dict(at)), 200 if result.already else 201


@operation(api.get, "/referrals", ok={200: Referrals}, errors=(400,), signed_in=True, tag="quests")
def referrals(query: ReferralsQuery):  # type: ignore[no-untyped-def]
    """The players you invited and whether they count, a page at a time"""
    with game_transaction() as db:
        return reply(Referrals, service.referral_report(db, player(), limit=query.limit,
                                                        after=query.after))


def _known(quest_id: str):  # type: ignore[no-untyped-def]
    with game_transaction() as db:
        return service.quest_or_404(service.catalog_of(db), quest_id)


def _after(db: Any, who: Player, quest_id: str, move: service.Move, at: datetime) -> dict[str, Any]:
    return {"quest": quest_detail(db, who, quest_id, at),
            "completed": [c.quest_id for c in move.completions],
            "reasons": move.reasons}
