"""Campaign rules through the admin API: errors name the field; a spent budget records
completions without rewards and tells the player why; players see budgets and what is left."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from admin_support import OTHER_KEY, sign_in

BASE = {"name": "Budget Season", "starts_at": "2026-11-30T00:00:00Z", "ends_at": "2026-12-07T00:00:00Z",
        "quests": ["gate.daily-checkin"], "budgets": {"shards": 1}}


@pytest.mark.parametrize("change, field", [
    ({"ends_at": "2026-11-29T00:00:00Z"}, "ends_at"),
    ({"quests": ["gate.nowhere"]}, "quests[0]"),
    ({"budgets": {"gems": 3}}, "budgets.gems"),
    ({"starts_at": "2026-11-30T00:00:00"}, "starts_at"),
    ({"windows": [{"starts_at": "2026-11-30T00:00:00Z", "ends_at": "2026-12-04T00:00:00Z"},
                  {"starts_at": "2026-12-03T00:00:00Z", "ends_at": "2026-12-06T00:00:00Z"}]}, "windows[1]"),
    ({"surprise": 1}, "surprise"),
])
def test_a_bad_campaign_is_refused_naming_the_field(admin, change, field):
    response = admin.post("/api/admin/campaigns", json={**BASE, **change})
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["field"] == field


def test_a_quest_cannot_be_in_two_campaigns_at_once(admin):
    first = admin.post("/api/admin/campaigns", json=BASE).get_json()["id"]
    assert admin.post(f"/api/admin/campaigns/{first}/publish").status_code == 200
    again = admin.post("/api/admin/campaigns", json={**BASE, "name": "Overlap"})
    assert again.get_json()["field"] == "quests" and "overlapping" in again.get_json()["error"]


def test_a_spent_budget_records_the_completion_without_rewards(admin_app, admin, player, clock):
    from legends.scheduler import jobs

    cid = admin.post("/api/admin/campaigns", json=BASE).get_json()["id"]
    assert admin.post(f"/api/admin/campaigns/{cid}/publish").status_code == 200
    jobs.bind(admin_app)
    jobs.open_campaign(cid)  # what the scheduler does at the start (tested in tests/integration/scheduler)
    assert player.post("/api/checkin").status_code == 201
    other = admin_app.test_client()
    sign_in(other, OTHER_KEY)
    assert other.post("/api/checkin").status_code == 201
    mine = player.get("/api/quests/gate.daily-checkin").get_json()
    theirs = other.get("/api/quests/gate.daily-checkin").get_json()
    assert mine["reward_withheld"] is None
    assert theirs["status"] in ("completed", "rewarded")
    assert theirs["reward_withheld"] == ("Budget Season's shards budget is spent: this completion is "
                                         "recorded but not rewarded")
    assert theirs["reward_note"] == theirs["reward_withheld"]
    budgets = player.get("/api/campaigns").get_json()["campaigns"][0]["budgets"]
    assert budgets == {"shards": {"cap": 1, "granted": 1, "left": 0}}
    # The cap cannot go below what was granted.
    lower = admin.put(f"/api/admin/campaigns/{cid}", json={**BASE, "budgets": {"shards": 0}})
    assert lower.status_code == 400 and lower.get_json()["field"] == "budgets.shards"


def test_the_calendar_preview_and_the_simulation(admin, clock):
    body = {**BASE, "budgets": {"shards": 30}, "windows": [
        {"starts_at": "2026-11-30T00:00:00Z", "ends_at": "2026-12-07T00:00:00Z",
         "prizes": [{"first": 1, "last": 10, "rewards": {"shards": {"gate": 1}}}]}]}
    cid = admin.post("/api/admin/campaigns", json=body).get_json()["id"]
    events = admin.get(f"/api/admin/campaigns/{cid}/calendar").get_json()["events"]
    assert [e["what"] for e in events] == ["opens", "leaderboard window 1 closes", "closes"]
    sim = admin.post(f"/api/admin/campaigns/{cid}/simulate", json={"players": 10, "rate": 0.5}).get_json()
    assert sim["days"][0]["spent"]["shards"] == 5 and sim["cap_hit"]["shards"] == "2026-12-05"
    bad = admin.post(f"/api/admin/campaigns/{cid}/simulate", json={"rate": 2})
    assert bad.status_code == 400 and bad.get_json()["field"] == "rate"
    assert datetime.fromisoformat(events[0]["at"]) == datetime(2026, 11, 30, tzinfo=UTC)
