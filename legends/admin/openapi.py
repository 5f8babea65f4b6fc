"""The admin API in the OpenAPI document (merged into ``legends.api.openapi.document``).
Every operation needs an admin session; changes also need the ``X-CSRF-Token`` header."""

from __future__ import annotations

from typing import Any

JSON = "application/json"
OBJ = {"type": "object"}
ERRORS = {"400": "Bad input (the field is named)", "401": "Sign in first",
          "403": "Not an admin, or a missing CSRF token / foreign Origin", "404": "No such thing",
          "409": "Conflicts with the current state"}
CAMPAIGN_ID = {"name": "campaign_id", "in": "path", "required": True, "schema": {"type": "integer"}}
ADDRESS = {"name": "address", "in": "path", "required": True, "schema": {"type": "string"}}

PRIZE = {"type": "object", "properties": {"first": {"type": "integer", "minimum": 1},
                                          "last": {"type": "integer", "minimum": 1},
                                          "rewards": {"$ref": "#/components/schemas/Rewards"}}}
CAMPAIGN_PLAN = {"type": "object", "required": ["name", "starts_at", "ends_at"], "properties": {
    "name": {"type": "string", "maxLength": 120},
    "starts_at": {"type": "string", "format": "date-time"},
    "ends_at": {"type": "string", "format": "date-time"},
    "quests": {"type": "array", "items": {"type": "string"}},
    "budgets": {"type": "object", "properties": {k: {"type": "integer", "minimum": 0}
                                                 for k in ("shards", "sahara", "xp")}},
    "windows": {"type": "array", "items": {"type": "object", "properties": {
        "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {"type": "string", "format": "date-time"},
        "board": {"enum": ["xp", "shards"]}, "prizes": {"type": "array", "items": PRIZE}}}},
    "announcements": {"type": "array", "items": {"type": "object", "properties": {
        "send_at": {"type": "string", "format": "date-time"}, "text": {"type": "string"}}}},
}}


def _op(summary: str, ok: str = "200", body: dict[str, Any] | None = None,
        params: list[dict[str, Any]] | None = None,
        errors: tuple[str, ...] = ("401", "403")) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary, "tags": ["admin"], "security": [{"session": []}],
        "responses": {ok: {"description": "OK", "content": {JSON: {"schema": OBJ}}},
                      **{c: {"description": ERRORS[c], "content": {JSON: {"schema": {
                          "$ref": "#/components/schemas/Error"}}}} for c in errors}}}
    if body is not None:
        op["requestBody"] = {"required": True, "content": {JSON: {"schema": body}}}
    if params:
        op["parameters"] = params
    return op


CHANGE = ("400", "401", "403", "404", "409")
KEYS = {"type": "object", "properties": {"grant_keys": {"type": "array", "items": {"type": "string"}},
                                         "batch_ids": {"type": "array", "items": {"type": "string"}}}}

ADMIN_PATHS: dict[str, Any] = {
    "/api/admin/me": {"get": _op("The signed-in admin and the session's CSRF token")},
    "/api/admin/admins": {
        "get": _op("Wallets holding the admin role"),
        "post": _op("Grant the admin role", "201", {
            "type": "object", "required": ["address"], "properties": {"address": {"type": "string"}}},
            errors=CHANGE)},
    "/api/admin/admins/{address}": {"delete": _op("Revoke the admin role", params=[ADDRESS], errors=CHANGE)},
    "/api/admin/audit": {"get": _op("The audit log, newest first (filters: actor, action, target "
                                    "prefix, since, until; limit, offset)", errors=("400", "401", "403"))},
    "/api/admin/catalog": {"get": _op("The quest catalog, to attach quests to campaigns")},
    "/api/admin/campaigns": {
        "get": _op("Every campaign with its budgets and windows"),
        "post": _op("Create a draft campaign", "201", CAMPAIGN_PLAN, errors=CHANGE)},
    "/api/admin/campaigns/{campaign_id}": {
        "get": _op("One campaign", params=[CAMPAIGN_ID], errors=("401", "403", "404")),
        "put": _op("Edit a campaign (paid windows and sent announcements stay)", body=CAMPAIGN_PLAN,
                   params=[CAMPAIGN_ID], errors=CHANGE)},
    "/api/admin/campaigns/{campaign_id}/quests": {"put": _op(
        "Attach quests from the catalog (the whole list)", body={
            "type": "object", "required": ["quests"], "properties": {"quests": {"type": "array"}}},
        params=[CAMPAIGN_ID], errors=CHANGE)},
    "/api/admin/campaigns/{campaign_id}/clone": {"post": _op("A draft copy", "201", params=[CAMPAIGN_ID],
                                                             errors=CHANGE)},
    "/api/admin/campaigns/{campaign_id}/calendar": {"get": _op("What happens when", params=[CAMPAIGN_ID],
                                                               errors=("401", "403", "404"))},
    "/api/admin/campaigns/{campaign_id}/publish": {"post": _op("Publish (opens at its start)",
                                                               params=[CAMPAIGN_ID], errors=CHANGE)},
    "/api/admin/campaigns/{campaign_id}/pause": {"post": _op("Pause", params=[CAMPAIGN_ID], errors=CHANGE)},
    "/api/admin/campaigns/{campaign_id}/end": {"post": _op("End early", params=[CAMPAIGN_ID], errors=CHANGE)},
    "/api/admin/campaigns/{campaign_id}/simulate": {"post": _op(
        "Dry run: budget spend per day and the day each cap is hit", body={"type": "object", "properties": {
            "players": {"type": "integer"}, "rate": {"type": "number"},
            "rates": {"type": "object", "additionalProperties": {"type": "number"}}}},
        params=[CAMPAIGN_ID], errors=CHANGE)},
    "/api/admin/rewards": {"get": _op("Failed grants and deferred batches of the outbox")},
    "/api/admin/rewards/retry": {"post": _op("Retry failed grants / deferred batches", body=KEYS,
                                             errors=CHANGE)},
    "/api/admin/rewards/cancel": {"post": _op("Cancel failed grants (withdrawn, never minted)", body=KEYS,
                                              errors=CHANGE)},
    "/api/admin/scheduler": {"get": _op("The scheduler's jobs and recent runs")},
    "/api/admin/dry-run/quest": {"post": _op(
        "Dry run: would this transaction count for this player's quest, and why", body={
            "type": "object", "required": ["quest_id", "tx_hash", "player"], "properties": {
                "quest_id": {"type": "string"}, "tx_hash": {"type": "string"}, "player": {"type": "string"}}},
        errors=("400", "401", "403", "404"))},
}

PUBLIC_PATHS: dict[str, Any] = {
    "/api/campaigns": {"get": {"summary": "Campaigns players can see: windows, quests, budgets and what "
                                          "is left, prizes, announcements made", "tags": ["campaigns"],
                               "responses": {"200": {"description": "Campaigns",
                                                     "content": {JSON: {"schema": OBJ}}}}}},
}
