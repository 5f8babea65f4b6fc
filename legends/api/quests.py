"""Quests: list, detail, accept, state checks, answers, the "why" report, check-ins and
referrals. Each view parses input, calls one service function and renders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import jsonify, request

from legends.api import api
from legends.api.errors import ApiError, json_body, string_field
from legends.api.play import chain_call, game_transaction, int_arg, optional_player, sink
from legends.auth.session import current_player_or_401
from legends.wiring.completions import sync_rewarded
from legends.wiring.game import now
from legends.wiring.state_readings import get_reader
from quests import service
from quests.orm import Player
from quests.overview import quest_detail, quest_list
from quests.world import REGION_KEYS

MAX_ANSWER = 200


@api.get("/quests")
def quests_index():  # type: ignore[no-untyped-def]
    region = request.args.get("region")
    if region is not None and region not in REGION_KEYS:
        raise ApiError(f"region must be one of {', '.join(sorted(REGION_KEYS))}", field="region")
    player, at = optional_player(), now()
    with game_transaction() as db:
        if player is not None:
            sync_rewarded(db, at, player_id=player.id)
        quests = quest_list(db, player, at, region)
    return jsonify({"quests": quests, "signed_in": player is not None})


@api.get("/quests/<quest_id>")
def quest_show(quest_id: str):  # type: ignore[no-untyped-def]
    player, at = optional_player(), now()
    with game_transaction() as db:
        if player is not None:
            sync_rewarded(db, at, player_id=player.id)
        return jsonify(quest_detail(db, player, quest_id, at))


@api.post("/quests/<quest_id>/accept")
def quest_accept(quest_id: str):  # type: ignore[no-untyped-def]
    player = current_player_or_401()
    _known(quest_id)
    with chain_call("accept the quest"):
        head = get_reader().head_block()
    at = now()
    with game_transaction() as db:
        move = service.accept(db, player, quest_id, at, head, sink=sink())
        return jsonify(_after(db, player, quest_id, move, at))


@api.post("/quests/<quest_id>/check")
def quest_check(quest_id: str):  # type: ignore[no-untyped-def]
    """Read the player's on-chain state for the quest's ``state`` objectives and judge it."""
    player = current_player_or_401()
    checks = _known(quest_id).state_checks()
    if not checks:
        raise ApiError(f"{quest_id} has no on-chain state to check; it completes as the indexer "
                       "sees your transactions", field="quest_id")
    with chain_call("read your on-chain state"):
        readings = get_reader().readings(player.address, checks)
    at = now()
    with game_transaction() as db:
        move = service.check_state(db, player, quest_id, readings, at, sink=sink())
        return jsonify(_after(db, player, quest_id, move, at))


@api.post("/quests/<quest_id>/answer")
def quest_answer(quest_id: str):  # type: ignore[no-untyped-def]
    player = current_player_or_401()
    data = json_body("answer")
    text = string_field(data, "answer", max_length=MAX_ANSWER) or ""
    if not text.strip():
        raise ApiError("answer is required", field="answer")
    at = now()
    with game_transaction() as db:
        move = service.answer(db, player, quest_id, text, at, sink=sink())
        return jsonify({**_after(db, player, quest_id, move, at), "correct": move.completed})


@api.get("/quests/<quest_id>/why")
def quest_why(quest_id: str):  # type: ignore[no-untyped-def]
    player = current_player_or_401()
    _known(quest_id)
    lag = get_reader().indexer_lag()
    with game_transaction() as db:
        return jsonify(service.why(db, player, quest_id, lag, now()))


@api.post("/checkin")
def checkin():  # type: ignore[no-untyped-def]
    player = current_player_or_401()
    at = now()
    with game_transaction() as db:
        result = service.check_in(db, player, at, sink=sink())
        return jsonify(result.to_dict(at)), 200 if result.already else 201


@api.get("/referrals")
def referrals():  # type: ignore[no-untyped-def]
    player = current_player_or_401()
    limit = int_arg("limit", 50, 1, 200)
    after = int_arg("after", 0, 0, 2**53) or None
    with game_transaction() as db:
        return jsonify(service.referral_report(db, player, limit=limit, after=after))


def _known(quest_id: str):  # type: ignore[no-untyped-def]
    with game_transaction() as db:
        return service.quest_or_404(service.catalog_of(db), quest_id)


def _after(db: Any, player: Player, quest_id: str, move: service.Move, at: datetime) -> dict[str, Any]:
    return {"quest": quest_detail(db, player, quest_id, at),
            "completed": [c.quest_id for c in move.completions],
            "reasons": move.reasons}

