"""The OpenAPI 3.1 description of every /api route, written as data (served at
``GET /api/openapi.json``; a test checks that every registered /api rule is here)."""

from __future__ import annotations

from typing import Any

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(description: str, schema: dict[str, Any] | None = None, status: str = "200") -> dict[str, Any]:
    body: dict[str, Any] = {"description": description}
    if schema is not None:
        body["content"] = {JSON: {"schema": schema}}
    return {status: body}


def _errors(*codes: int) -> dict[str, Any]:
    text = {400: "Bad input (the field is named)", 401: "Sign in first", 403: "Not allowed",
            404: "No such thing", 409: "Conflicts with the current state (the reason is given)",
            429: "Too many requests", 503: "The chain is unreachable"}
    return {str(c): {"description": text[c], "content": {JSON: {"schema": _ref("Error")}}} for c in codes}


def _op(summary: str, tag: str, responses: dict[str, Any], *, auth: bool = False,
        body: dict[str, Any] | None = None, params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "tags": [tag], "responses": responses}
    if auth:
        op["security"] = [{"session": []}]
    if body is not None:
        op["requestBody"] = {"required": True, "content": {JSON: {"schema": body}}}
    if params:
        op["parameters"] = params
    return op


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


QUEST_ID = {"name": "quest_id", "in": "path", "required": True,
            "schema": {"type": "string", "pattern": "^[a-z0-9]+(?:[._-][a-z0-9]+)*$"},
            "description": "A quest id such as gate.faucet"}
OBJ = {"type": "object"}
ACTION = {"type": "object", "properties": {
    "quest": _ref("QuestDetail"), "completed": {"type": "array", "items": {"type": "string"}},
    "reasons": {"type": "array", "items": {"type": "string"}}}}

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error", "field"], "properties": {
        "error": {"type": "string"}, "field": {"type": ["string", "null"]}}},
    "Rewards": {"type": "object", "properties": {
        "shards": {"type": "object", "additionalProperties": {"type": "integer"}},
        "sahara": {"type": "integer"}, "xp": {"type": "integer"}}},
    "QuestCard": {"type": "object", "required": ["id", "region", "title", "status"], "properties": {
        "id": {"type": "string"}, "region": {"type": "string"}, "title": {"type": "string"},
        "recurrence": {"enum": ["once", "daily", "weekly"]},
        "status": {"enum": ["locked", "available", "in_progress", "completed", "rewarded"]},
        "period": {"type": "string"}, "reason": {"type": ["string", "null"]},
        "rewards": _ref("Rewards"), "on_chain": {"type": "boolean"},
        "checks_state": {"type": "boolean"}, "asks": {"type": "boolean"},
        "accepted_block": {"type": ["integer", "null"]}}},
    "QuestDetail": {"allOf": [_ref("QuestCard"), {"type": "object", "properties": {
        "story": {"type": "string"}, "prerequisites": {"type": "array", "items": {"type": "string"}},
        "objectives": {"type": "array", "items": OBJ}, "question": {"type": ["object", "null"]},
        "next_reset": {"type": ["string", "null"], "format": "date-time"}}}]},
    "Region": {"type": "object", "properties": {
        "key": {"type": "string"}, "name": {"type": "string"}, "unlocked": {"type": "boolean"},
        "missing": {"type": "array", "items": {"type": "string"}},
        "quests": {"type": "array", "items": _ref("QuestCard")}}},
    "Why": {"type": "object", "properties": {
        "status": {"type": "string"}, "met": {"type": "boolean"}, "objectives": {"type": "array"},
        "evidence_seen": {"type": "array", "items": OBJ}, "accepted_block": {"type": ["integer", "null"]},
        "indexer": {"type": "object", "properties": {"lag_blocks": {"type": ["integer", "null"]},
                                                     "caught_up": {"type": "boolean"}}},
        "hints": {"type": "array", "items": {"type": "string"}}}},
    "Leaderboard": {"type": "object", "properties": {
        "board": {"enum": ["xp", "shards"]}, "period": {"enum": ["all", "week"]},
        "week": {"type": ["string", "null"]},
        "entries": {"type": "array", "items": {"type": "object", "properties": {
            "rank": {"type": "integer"}, "player_id": {"type": "integer"},
            "address": {"type": "string"}, "score": {"type": "integer"}}}},
        "next": {"type": ["integer", "null"]},
        "me": {"type": ["object", "null"]}}},
}

PATHS: dict[str, Any] = {
    "/api/openapi.json": {"get": _op("This document", "meta", _ok("OpenAPI 3.1", OBJ))},
    "/api/auth/nonce": {"get": _op("A fresh sign-in nonce and the message fields", "auth",
                                   _ok("Nonce", OBJ))},
    "/api/auth/verify": {"post": _op(
        "Sign in with a signed EIP-4361 message", "auth",
        {**_ok("Signed in again", OBJ), **_ok("First sign-in", OBJ, "201"), **_errors(400, 401)},
        body={"type": "object", "required": ["message", "signature"], "properties": {
            "message": {"type": "string"}, "signature": {"type": "string"},
            "referral_code": {"type": "string"}}})},
    "/api/auth/logout": {"post": _op("Sign out", "auth", _ok("Signed out", OBJ))},
    "/api/me": {"get": _op("The signed-in player", "auth", {**_ok("Player", OBJ), **_errors(401)},
                           auth=True)},
    "/api/world": {"get": _op(
        "Regions, their unlock state and their quests (anonymous: all locked)", "world",
        _ok("World", {"type": "object", "properties": {
            "regions": {"type": "array", "items": _ref("Region")},
            "player": {"type": ["object", "null"]}}}))},
    "/api/world/npcs": {"get": _op(
        "Where the world's NPCs are: the Oasis caravan's labeling task, the Bazaar merchant's "
        "listings, the Oracle of the Dunes agent and the proposal open for votes", "world",
        {**_ok("NPCs", {"type": "object", "properties": {
            "caravan": {"type": ["object", "null"]}, "oracle": {"type": ["object", "null"]},
            "listings": {"type": "array", "items": OBJ}, "proposal": {"type": ["object", "null"]},
            "reviewer": {"type": "string"}, "merchant": {"type": "string"}}}), **_errors(503)})},
    "/api/agents/{agent_id}/invoke": {"post": _op(
        "Ask an agent (as its developer or a licensee): the attested answer and the "
        "recordInvocation transaction the player's wallet sends (10 per minute)", "forge",
        {**_ok("Attested answer", {"type": "object", "properties": {
            "output": {"type": "string"}, "input_hash": {"type": "string"},
            "output_hash": {"type": "string"}, "nonce": {"type": "string"},
            "signature": {"type": "string"}, "tx": OBJ}}),
         **_errors(400, 401, 403, 404, 429, 503)}, auth=True,
        params=[{"name": "agent_id", "in": "path", "required": True,
                 "schema": {"type": "integer", "minimum": 0}, "description": "An AgentRegistry id"}],
        body={"type": "object", "required": ["input"], "properties": {
            "input": {"type": "string", "minLength": 1, "maxLength": 2000}}})},
    "/api/quests": {"get": _op(
        "Every quest with the caller's status", "quests",
        {**_ok("Quests", {"type": "object", "properties": {
            "quests": {"type": "array", "items": _ref("QuestCard")}}}), **_errors(400)},
        params=[_query("region", {"enum": ["gate", "oasis", "forge", "bazaar", "citadel"]},
                       "Only this region's quests")])},
    "/api/quests/{quest_id}": {"get": _op(
        "One quest in detail", "quests", {**_ok("Quest", _ref("QuestDetail")), **_errors(404)},
        params=[QUEST_ID])},
    "/api/quests/{quest_id}/accept": {"post": _op(
        "Accept a quest: transactions in later blocks count for it", "quests",
        {**_ok("Accepted", ACTION), **_errors(401, 404, 409, 503)}, auth=True, params=[QUEST_ID])},
    "/api/quests/{quest_id}/check": {"post": _op(
        "Read the player's on-chain state for the quest's state objectives", "quests",
        {**_ok("Checked", ACTION), **_errors(400, 401, 404, 409, 503)}, auth=True, params=[QUEST_ID])},
    "/api/quests/{quest_id}/answer": {"post": _op(
        "Answer the quest's question", "quests",
        {**_ok("Judged", {"allOf": [ACTION, {"type": "object", "properties": {
            "correct": {"type": "boolean"}}}]}), **_errors(400, 401, 404, 409)},
        auth=True, params=[QUEST_ID],
        body={"type": "object", "required": ["answer"], "properties": {
            "answer": {"type": "string", "maxLength": 200}}})},
    "/api/quests/{quest_id}/why": {"get": _op(
        "Why the quest is (not yet) complete, the evidence seen and the indexer's lag", "quests",
        {**_ok("Report", _ref("Why")), **_errors(401, 404)}, auth=True, params=[QUEST_ID])},
    "/api/checkin": {"post": _op(
        "Daily check-in (UTC day) with streaks", "quests",
        {**_ok("Already checked in today", OBJ), **_ok("Checked in", OBJ, "201"), **_errors(401)},
        auth=True)},
    "/api/referrals": {"get": _op(
        "The players you invited and whether they count", "quests",
        {**_ok("Referrals", OBJ), **_errors(400, 401)}, auth=True,
        params=[_query("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
                       "Invitees per page"),
                _query("after", {"type": "integer", "minimum": 0},
                       "The previous page's `next`: invitees after that one")])},
    "/api/leaderboard": {"get": _op(
        "Top players and your own rank", "leaderboard",
        {**_ok("Leaderboard", _ref("Leaderboard")), **_errors(400)},
        params=[_query("board", {"enum": ["xp", "shards"], "default": "xp"}, "What to rank by"),
                _query("period", {"enum": ["all", "week"], "default": "all"}, "All time or this ISO week"),
                _query("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                       "How many entries"),
                _query("after", {"type": "integer", "minimum": 0},
                       "The previous page's `next` (a player id): the entries after them")])},
    "/api/inventory": {"get": _op(
        "Shards, Guardians, the Legend and rewards on their way", "rewards",
        {**_ok("Inventory", OBJ), **_errors(401)}, auth=True)},
    "/api/faucet": {
        "get": _op("When the player may claim from the faucet next", "rewards",
                   {**_ok("Faucet status", OBJ), **_errors(401, 503)}, auth=True),
        "post": _op("Claim test SAHARA from the faucet (cooldown and daily cap apply)", "rewards",
                    {**_ok("Claimed", OBJ), **_errors(400, 401, 429, 503)}, auth=True),
    },
    "/api/crafting": {"get": _op(
        "Recipes with a preview of what the player can craft (the craft itself is an "
        "on-chain burn and mint the player sends)", "rewards",
        {**_ok("Recipes", OBJ), **_errors(401, 503)}, auth=True)},
}


def document(server_url: str | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Sahara Legends API", "version": "1",
                 "description": "Errors are always {\"error\", \"field\"} with a 4xx status."},
        "paths": PATHS,
        "components": {"schemas": SCHEMAS, "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
    }
    if server_url:
        doc["servers"] = [{"url": server_url}]
    return doc
