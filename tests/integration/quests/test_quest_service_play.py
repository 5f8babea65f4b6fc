"""Quests a player moves by acting: check-ins and streaks, quizzes, state checks,
referrals; and what the player reads back (why, the world, rewards)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from quest_game import TOKEN
from sqlalchemy import update

from legends.wiring.completions import sync_rewarded
from nft.store import RewardGrant
from quests import service
from quests.errors import AnswerTooSoon, NotApplicable, QuestLocked
from quests.evidence import StateReading
from quests.orm import utcnow
from quests.overview import world
from quests.store import QuestDefinition


def check_in(game, player):
    with game.sessions.begin() as session:
        return service.check_in(session, player, game.now, sink=game.sink)


def test_the_daily_check_in_quest_resets_the_next_day(game):
    alice = game.player()
    first = check_in(game, alice)
    assert [c.quest_id for c in first.completions] == ["gate.daily-checkin"]
    assert check_in(game, alice).already is True
    assert game.status(alice, "gate.daily-checkin", "2026-11-22") == "completed"
    game.travel(days=1)
    again = check_in(game, alice)
    assert [(c.quest_id, c.period) for c in again.completions] == [("gate.daily-checkin", "2026-11-23")]
    assert again.streak.current == 2
    assert game.xp(alice) == 20  # 10 XP per day, not twice on one day


def test_seven_check_ins_in_a_row_complete_seven_suns_but_a_missed_day_starts_over(game):
    alice, bob = game.player(), game.player()
    for _ in range(6):
        check_in(game, alice)
        check_in(game, bob)
        game.travel(days=1)
    game.travel(days=1)  # bob misses a day... and so does alice, who had six in a row
    check_in(game, bob)
    assert game.status(bob, "gate.seven-suns") == "in_progress"
    assert check_in(game, alice).streak.current == 1
    for _ in range(6):
        game.travel(days=1)
        done = check_in(game, alice)
    assert "gate.seven-suns" in [c.quest_id for c in done.completions]


def test_a_wrong_answer_says_try_again_and_the_right_one_completes_the_riddle(game):
    alice = game.player()
    with pytest.raises(QuestLocked, match="finish “A Name in the Sand” first"):
        with game.sessions.begin() as session:
            service.answer(session, alice, "gate.soulbound-riddle", "it reverts", game.now, sink=game.sink)
    game.finish(alice, "gate.sahara-id")
    with game.sessions.begin() as session:
        wrong = service.answer(session, alice, "gate.soulbound-riddle", "it succeeds", game.now,
                               sink=game.sink)
    assert not wrong.completed and "try once more in 30 s" in wrong.reasons[0]
    with pytest.raises(AnswerTooSoon) as silent, game.sessions.begin() as session:
        service.answer(session, alice, "gate.soulbound-riddle", "it reverts", game.now, sink=game.sink)
    assert (silent.value.retry_after, silent.value.attempts) == (30, 1)
    game.travel(seconds=30)
    with game.sessions.begin() as session:
        right = service.answer(session, alice, "gate.soulbound-riddle", "  It REVERTS. ", game.now,
                               sink=game.sink)
    assert right.completed
    with pytest.raises(NotApplicable) as error, game.sessions.begin() as session:
        service.answer(session, alice, "gate.faucet", "42", game.now, sink=game.sink)
    assert error.value.field == "quest_id"


def test_a_state_check_reports_what_it_found_and_completes_at_the_threshold(game):
    alice = game.player()
    game.finish(alice, "gate.faucet")
    low = [StateReading("sahara_balance", 40 * TOKEN, None, 100)]
    with game.sessions.begin() as session:
        move = service.check_state(session, alice, "gate.full-waterskin", low, game.now, sink=game.sink)
    assert move.reasons == ["found a balance of 40 SAHARA in your wallet; this quest needs 100"]
    enough = [StateReading("sahara_balance", 150 * TOKEN, None, 101)]
    with game.sessions.begin() as session:
        assert service.check_state(session, alice, "gate.full-waterskin", enough, game.now,
                                   sink=game.sink).completed
    with pytest.raises(NotApplicable), game.sessions.begin() as session:
        service.check_state(session, alice, "gate.faucet", enough, game.now, sink=game.sink)


def test_a_referral_counts_only_once_the_invitee_finishes_the_activation_quests(game):
    host = game.player()
    game.finish(host, "gate.sahara-id")  # opens "Bring a Friend to the Well"
    guest = game.player(referred_by=host)
    game.accept(guest, "gate.faucet")
    game.accept(guest, "gate.sahara-id")
    game.feed(game.log("SaharaToken", "FaucetClaimed", account=guest.address, amount=1, nextClaimAt=0))
    assert game.status(host, "gate.caravan-friend") is None
    done = game.feed(game.log("SaharaID", "IdentityMinted", owner=guest.address, tokenId=7, profileURI=""))
    assert [c.quest_id for c in done] == ["gate.sahara-id", "gate.caravan-friend"]
    assert game.status(host, "gate.caravan-friend") == "completed"
    with game.sessions() as session:
        report = service.referral_report(session, host)
    assert report["activated"] == 1 and report["invitees"][0]["activated"] is True


def test_a_referral_made_while_the_quest_was_locked_counts_once_it_opens(game):
    host = game.player()
    guest = game.player(referred_by=host)
    game.finish(guest, "gate.faucet", "gate.sahara-id")
    game.accept(host, "gate.sahara-id")
    done = game.feed(game.log("SaharaID", "IdentityMinted", owner=host.address, tokenId=1, profileURI=""))
    assert [c.quest_id for c in done] == ["gate.sahara-id", "gate.caravan-friend"]


def test_why_shows_each_objective_the_logs_seen_and_how_far_behind_the_indexer_is(game):
    alice, bob = game.player(), game.player()
    game.finish(alice, "gate.faucet", "gate.sahara-id", "oasis.first-labels", "forge.register-agent")
    with game.sessions() as session:
        before = service.why(session, alice, "bazaar.first-purchase", None, game.now)
    assert before["status"] == "available"
    assert any("no need to accept it first" in h for h in before["hints"])
    game.accept(alice, "bazaar.first-purchase", head=100)
    game.feed(game.log("AIMarketplace", "Sale", block=101, listingId=1, buyer=alice.address,
                       seller=bob.address, price=TOKEN // 10))
    with game.sessions() as session:
        report = service.why(session, alice, "bazaar.first-purchase", 7, game.now)
    assert report["status"] == "in_progress" and report["met"] is False
    assert report["accepted_block"] == 100
    assert report["evidence_seen"][0]["verdict"] == "ignored"
    assert "below the 1 SAHARA minimum" in report["evidence_seen"][0]["why"]
    assert report["indexer"] == {"lag_blocks": 7, "caught_up": False}
    assert any("7 blocks behind" in h for h in report["hints"])


def test_regions_open_on_the_world_map_as_their_gate_quests_complete(game):
    alice = game.player()

    def unlocked():
        with game.sessions() as session:
            return [r["key"] for r in world(session, alice, game.now)["regions"] if r["unlocked"]]

    assert unlocked() == ["gate"]
    game.finish(alice, "gate.faucet")
    assert unlocked() == ["gate"]
    game.finish(alice, "gate.sahara-id")
    assert unlocked() == ["gate", "oasis"]
    with game.sessions() as session:
        anonymous = world(session, None, game.now)
    # The Gate is open to everyone, anonymous visitors too; its quests wait for a sign-in.
    assert [r["key"] for r in anonymous["regions"] if r["unlocked"]] == ["gate"]
    assert {q["status"] for r in anonymous["regions"] for q in r["quests"]} == {"locked"}


def test_a_quest_is_rewarded_once_the_ledger_confirms_its_on_chain_grants(game):
    alice = game.player()
    check_in(game, alice)  # daily check-in: 1 shard + 10 XP
    game.finish(alice, "gate.sahara-id")
    with game.sessions.begin() as session:
        service.answer(session, alice, "gate.soulbound-riddle", "reverts", game.now, sink=game.sink)
        assert sync_rewarded(session, game.now) == 0  # shards not minted yet
        session.execute(update(RewardGrant).where(RewardGrant.kind == "shards",
                                                  RewardGrant.source == "gate.daily-checkin")
                        .values(state="confirmed"))
        assert sync_rewarded(session, game.now) == 1
    assert game.status(alice, "gate.daily-checkin", "2026-11-22") == "rewarded"
    assert game.status(alice, "gate.soulbound-riddle") == "completed"


def change_rewards(game, quest_id: str, rewards: dict) -> None:
    """Edit a stored quest's rewards as a catalog reload would (the catalog cache follows)."""
    with game.sessions.begin() as session:
        row = session.get(QuestDefinition, quest_id)
        row.spec = {**row.spec, "rewards": rewards}
        row.loaded_at = max(row.loaded_at, utcnow()) + timedelta(seconds=1)  # a newer load


def confirm_grants(game, player) -> None:
    """The reward worker minted every grant the ledger holds for ``player``."""
    with game.sessions.begin() as session:
        session.execute(update(RewardGrant).where(RewardGrant.player == player.address.lower())
                        .values(state="confirmed"))


def test_a_completion_is_rewarded_by_its_recorded_grants_even_after_the_quest_changes(game):
    alice, bob = game.player(), game.player()
    check_in(game, alice)  # under the shipped rewards: 1 gate shard + 10 XP
    check_in(game, bob)
    change_rewards(game, "gate.daily-checkin", {"xp": 10})
    with game.sessions.begin() as session:
        assert sync_rewarded(session, game.now) == 0, "the recorded shards are not minted yet"
    confirm_grants(game, alice)
    change_rewards(game, "gate.daily-checkin", {"shards": {"gate": 1, "oasis": 2}, "sahara": 5,
                                                "xp": 10})
    with game.sessions.begin() as session:
        assert sync_rewarded(session, game.now) == 1, "alice's recorded grants are all confirmed"
    assert game.status(alice, "gate.daily-checkin", "2026-11-22") == "rewarded"
    assert game.status(bob, "gate.daily-checkin", "2026-11-22") == "completed"
    confirm_grants(game, bob)
    with game.sessions.begin() as session:
        assert sync_rewarded(session, game.now) == 1, "new rewards owed to nobody hold bob back"
    assert game.status(bob, "gate.daily-checkin", "2026-11-22") == "rewarded"


def test_loading_the_catalog_again_changes_nothing_and_dropped_quests_are_retired(game, tmp_path):
    from legends.wiring.catalog import load_quests
    from quests.catalog_store import catalog_of
    from quests.loader import catalog_dir

    def load(*paths):
        return load_quests(game.sessions, paths or None, say=lambda _m: None)

    assert load() == 0
    others = [p for p in catalog_dir().glob("*.yaml") if p.name != "gate.yaml"]
    gate = (catalog_dir() / "gate.yaml").read_text()
    (tmp_path / "gate.yaml").write_text(gate.replace("xp: 50}", "xp: 55}", 1))
    assert load(tmp_path / "gate.yaml", *others) == 1
    (tmp_path / "gate.yaml").write_text(gate.split("  - id: gate.first-guardian")[0])
    assert load(tmp_path / "gate.yaml", *others) == 2  # faucet back to 50 XP, guardian retired
    with game.sessions() as session:
        catalog = catalog_of(session)
    assert "gate.first-guardian" not in catalog and catalog.get("gate.faucet").rewards.xp == 50
    assert load() == 1  # the guardian quest comes back


def test_a_batch_with_an_invitee_and_their_referrer_credits_the_referrer_once(game):
    """One indexer batch holding the invitee's activating log, the referrer's own log and a
    stranger's: the batch's players are read together, but the referrer (whose quests the
    invitee's log changes) is read afresh, so their own log and the credit both count, once."""
    host, other = game.player(), game.player()
    game.finish(host, "gate.sahara-id")  # opens "Bring a Friend to the Well"
    guest = game.player(referred_by=host)
    game.finish(guest, "gate.faucet")
    game.accept(guest, "gate.sahara-id")
    for player in (host, other):
        game.accept(player, "gate.faucet")
    block = [game.log("SaharaID", "IdentityMinted", block=400, log_index=0, owner=guest.address,
                      tokenId=7, profileURI=""),
             game.log("SaharaToken", "FaucetClaimed", block=400, log_index=1, account=host.address,
                      amount=1, nextClaimAt=0),
             game.log("SaharaToken", "FaucetClaimed", block=400, log_index=2, account=other.address,
                      amount=1, nextClaimAt=0)]
    done = game.feed(*block)
    assert sorted((c.player, c.quest_id) for c in done) == sorted([
        (guest.address, "gate.sahara-id"), (host.address, "gate.caravan-friend"),
        (host.address, "gate.faucet"), (other.address, "gate.faucet")])
    assert game.feed(*block) == []  # the same batch again: nothing twice
    assert game.status(host, "gate.caravan-friend") == "completed"
