"""Quests verified by on-chain logs: accept, logs arrive, the quest completes with its
evidence and its rewards are granted, all in one transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from quest_game import TOKEN
from sqlalchemy import func, select

from legends.wiring.completions import queued_events
from nft.store import RewardGrant
from quests import service
from quests.errors import QuestAlreadyDone, QuestLocked, UnknownQuest
from quests.store import QuestCompletion, QuestEvidence, QuestWithdrawal

BAZAAR = ("gate.faucet", "gate.sahara-id", "oasis.first-labels", "forge.register-agent")


def test_claiming_the_faucet_after_accepting_completes_the_quest_with_its_evidence(game):
    alice = game.player("alice")
    game.accept(alice, "gate.faucet", head=100)
    log = game.log("SaharaToken", "FaucetClaimed", block=101, log_index=3, account=alice.address,
                   amount=100 * TOKEN, nextClaimAt=0)
    with game.sessions.begin() as session:
        done = service.apply_chain_events(session, [log], game.now, sink=game.sink)
        events = queued_events(session)  # published to the player once this commits
    assert [(c.quest_id, c.tx_hash, c.block_number, c.log_index) for c in done] == [
        ("gate.faucet", log.tx_hash, 101, 3)]
    assert [(e["type"], e["player"], e["quest_id"]) for e in events] == [
        ("quest.completed", alice.address, "gate.faucet")]
    with game.sessions() as session:
        completion = session.scalar(select(QuestCompletion).where(QuestCompletion.player_id == alice.id))
        grants = session.scalars(select(RewardGrant).where(RewardGrant.source == "gate.faucet")).all()
    assert (completion.tx_hash, completion.block_number, completion.log_index, completion.rule_version) == (
        log.tx_hash, 101, 3, 1)
    assert game.status(alice, "gate.faucet") == "completed"
    assert {(g.kind, g.token_id, g.amount) for g in grants} == {("shards", 1, 2), ("xp", None, 50)}
    assert game.xp(alice) == 50  # raised once, by the ledger


def test_the_same_log_fed_twice_is_counted_once(game):
    alice = game.player()
    game.finish(alice, "gate.faucet", "gate.sahara-id")
    game.accept(alice, "oasis.first-labels")
    log = game.log("DataServices", "LabelSubmitted", labelId=1, taskId=1, labeler=alice.address,
                   contentHash="0x" + "ab" * 32)
    game.feed(log)
    game.feed(log)  # the indexer re-feeds after a restart
    with game.sessions() as session:
        assert session.scalar(select(func.count(QuestEvidence.id))) == 1
    progress = game.record(alice, "oasis.first-labels").to_progress()
    assert progress.objective(0)["count"] == 1


def test_buying_your_own_listing_does_not_count(game):
    alice = game.player()
    game.finish(alice, *BAZAAR)
    game.accept(alice, "bazaar.first-purchase")
    wash = game.log("AIMarketplace", "Sale", listingId=1, buyer=alice.address, seller=alice.address,
                    price=5 * TOKEN)
    assert game.feed(wash) == []
    with game.sessions() as session:
        report = service.why(session, alice, "bazaar.first-purchase", 0, game.now)
    assert report["evidence_seen"][0]["verdict"] == "ignored"
    assert "dealing with yourself does not count" in report["evidence_seen"][0]["why"]


def test_a_dust_purchase_does_not_count_but_a_real_one_does(game):
    alice, bob = game.player(), game.player()
    game.finish(alice, *BAZAAR)
    game.accept(alice, "bazaar.first-purchase")
    dust = game.log("AIMarketplace", "Sale", block=101, listingId=1, buyer=alice.address,
                    seller=bob.address, price=TOKEN // 2)
    real = game.log("AIMarketplace", "Sale", block=102, listingId=2, buyer=alice.address,
                    seller=bob.address, price=2 * TOKEN)
    assert game.feed(dust) == []
    assert [c.quest_id for c in game.feed(real)] == ["bazaar.first-purchase"]


def test_logs_of_players_who_never_signed_in_are_ignored(game):
    log = game.log("SaharaToken", "FaucetClaimed", account="0x" + "12" * 20, amount=1, nextClaimAt=0)
    assert game.feed(log) == []


def test_a_locked_quest_cannot_be_accepted_and_says_why(game):
    alice = game.player()
    with pytest.raises(QuestLocked, match="The Data Oasis is still sealed"):
        game.accept(alice, "oasis.first-labels")
    with pytest.raises(UnknownQuest):
        game.accept(alice, "no.such-quest")


def test_accepting_twice_keeps_the_first_block_and_a_completed_quest_cannot_be_taken_again(game):
    alice = game.player()
    game.accept(alice, "gate.faucet", head=100)
    game.accept(alice, "gate.faucet", head=150)
    assert game.record(alice, "gate.faucet").accepted_block == 100
    game.feed(game.log("SaharaToken", "FaucetClaimed", block=120, account=alice.address, amount=1,
                       nextClaimAt=0))
    with pytest.raises(QuestAlreadyDone):
        game.accept(alice, "gate.faucet")


def test_logs_outside_a_quests_availability_window_do_not_count(game, tmp_path):
    """A campaign quest closes at ``available_until``: a later log does not count."""
    (tmp_path / "camp.yaml").write_text(
        "region: gate\nquests:\n  - id: gate.camp\n    title: Camp\n    story: s\n"
        "    available_until: 2026-11-22T13:00:00Z\n    objectives:\n"
        "      - {type: event, contract: SaharaToken, event: FaucetClaimed, filters: {account: $player}}\n"
        "    rewards: {xp: 5}\n")
    from legends.wiring.catalog import load_quests

    load_quests(game.sessions, [tmp_path / "camp.yaml"], say=lambda _m: None)
    alice = game.player()
    game.accept(alice, "gate.camp")
    late = game.log("SaharaToken", "FaucetClaimed", at=game.now + timedelta(hours=2),
                    account=alice.address, amount=1, nextClaimAt=0)
    assert game.feed(late) == []
    on_time = game.log("SaharaToken", "FaucetClaimed", at=game.now + timedelta(minutes=30),
                       account=alice.address, amount=1, nextClaimAt=0)
    assert [c.quest_id for c in game.feed(on_time)] == ["gate.camp"]


def test_a_reorg_withdraws_a_completion_whose_transaction_was_orphaned(game):
    alice = game.player()
    game.accept(alice, "gate.faucet", head=100)
    game.feed(game.log("SaharaToken", "FaucetClaimed", block=105, account=alice.address, amount=1,
                       nextClaimAt=0))
    withdrawn = game.retract(104)
    assert [c.quest_id for c in withdrawn] == ["gate.faucet"]
    assert game.sink.withdrawn_ids == [("gate.faucet", "once")]
    assert game.status(alice, "gate.faucet") == "in_progress"
    with game.sessions() as session:
        assert session.scalar(select(func.count(QuestCompletion.id))) == 0
        assert session.scalar(select(QuestWithdrawal.from_block)) == 104
        # The rewards nobody sent yet are taken back, the XP too.
        assert set(session.scalars(select(RewardGrant.state))) == {"withdrawn"}
    assert game.xp(alice) == 0
    # The transaction is mined again on the new branch: it counts, and pays once.
    game.feed(game.log("SaharaToken", "FaucetClaimed", block=106, account=alice.address, amount=1,
                       nextClaimAt=0))
    assert game.status(alice, "gate.faucet") == "completed"
    assert game.xp(alice) == 50
    with game.sessions() as session:
        assert "withdrawn" not in set(session.scalars(select(RewardGrant.state)))


def test_a_reorg_recounts_a_quest_from_the_logs_that_remain(game):
    """Three sales to distinct buyers complete the weekly stall quest; orphan the third
    and the quest goes back to two of three (the wash trade before still does not count)."""
    alice = game.player()
    game.finish(alice, *BAZAAR, "bazaar.first-listing")
    game.accept(alice, "bazaar.busy-stall")
    buyers = [game.player() for _ in range(3)]
    wash = game.log("AIMarketplace", "Sale", block=101, listingId=9, buyer=alice.address,
                    seller=alice.address, price=TOKEN)
    sales = [game.log("AIMarketplace", "Sale", block=102 + i, listingId=i, buyer=b.address,
                      seller=alice.address, price=TOKEN) for i, b in enumerate(buyers)]
    assert [c.quest_id for c in game.feed(wash, *sales)] == ["bazaar.busy-stall"]
    assert game.retract(200) == []  # nothing that far: nothing changes
    assert game.status(alice, "bazaar.busy-stall", "2026-W47") == "completed"
    withdrawn = game.retract(104)
    assert [(c.quest_id, c.period) for c in withdrawn] == [("bazaar.busy-stall", "2026-W47")]
    progress = game.record(alice, "bazaar.busy-stall", "2026-W47").to_progress()
    assert progress.status.value == "in_progress"
    assert progress.objective(0)["count"] == 2
    assert len(progress.objective(0)["ignored"]) == 1


def test_nothing_is_half_written_when_recording_the_rewards_fails(game):
    """The evidence, the progress, the completion and the grants share one transaction."""
    alice = game.player()
    game.accept(alice, "gate.faucet")

    def broken(session, completion):
        raise RuntimeError("ledger unavailable")

    game.sink.completed = broken
    with pytest.raises(RuntimeError):
        game.feed(game.log("SaharaToken", "FaucetClaimed", account=alice.address, amount=1, nextClaimAt=0))
    assert game.status(alice, "gate.faucet") == "in_progress"
    with game.sessions() as session:
        assert session.scalar(select(func.count(QuestEvidence.id))) == 0
        assert session.scalar(select(func.count(QuestCompletion.id))) == 0
