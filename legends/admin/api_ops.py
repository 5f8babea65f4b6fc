"""Admin JSON API for operations: the reward outbox's failed and deferred grants (retry,
cancel; audited) and what the scheduler has planned and done."""

from __future__ import annotations

from flask import jsonify

from legends.admin.guard import admin_only
from legends.admin.views import admin_api, admin_transaction, audited, key_list
from legends.api.errors import ApiError, json_body
from legends.scheduler.store import status
from legends.wiring.game import now
from nft import operations


@admin_api.get("/rewards")
@admin_only
def rewards_troubled():  # type: ignore[no-untyped-def]
    with admin_transaction() as db:
        return jsonify(operations.troubled(db))


@admin_api.post("/rewards/retry")
@admin_only
def rewards_retry():  # type: ignore[no-untyped-def]
    data = json_body()
    keys, batches = key_list(data, "grant_keys"), key_list(data, "batch_ids")
    if not keys and not batches:
        raise ApiError("name the grant_keys or batch_ids to retry", field="grant_keys")
    with admin_transaction() as db:
        grants = operations.retry_grants(db, keys)
        deferred = operations.retry_batches(db, batches, now())
        after = {"grants": [g["grant_key"] for g in grants], "batches": [b["batch_id"] for b in deferred]}
        audited(db, "reward.retry", "rewards", {"grants": grants, "batches": deferred}, after)
    return jsonify({"retried": after})


@admin_api.post("/rewards/cancel")
@admin_only
def rewards_cancel():  # type: ignore[no-untyped-def]
    keys = key_list(json_body("grant_keys"), "grant_keys")
    with admin_transaction() as db:
        before = operations.cancel_grants(db, keys)
        cancelled = [g["grant_key"] for g in before]
        audited(db, "reward.cancel", "rewards", {"grants": before},
                {"withdrawn": cancelled})
    return jsonify({"cancelled": cancelled})


@admin_api.get("/scheduler")
@admin_only
def scheduler_status():  # type: ignore[no-untyped-def]
    with admin_transaction() as db:
        return jsonify(status(db))
