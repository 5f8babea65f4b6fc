"""The counting rule (docs/world.md): a log counts for a quest from the block at which the
quest opened to the player — its last prerequisite met — accepted or not; a log made while
the quest was still sealed counts once it opens if it is from that block on; a once-per-wallet
action also completes from on-chain state; recurring quests count per period."""

from __future__ import annotations

from quest_game import TOKEN

from quests import service
from quests.evidence import StateReading
from quests.store import QuestCompletion, QuestEvidence


def faucet(game, who, block, **kw):
    return game.log("SaharaToken", "FaucetClaimed", block=block, account=who.address,
                    amount=100 * TOKEN, nextClaimAt=0, **kw)


def label(game, who, block, n):
    return game.log("DataServices", "LabelSubmitted", block=block, labelId=n, taskId=1,
                    labeler=who.address, contentHash="0x" + f"{n:02x}" * 32)


def accepted(game, who, block, n, **kw):
    return game.log("DataServices", "LabelAccepted", block=block, labelId=n, taskId=1,
                    labeler=who.address, reward=5 * TOKEN, **kw)


def read(game, who, quest_id, *readings):
    with game.sessions.begin() as session:
        return service.check_state(session, who, quest_id, list(readings), game.now, sink=game.sink)


def test_a_faucet_claim_before_anything_else_completes_the_gates_first_quest(game):
    """The Gate's first quests are open to everyone from the start: no accept, block 1."""
    alice = game.player()
    done = game.feed(faucet(game, alice, block=1))
    assert [c.quest_id for c in done] == ["gate.faucet"]
    assert (done[0].tx_hash, done[0].block_number, done[0].rule_version) == (done[0].tx_hash, 1, 1)
    assert game.status(alice, "gate.faucet") == "completed"


def test_evidence_before_the_quest_opens_does_not_count_but_evidence_from_its_opening_block_does(game):
    alice = game.player()
    game.finish(alice, "gate.faucet", "gate.sahara-id")
    early = accepted(game, alice, block=100, n=1)
    assert game.feed(early) == []  # The Reviewer's Nod is sealed until three labels are in
    done = game.feed(label(game, alice, 101, 1), label(game, alice, 102, 2), label(game, alice, 103, 3))
    assert [c.quest_id for c in done] == ["oasis.first-labels"]
    assert game.status(alice, "oasis.label-accepted") is None  # the early nod was before block 103
    done = game.feed(accepted(game, alice, block=104, n=2))
    assert [c.quest_id for c in done] == ["oasis.label-accepted"]
    assert done[0].block_number == 104


def test_evidence_between_unlock_and_accept_counts_and_accept_then_says_done(game):
    alice = game.player()
    game.finish(alice, "gate.faucet", "gate.sahara-id", "oasis.first-labels")
    registered = game.log("AgentRegistry", "AgentRegistered", block=110, agentId=7,
                          developer=alice.address, licenseFee=0, metadataURI="ipfs://djinn")
    invoked = game.log("AgentRegistry", "AgentInvoked", block=111, agentId=7, caller=alice.address,
                       attester=alice.address, inputHash="0x" + "11" * 32,
                       outputHash="0x" + "22" * 32, nonce=1)
    done = game.feed(registered, invoked)
    assert [c.quest_id for c in done] == ["forge.register-agent", "forge.invoke"]
    try:
        game.accept(alice, "forge.invoke")
    except service.QuestAlreadyDone:
        pass
    else:
        raise AssertionError("accepting a quest the player already finished must say so")


def test_evidence_after_accept_counts_as_before(game):
    alice = game.player()
    game.accept(alice, "gate.faucet", head=100)
    assert game.status(alice, "gate.faucet") == "in_progress"
    assert [c.quest_id for c in game.feed(faucet(game, alice, block=101))] == ["gate.faucet"]


def test_a_log_made_while_the_quest_was_sealed_counts_when_it_opens_from_its_opening_block(game):
    """An agent listing completes Spread Your Carpet and, in the same block, counts for Brass
    for Sale, which that very listing opened."""
    alice = game.player()
    game.finish(alice, "gate.faucet", "gate.sahara-id", "oasis.first-labels", "forge.register-agent")
    listed = game.log("AIMarketplace", "Listed", block=120, listingId=9, seller=alice.address,
                      kind=2, assetRef=7, price=5 * TOKEN)
    sold = game.log("AIMarketplace", "Sale", block=121, listingId=9, buyer=game.player().address,
                    seller=alice.address, price=5 * TOKEN)
    done = game.feed(listed, sold)
    assert {c.quest_id for c in done} >= {"bazaar.first-listing", "bazaar.agent-trader"}


def test_labels_made_before_the_oasis_opened_off_chain_are_kept_and_counted_when_it_opens(game):
    """Alice minted her Sahara ID before signing in (the indexer never saw it) and labelled
    while the Oasis looked sealed. Her ID is read from the chain; the Oasis opens from the
    faucet claim's block, and the kept labels count."""
    alice = game.player()
    game.feed(faucet(game, alice, block=5))
    assert game.feed(label(game, alice, 10, 1), label(game, alice, 11, 2), label(game, alice, 12, 3)) == []
    move = read(game, alice, "gate.sahara-id", StateReading("has_identity", 1, block_number=13))
    assert [c.quest_id for c in move.completions] == ["gate.sahara-id", "oasis.first-labels"]
    with game.sessions() as session:
        kept = session.query(QuestEvidence).filter_by(player_id=alice.id, quest_id="oasis.first-labels")
        assert sorted(e.block_number for e in kept) == [10, 11, 12]


def test_a_second_identity_mint_is_not_needed_holding_the_id_completes_the_quest(game):
    alice = game.player()
    move = read(game, alice, "gate.sahara-id", StateReading("has_identity", 1, block_number=40))
    assert move.completed
    with game.sessions() as session:
        row = session.query(QuestCompletion).filter_by(player_id=alice.id, quest_id="gate.sahara-id").one()
    assert row.rule_version == 2 and row.evidence[0]["kind"] == "state"


def test_holding_the_legend_completes_every_guardian_quest_and_the_legend(game):
    """Forging the Legend burns the Guardians; the Legend still proves each was crafted."""
    alice = game.player()
    game.finish(alice, "gate.faucet", "gate.sahara-id", "oasis.first-labels", "forge.register-agent",
                "bazaar.first-listing")  # every region open; the Guardians were crafted long ago
    legend = StateReading("owns_token", 1, 1000, 77)
    for quest_id in ("gate.first-guardian", "oasis.warden", "citadel.legend"):
        move = read(game, alice, quest_id, StateReading("owns_token", 0, int(_guardian(quest_id)), 77),
                    legend)
        assert move.completed, (quest_id, move.reasons)


def _guardian(quest_id: str) -> int:
    return {"gate.first-guardian": 101, "oasis.warden": 102, "citadel.legend": 1000}[quest_id]


def test_a_weekly_quest_counts_per_period_across_the_boundary(game):
    alice = game.player()
    game.finish(alice, "gate.faucet", "gate.sahara-id", "oasis.first-labels", "oasis.label-accepted")
    game.feed(*(accepted(game, alice, block=200 + n, n=n) for n in range(4)))  # Sunday, W47
    assert game.status(alice, "oasis.weekly-harvest", "2026-W47") == "in_progress"
    game.travel(days=1)  # Monday: W48
    one = accepted(game, alice, block=300, n=10)
    assert game.feed(one) == []
    assert game.status(alice, "oasis.weekly-harvest", "2026-W48") == "in_progress"
    done = game.feed(*(accepted(game, alice, block=301 + n, n=11 + n) for n in range(4)))
    assert [c.period for c in done] == ["2026-W48"]
    assert game.status(alice, "oasis.weekly-harvest", "2026-W47") == "in_progress"
