"""The admin's reward operations list grows with the players: failed grants and deferred
batches come a page at a time (keyset cursors, a limit the API schema bounds), every row once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nft.batching import OutboxState
from nft.store import RewardBatch, RewardGrant


def _troubles(app, failed: int, deferred: int) -> None:
    at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    with app.extensions["legends.db"].sessions.begin() as s:
        for i in range(failed):
            s.add(RewardGrant(grant_key=f"test:failed:{i}", player=f"0x{i:040x}", source="gate.faucet",
                              period="once", kind="shards", token_id=1, amount=1,
                              state=OutboxState.FAILED.value, attempts=3, created_at=at))
            # Grants on their way are never listed.
            s.add(RewardGrant(grant_key=f"test:pending:{i}", player=f"0x{i:040x}", source="gate.faucet",
                              period="once", kind="shards", token_id=1, amount=1,
                              state=OutboxState.PENDING.value, created_at=at))
        for i in range(deferred):
            s.add(RewardBatch(batch_id=f"0x{i:064x}", target="shards", state=OutboxState.PENDING.value,
                              entries=1, failures=1 + i, next_attempt_at=at + timedelta(minutes=i),
                              last_error="rpc down", created_at=at, updated_at=at))


def _walk(admin, name: str, limit: int) -> tuple[list[str], int]:
    seen, cursor, pages = [], None, 0
    while True:
        query = f"/api/admin/rewards?limit={limit}" + (f"&{name}_after={cursor}" if cursor else "")
        body = admin.get(query).get_json()
        page = body[name]
        assert len(page) <= limit
        seen += [row["grant_key"] if name == "failed" else row["batch_id"] for row in page]
        pages += 1
        cursor = body[f"{name}_next"]
        if cursor is None:
            return seen, pages


def test_failed_grants_and_deferred_batches_come_a_page_at_a_time(admin_app, admin):
    _troubles(admin_app, failed=7, deferred=5)
    failed, pages = _walk(admin, "failed", 3)
    assert failed == [f"test:failed:{i}" for i in range(7)] and pages == 3
    deferred, pages = _walk(admin, "deferred", 2)
    assert deferred == [f"0x{i:064x}" for i in range(5)] and pages == 3
    # A last page that is exactly full says there is nothing after it.
    assert admin.get("/api/admin/rewards?limit=7").get_json()["failed_next"] is None
    first = admin.get("/api/admin/rewards").get_json()
    assert first["limit"] == 50 and len(first["failed"]) == 7


@pytest.mark.parametrize("query, field", [("limit=0", "limit"), ("limit=201", "limit"),
                                          ("failed_after=-1", "failed_after"),
                                          ("deferred_after=x", "deferred_after")])
def test_a_bad_page_is_refused_naming_the_field(admin, query, field):
    response = admin.get(f"/api/admin/rewards?{query}")
    assert response.status_code == 400 and response.get_json()["field"] == field


def test_the_rewards_page_links_to_the_next_page(admin_app, admin):
    _troubles(admin_app, failed=3, deferred=0)
    first = admin.get("/admin/rewards?limit=2").get_data(as_text=True)
    assert "test:failed:0" in first and "test:failed:2" not in first
    assert "more failed grants" in first
    link = first.split('href="?limit=2&failed_after=')[1].split('"')[0]
    second = admin.get(f"/admin/rewards?limit=2&failed_after={link}").get_data(as_text=True)
    assert "test:failed:2" in second and "test:failed:0" not in second
    assert "more failed grants" not in second
