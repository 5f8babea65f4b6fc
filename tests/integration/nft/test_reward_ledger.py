"""The grant ledger on SQLite and PostgreSQL: a reward is recorded once, however often and
however concurrently it is granted; XP lands at once, shards and SAHARA wait for the worker."""

from __future__ import annotations

import threading

import pytest
from reward_support import add_player, fresh_address, ledger_sessions, record
from sqlalchemy import select

from nft import outbox, outbox_batches, outbox_reads
from nft.batching import OutboxState
from nft.ledger import WEI_PER_SAHARA, Grant, GrantKind, grants_for_completion
from nft.store import RewardGrant
from quests.orm import Player

REWARDS = {"shards": {"oasis": 2}, "sahara": 25, "xp": 40}


@pytest.fixture(params=["sqlite", "postgres"])
def sessions(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    factory = ledger_sessions(url)
    yield factory
    factory.kw["bind"].dispose()


def xp_of(sessions, address: str) -> int:
    with sessions() as session:
        return session.scalar(select(Player.xp).where(Player.address == address))


def test_a_completion_records_shards_and_sahara_pending_and_xp_confirmed(sessions):
    player = fresh_address()
    add_player(sessions, player)
    records = record(sessions, grants_for_completion(player, "oasis-first-label", "once", REWARDS))
    assert [(r.kind, r.state, r.created) for r in records] == [
        ("shards", "pending", True), ("sahara", "pending", True), ("xp", "confirmed", True)]
    assert records[1].amount == 25 * WEI_PER_SAHARA
    assert xp_of(sessions, player) == 40


def test_granting_twice_is_a_no_op_that_returns_the_first_grant(sessions):
    player = fresh_address()
    add_player(sessions, player)
    first = record(sessions, grants_for_completion(player, "oasis-first-label", "once", REWARDS))
    richer = {"shards": {"oasis": 9}, "sahara": 999, "xp": 1000}
    again = record(sessions, grants_for_completion(player.lower(), "oasis-first-label", "once",
                                                   richer))
    assert [r.created for r in again] == [False, False, False]
    assert [(r.key, r.amount, r.created_at) for r in again] == [
        (r.key, r.amount, r.created_at) for r in first]
    assert xp_of(sessions, player) == 40
    with sessions() as session:
        assert len(session.scalars(select(RewardGrant)).all()) == 3


def test_another_period_is_another_reward(sessions):
    player = fresh_address()
    add_player(sessions, player)
    record(sessions, grants_for_completion(player, "daily-check-in", "2026-11-22", {"xp": 5}))
    record(sessions, grants_for_completion(player, "daily-check-in", "2026-11-23", {"xp": 5}))
    assert xp_of(sessions, player) == 10


def test_concurrent_grants_of_one_reward_record_it_once(sessions):
    player = fresh_address()
    add_player(sessions, player)
    owed = grants_for_completion(player, "bazaar-first-sale", "once", REWARDS)
    start = threading.Barrier(8)
    results, failures = [], []

    def grant() -> None:
        try:
            start.wait()
            results.append(record(sessions, owed))
        except Exception as exc:  # collected: an assertion below shows it
            failures.append(exc)

    threads = [threading.Thread(target=grant) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    assert sum(r.created for rs in results for r in rs) == 3  # each key created exactly once
    assert len({tuple((r.key, r.amount, r.created_at) for r in rs) for rs in results}) == 1
    assert xp_of(sessions, player) == 40
    with sessions() as session:
        assert len(session.scalars(select(RewardGrant)).all()) == 3


def test_xp_for_a_player_who_never_signed_in_writes_nothing(sessions):
    stranger = fresh_address()
    with pytest.raises(outbox.UnknownPlayerError, match="player"):
        record(sessions, grants_for_completion(stranger, "gate-first-steps", "once", REWARDS))
    with sessions() as session:
        assert session.scalars(select(RewardGrant)).all() == []


def test_a_batch_of_completions_adds_every_players_xp_once_and_only_to_known_players(sessions):
    """One ledger write for a verification batch: each player's XP grants summed, players
    with the same total raised together; one stranger in the batch writes nothing at all."""
    a, b, c = fresh_address(), fresh_address(), fresh_address()
    for player in (a, b, c):
        add_player(sessions, player)
    batch = [*grants_for_completion(a, "gate-first-steps", "once", {"xp": 40}),
             *grants_for_completion(a, "gate-id", "once", {"xp": 10}),  # a: 50 in all
             *grants_for_completion(b, "gate-first-steps", "once", {"xp": 40}),
             *grants_for_completion(b, "gate-id", "once", {"xp": 10}),  # b: 50, with a
             *grants_for_completion(c, "gate-first-steps", "once", {"xp": 40})]  # c: 40
    records = record(sessions, batch)
    assert [r.created for r in records] == [True] * 5
    assert [xp_of(sessions, p) for p in (a, b, c)] == [50, 50, 40]
    assert all(not r.created for r in record(sessions, batch))  # granted again: nothing moves
    assert [xp_of(sessions, p) for p in (a, b, c)] == [50, 50, 40]
    stranger = fresh_address()
    with pytest.raises(outbox.UnknownPlayerError, match="player"):
        record(sessions, [*grants_for_completion(a, "gate-wallet", "once", {"xp": 5}),
                          *grants_for_completion(stranger, "gate-wallet", "once", {"xp": 5})])
    assert xp_of(sessions, a) == 50


def test_grants_roll_back_with_the_completion_that_earned_them(sessions):
    player = fresh_address()
    add_player(sessions, player)
    with pytest.raises(RuntimeError), sessions.begin() as session:
        outbox.record_grants(session, grants_for_completion(player, "gate-id", "once", REWARDS))
        raise RuntimeError("the completion failed after the grants were recorded")
    with sessions() as session:
        assert session.scalars(select(RewardGrant)).all() == []
    assert xp_of(sessions, player) == 0


def test_amounts_beyond_a_bigint_are_kept_exactly(sessions):
    player = fresh_address()
    huge = 10**30 + 7
    record(sessions, [Grant(player, "bonus:season-champion", "s1", GrantKind.SAHARA, huge)])
    with sessions() as session:
        assert outbox_reads.ledger_totals(session, [OutboxState.PENDING]) == {
            (player.lower(), "sahara", None): huge}


def test_only_ledger_grants_are_accepted(sessions):
    with pytest.raises(outbox.RewardError, match="grants"), sessions.begin() as session:
        outbox.record_grants(session, [{"player": fresh_address()}])


def withdraw(sessions, grants):
    with sessions.begin() as session:
        return outbox.withdraw_grants(session, grants)


def states(sessions, grants) -> list[str]:
    with sessions() as session:
        rows = {r.grant_key: r.state for r in session.scalars(select(RewardGrant))}
    return [rows[g.key] for g in grants]


def test_a_reorg_takes_back_grants_not_yet_sent_and_the_xp(sessions):
    player = fresh_address()
    add_player(sessions, player)
    grants = grants_for_completion(player, "gate-faucet", "once", REWARDS)
    record(sessions, grants)
    withdrawn, kept = withdraw(sessions, grants)
    assert sorted(withdrawn) == sorted(g.key for g in grants) and kept == []
    assert states(sessions, grants) == ["withdrawn"] * 3
    assert xp_of(sessions, player) == 0
    with sessions() as session:
        assert outbox_batches.unplanned_grants(session, 10) == [], "the worker must not mint them"


def test_a_completion_back_on_the_new_branch_owes_its_grants_again_once(sessions):
    player = fresh_address()
    add_player(sessions, player)
    grants = grants_for_completion(player, "gate-faucet", "once", REWARDS)
    record(sessions, grants)
    withdraw(sessions, grants)
    again = record(sessions, grants)
    assert [r.created for r in again] == [False, False, False]
    assert states(sessions, grants) == ["pending", "pending", "confirmed"]
    assert xp_of(sessions, player) == 40
    record(sessions, grants)  # and a third time changes nothing
    assert xp_of(sessions, player) == 40


def test_grants_already_handed_to_a_transaction_stay(sessions):
    player = fresh_address()
    add_player(sessions, player)
    grants = grants_for_completion(player, "gate-faucet", "once", REWARDS)
    record(sessions, grants)
    with sessions.begin() as session:
        for row in session.scalars(select(RewardGrant).where(RewardGrant.kind == "shards")):
            row.state = "sending"
    withdrawn, kept = withdraw(sessions, grants)
    shard_key = next(g.key for g in grants if g.kind is GrantKind.SHARDS)
    assert kept == [shard_key] and shard_key not in withdrawn
    assert states(sessions, grants) == ["sending", "withdrawn", "withdrawn"]
