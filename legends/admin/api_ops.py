"""Admin JSON API for operations: the reward outbox's failed and deferred grants (retry,
cancel; audited) and what the scheduler has planned and done."""

from __future__ import annotations

from legends.admin.guard import admin_only
from legends.admin.models import (CancelBody, Cancelled, KeysBody, Retried, RewardsQuery, RewardTrouble,
                                  SchedulerStatus)
from legends.admin.views import admin_api, admin_operation, admin_transaction, audited
from legends.api.contract import reply
from legends.api.errors import ApiError
from legends.scheduler.store import status
from legends.wiring.game import now
from nft import operations


@admin_operation(admin_api.get, "/rewards", {200: RewardTrouble}, 400)
@admin_only
def rewards_troubled(query: RewardsQuery):  # type: ignore[no-untyped-def]
    """Failed grants and deferred batches of the outbox, a page of each (keyset cursors)"""
    with admin_transaction() as db:
        return reply(RewardTrouble, operations.troubled(db, query.limit, query.failed_after,
                                                         query.deferred_after))


@admin_operation(admin_api.post, "/rewards/retry", {200: Retried}, 400)
@admin_only
def rewards_retry(body: KeysBody):  # type: ignore[no-untyped-def]
    """Retry failed grants (back to pending) or deferred batches (due now)"""
    if not body.grant_keys and not body.batch_ids:
        raise ApiError("name the grant_keys or batch_ids to retry", field="grant_keys")
    with admin_transaction() as db:
        grants = operations.retry_grants(db, body.grant_keys)
        deferred = operations.retry_batches(db, body.batch_ids, now())
        after = {"grants": [g["grant_key"] for g in grants], "batches": [b["batch_id"] for b in deferred]}
        audited(db, "reward.retry", "rewards", {"grants": grants, "batches": deferred}, after)
    return reply(Retried, {"retried": after})


@admin_operation(admin_api.post, "/rewards/cancel", {200: Cancelled}, 400)
@admin_only
def rewards_cancel(body: CancelBody):  # type: ignore[no-untyped-def]
    """Cancel failed grants: withdrawn, never minted, kept in the ledger"""
    with admin_transaction() as db:
        before = operations.cancel_grants(db, body.grant_keys)
        cancelled = [g["grant_key"] for g in before]
        audited(db, "reward.cancel", "rewards", {"grants": before}, {"withdrawn": cancelled})
    return reply(Cancelled, {"cancelled": cancelled})


@admin_operation(admin_api.get, "/scheduler", {200: SchedulerStatus})
@admin_only
def scheduler_status():  # type: ignore[no-untyped-def]
    """The scheduler's jobs and its latest runs"""
    with admin_transaction() as db:
        return reply(SchedulerStatus, status(db))
