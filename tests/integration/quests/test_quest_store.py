"""The store's rules hold inside the database, on SQLite and PostgreSQL: one record, one
completion per (player, quest, period); a log counts once, even when two workers apply it
at the same moment."""

from __future__ import annotations

import threading

import pytest
from quest_game import Game
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from legends.wiring.catalog import load_quests
from nft.store import RewardGrant
from quests import service
from quests.store import CheckInDay, QuestCompletion, QuestEvidence, QuestRecord

TABLES = ("quest_wayside", "quest_inbox", "leaderboard_score", "quest_checkin", "quest_withdrawal",
          "quest_completion", "quest_evidence", "quest_progress", "reward_grant", "auth_session",
          "player")


def wipe(sessions) -> None:
    with sessions.begin() as session:
        for table in TABLES:
            session.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def any_game(make_app):
    """A game on SQLite, then on PostgreSQL (the conftest's ``database``)."""
    app = make_app()
    sessions = app.extensions["legends.db"].sessions
    wipe(sessions)
    load_quests(sessions, say=lambda _m: None)
    yield Game(app)
    wipe(sessions)


def faucet_log(game, player, block=101, tx=7):
    return game.log("SaharaToken", "FaucetClaimed", block=block, tx=tx, account=player.address,
                    amount=1, nextClaimAt=0)


def test_a_quest_plays_through_accept_completion_and_reorg(any_game):
    game = any_game
    alice = game.player()
    game.accept(alice, "gate.faucet")
    assert [c.quest_id for c in game.feed(faucet_log(game, alice))] == ["gate.faucet"]
    assert game.xp(alice) == 50
    assert [c.quest_id for c in game.retract(101)] == ["gate.faucet"]
    assert [c.quest_id for c in game.feed(faucet_log(game, alice, block=102))] == ["gate.faucet"]
    assert game.xp(alice) == 50


def test_the_database_refuses_a_second_record_completion_evidence_or_check_in(any_game):
    game = any_game
    alice = game.player()
    game.accept(alice, "gate.faucet")
    game.feed(faucet_log(game, alice))
    with game.sessions() as session:
        record = session.scalar(select(QuestRecord))
        evidence = session.scalar(select(QuestEvidence))
        completion = session.scalar(select(QuestCompletion))
    copies = [
        QuestRecord(player_id=alice.id, quest_id="gate.faucet", period="once", status="available",
                    progress={}),
        QuestEvidence(player_id=alice.id, quest_id="gate.faucet", period="once", contract="SaharaToken",
                      event="FaucetClaimed", tx_hash=evidence.tx_hash, log_index=evidence.log_index,
                      block_number=101, block_time=game.now, args={}, rule_version=1),
        QuestCompletion(player_id=alice.id, quest_id="gate.faucet", period="once",
                        completed_at=game.now, rule_version=1, evidence=[]),
    ]
    for copy in copies:
        with pytest.raises(IntegrityError), game.sessions.begin() as session:
            session.add(copy)
    for _ in range(2):
        with game.sessions.begin() as session:
            service.check_in(session, alice, game.now, sink=game.sink)
    with pytest.raises(IntegrityError), game.sessions.begin() as session:
        session.add(CheckInDay(player_id=alice.id, day=game.now.date(), streak=1, at=game.now))
    assert record.status == "completed" and completion.tx_hash == evidence.tx_hash


def test_one_log_applied_by_two_workers_at_the_same_moment_counts_once(make_app, postgres_url):
    app = make_app(DATABASE_URL=postgres_url)
    sessions = app.extensions["legends.db"].sessions
    wipe(sessions)
    load_quests(sessions, say=lambda _m: None)
    game = Game(app)
    alice = game.player()
    game.accept(alice, "gate.faucet")
    log = faucet_log(game, alice)
    start = threading.Barrier(2)
    results, errors = [], []

    def worker() -> None:
        try:
            start.wait()
            with sessions.begin() as session:
                results.append(service.apply_chain_events(session, [log], game.now, sink=game.sink))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(len(r) for r in results) == [0, 1]
    with sessions() as session:
        assert session.scalar(select(func.count(QuestEvidence.id))) == 1
        assert session.scalar(select(func.count(QuestCompletion.id))) == 1
        assert session.scalar(select(func.count(RewardGrant.id))) == 2
    assert game.xp(alice) == 50
    wipe(sessions)


def test_the_catalog_is_read_once_per_transaction_and_again_after_its_definitions_change(any_game):
    from sqlalchemy import event

    from quests.catalog_store import catalog_of
    from quests.orm import utcnow
    from quests.store import QuestDefinition

    sessions = any_game.app.extensions["legends.db"].sessions
    engine = any_game.app.extensions["legends.db"].engine
    reads: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        if "quest_definition" in statement and "count(*)" in statement:  # the fingerprint
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with sessions() as session:
            assert "gate.faucet" in catalog_of(session)
            catalog_of(session)
            assert len(reads) == 1, reads  # the fingerprint, once for the transaction
            session.get_one(QuestDefinition, "gate.faucet").retired_at = utcnow()
            session.flush()
            assert "gate.faucet" not in catalog_of(session)  # the change is seen at once
            session.rollback()
            assert "gate.faucet" in catalog_of(session)  # a new transaction reads afresh
    finally:
        event.remove(engine, "before_cursor_execute", count)
