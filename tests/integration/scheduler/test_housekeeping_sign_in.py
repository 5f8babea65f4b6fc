"""Housekeeping forgets what can never sign in again: expired nonces and sessions that
expired or ended (an hour later), and keeps every session a cookie may still use."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from legends.auth.players import issue_nonce
from legends.auth.store import SignInNonce, SignInSession
from legends.scheduler import jobs
from legends.scheduler.store import JobRun
from quests.orm import Player


def test_housekeeping_purges_expired_sessions_and_nonces_and_keeps_live_ones(sched_app):
    # Sessions are judged by the wall clock (legends.auth.session), nonces by the app's clock.
    now = datetime.now(timezone.utc)
    clock = sched_app.extensions["legends.clock"].now()
    hour = timedelta(hours=1)
    sessions = sched_app.extensions["legends.db"].sessions
    with sessions.begin() as db:
        player = Player(address="0x" + "ab" * 20, referral_code="HOUSEKEEPING1", xp=0,
                        created_at=now, last_seen_at=now)
        db.add(player)
        db.flush()
        rows = {  # name -> (expires_at, ended_at)
            "live": (now + hour, None),
            "expired long ago": (now - 3 * hour, None),
            "expired a moment ago": (now - timedelta(minutes=5), None),  # kept an hour
            "logged out long ago": (now + hour, now - 2 * hour),
            "logged out just now": (now + hour, now - timedelta(minutes=1)),
        }
        for name, (expires, ended) in rows.items():
            db.add(SignInSession(token_hash=name.replace(" ", "-").ljust(64, "0"), player_id=player.id,
                                 created_at=now - 4 * hour, expires_at=expires, ended_at=ended))
        issue_nonce(db, clock - 3 * hour)  # expired 2h50 ago
        fresh = issue_nonce(db, clock).nonce
    jobs.bind(sched_app)
    jobs.housekeeping()
    with sessions() as db:
        kept = {row.token_hash.rstrip("0").replace("-", " ") for row in db.scalars(select(SignInSession))}
        nonces = list(db.scalars(select(SignInNonce.nonce)))
        run = db.scalars(select(JobRun).where(JobRun.job_id == "housekeeping")).one()
    assert kept == {"live", "expired a moment ago", "logged out just now"}
    assert nonces == [fresh]
    assert run.outcome == "done" and run.detail["sessions"] == 2 and run.detail["nonces"] == 1
