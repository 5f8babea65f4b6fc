"""A season runs by itself: the scheduler (real APScheduler jobs on the app's frozen clock)
opens the campaign, resets the daily quest, sends the announcement, closes the week and
pays its prizes once, and closes the campaign."""

from __future__ import annotations

from datetime import UTC, datetime

from admin_support import OTHER_KEY, PLAYER_KEY, sign_in
from sqlalchemy import select

from legends.realtime.store import PUBLIC, RealtimeEvent
from legends.scheduler.store import JobRun
from nft.store import RewardGrant
from quests.campaign_store import Campaign

DAILY = "gate.daily-checkin"
SEASON = {
    "name": "Season of Dunes", "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-09T00:00:00Z",
    "quests": [DAILY, "gate.faucet"], "budgets": {"shards": 100, "xp": 10000},
    "windows": [{"starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-08T00:00:00Z", "board": "xp",
                 "prizes": [{"first": 1, "last": 1, "rewards": {"shards": {"gate": 3}}}]}],
    "announcements": [{"send_at": "2026-12-02T09:00:00Z", "text": "Double dunes today!"}],
}


def at(day: int, hour: int = 0, second: int = 5) -> datetime:
    return datetime(2026, 12, day, hour, 0, second, tzinfo=UTC)


def quest(client, quest_id=DAILY):  # type: ignore[no-untyped-def]
    return client.get(f"/api/quests/{quest_id}").get_json()


def prizes(app) -> list[RewardGrant]:  # type: ignore[no-untyped-def]
    with app.extensions["legends.db"].sessions() as session:
        return list(session.scalars(select(RewardGrant).where(RewardGrant.source.startswith("campaign:"))))


def announcements(app) -> list[RealtimeEvent]:  # type: ignore[no-untyped-def]
    """The public announcements in the realtime event log, in order."""
    with app.extensions["legends.db"].sessions() as session:
        return list(session.scalars(select(RealtimeEvent).where(
            RealtimeEvent.stream == PUBLIC, RealtimeEvent.type == "announcement")
            .order_by(RealtimeEvent.offset)))


def test_a_scheduled_campaign_opens_resets_pays_its_week_once_and_closes(sched_app, driver, admin):
    created = admin.post("/api/admin/campaigns", json=SEASON)
    assert created.status_code == 201, created.get_json()
    cid = created.get_json()["id"]
    assert admin.post(f"/api/admin/campaigns/{cid}/publish").status_code == 200
    alice, bob = sched_app.test_client(), sched_app.test_client()
    alice_address = sign_in(alice, PLAYER_KEY)
    sign_in(bob, OTHER_KEY)

    driver.start()
    jobs = {j["id"] for j in admin.get("/api/admin/scheduler").get_json()["jobs"]}
    assert {f"campaign:{cid}:open", f"campaign:{cid}:close", f"campaign:{cid}:window:0",
            "reset:daily", "reset:weekly", "housekeeping", "reconcile"} <= jobs
    before = quest(alice)
    assert before["status"] == "locked"
    assert before["reason"] == "opens with Season of Dunes at 2026-12-01 00:00 UTC"
    assert alice.post("/api/checkin").status_code == 201  # a check-in before the season pays nothing
    assert quest(alice)["status"] == "locked"

    driver.travel_to(at(1))  # the season opens
    driver.wait_for(f"campaign:{cid}:open", outcome="done")
    opened = announcements(sched_app)[-1].payload
    assert opened == {"message": "Season of Dunes has begun", "kind": "campaign.opened",
                      "campaign_id": cid, "quests": [DAILY, "gate.faucet"]}
    assert quest(alice)["status"] == "available" and quest(alice, "gate.faucet")["status"] == "available"
    assert alice.post("/api/checkin").status_code == 201
    assert quest(alice)["status"] in ("completed", "rewarded")
    season = alice.get("/api/campaigns").get_json()["campaigns"][0]
    assert season["live"] is True and season["budgets"]["shards"] == {"cap": 100, "granted": 1, "left": 99}

    driver.travel_to(at(2))  # midnight: the daily quest resets
    driver.wait_for("reset:daily", outcome="done")
    fresh = quest(alice)
    assert fresh["status"] == "available" and fresh["period"] == "2026-12-02"
    assert alice.post("/api/checkin").status_code == 201
    assert bob.post("/api/checkin").status_code == 201

    driver.travel_to(at(2, hour=9))
    sent = driver.wait_for("announcement:1", outcome="done")
    assert sent[0].detail["text"] == "Double dunes today!"
    said = [e for e in announcements(sched_app) if e.payload["kind"] == "announcement"]
    assert [(e.payload["message"], e.payload["campaign_id"], e.created_at) for e in said] == [
        ("Double dunes today!", cid, at(2, hour=9))]  # logged at the game clock's time

    driver.travel_to(at(8))  # the week closes: alice (20 XP) beats bob (10 XP)
    driver.wait_for(f"campaign:{cid}:window:0", outcome="done")
    paid = prizes(sched_app)
    assert [(g.player, g.kind, g.token_id, g.amount) for g in paid] == [
        (alice_address.lower(), "shards", 1, 3)]
    assert paid[0].grant_key.endswith(f"|campaign:{cid}:prize|window-0|shards|1")
    # Running the payout again (as a second job through the scheduler) pays nothing more.
    driver.running[0].add_job("legends.scheduler.jobs:close_window", args=(cid, 0), id="payout-again")
    driver.wait_for(f"campaign:{cid}:window:0", count=2)
    assert driver.runs(f"campaign:{cid}:window:0")[1].outcome == "skipped"
    assert len(prizes(sched_app)) == 1
    window = alice.get("/api/campaigns").get_json()["campaigns"][0]["windows"][0]
    assert window["winners"] == [{"address": alice_address, "rank": 1,
                                  "prize": {"shards": {"gate": 3}, "sahara": 0, "xp": 0}}]

    driver.travel_to(at(9))  # the season closes
    driver.wait_for(f"campaign:{cid}:close", outcome="done")
    closed = quest(bob)
    assert closed["status"] == "locked"
    assert closed["reason"] == "Season of Dunes closed at 2026-12-09 00:00 UTC"
    with sched_app.extensions["legends.db"].sessions() as session:
        assert session.get(Campaign, cid).status == "ended"
    for job_id in (f"campaign:{cid}:open", f"campaign:{cid}:close", "announcement:1"):
        assert len(driver.runs(job_id)) == 1, job_id
    # Every scheduled word to the players is in the event log once, for clients to replay
    # (the opening, eight days ago, is past REALTIME_RETENTION_DAYS: housekeeping purged it).
    told = [(e.payload["kind"], e.payload["message"]) for e in announcements(sched_app)
            if e.payload["kind"] != "quests.reset"]
    assert told == [("announcement", "Double dunes today!"),
                    ("leaderboard.closed", "Season of Dunes: leaderboard window 0 is closed and its "
                                           "prizes are on their way"),
                    ("campaign.closed", "Season of Dunes is over")]
    assert any(e.payload["kind"] == "quests.reset" and e.payload["period"] == "2026-12-08"
               for e in announcements(sched_app))


def test_housekeeping_purges_the_realtime_event_log_past_its_retention(sched_app):
    from datetime import timedelta

    from legends.realtime.events import announce
    from legends.scheduler import jobs

    now = sched_app.extensions["legends.clock"].now()
    days = float(sched_app.config["REALTIME_RETENTION_DAYS"])
    with sched_app.extensions["legends.db"].sessions.begin() as session:
        announce(session, "long ago", now - timedelta(days=days + 1))
        announce(session, "yesterday", now - timedelta(days=1))
    jobs.bind(sched_app)
    jobs.housekeeping()
    assert [e.payload["message"] for e in announcements(sched_app)] == ["yesterday"]
    with sched_app.extensions["legends.db"].sessions() as session:
        run = session.scalars(select(JobRun).where(JobRun.job_id == "housekeeping")).one()
    assert run.outcome == "done" and run.detail["realtime_events"] == 1
