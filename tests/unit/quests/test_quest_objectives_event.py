"""The ``event`` objective: counting, amounts, anti-wash rules and idempotent re-feeds."""

import dataclasses

import pytest
from quest_fakes import ALICE, BOB, CAROL, DAVE, PLAYER, chain_event, feed, objective, sahara

from quests.errors import DefinitionError
from quests.evidence import Answer, Player
from quests.objectives import evaluate

LABELS = objective(
    {
        "type": "event",
        "contract": "DataServices",
        "event": "LabelSubmitted",
        "filters": {"labeler": "$player"},
        "min_count": 3,
    }
)
BUY = objective(
    {
        "type": "event",
        "contract": "AIMarketplace",
        "event": "Sale",
        "filters": {"buyer": "$player"},
        "not_player": ["seller"],
        "amount_arg": "price",
        "min_amount_each": 1,
    }
)


def label(tx: int, labeler: str = ALICE, log_index: int = 0):
    return chain_event(
        "DataServices",
        "LabelSubmitted",
        tx=tx,
        log_index=log_index,
        labelId=tx,
        taskId=1,
        labeler=labeler,
        contentHash="0x" + "ab" * 32,
    )


def sale(tx: int, buyer: str = ALICE, seller: str = BOB, price: float = 5):
    return chain_event(
        "AIMarketplace",
        "Sale",
        tx=tx,
        listingId=7,
        buyer=buyer,
        seller=seller,
        price=sahara(price),
    )


def test_three_labels_meet_the_objective_and_two_do_not():
    two = feed(LABELS, [label(1), label(2)])
    assert not two.met
    assert two.reason == ("found 2 labels of yours; this quest needs 3 — next: submit a label to an "
                           "open Oasis task (the caravan's task takes anyone's)")
    three = feed(LABELS, [label(1), label(2), label(3)])
    assert three.met and three.reason is None
    assert three.evidence_used[0]["tx_hash"] == f"0x{3:064x}"


def test_the_same_log_fed_twice_counts_once():
    """The indexer may replay blocks: (tx hash, log index) is counted at most once."""
    outcome = feed(LABELS, [label(1), label(1), label(1), label(2)])
    assert outcome.progress["count"] == 2
    replay = evaluate(LABELS, outcome.progress, label(2), PLAYER)
    assert replay.progress == outcome.progress and replay.evidence_used == ()


def test_two_logs_of_one_transaction_both_count():
    outcome = feed(LABELS, [label(1, log_index=0), label(1, log_index=1), label(1, log_index=2)])
    assert outcome.met


def test_tx_hash_letter_case_does_not_defeat_idempotency():
    first = label(0xABCDEF)
    shouted = dataclasses.replace(first, tx_hash="0x" + first.tx_hash[2:].upper())
    assert feed(LABELS, [first, shouted]).progress["count"] == 1


def test_other_players_events_and_other_events_are_not_counted():
    outcome = feed(
        LABELS, [label(1, labeler=BOB), chain_event("DataServices", "LabelAccepted", labeler=ALICE)]
    )
    assert outcome.progress["count"] == 0 and outcome.progress["ignored"] == []


def test_player_address_matches_in_any_letter_case():
    assert feed(LABELS, [label(1, ALICE.lower()), label(2, ALICE.upper().replace("0X", "0x")), label(3)]).met


def test_buying_from_another_merchant_counts():
    outcome = feed(BUY, [sale(1)])
    assert outcome.met


def test_buying_your_own_listing_does_not_count_and_says_why():
    outcome = feed(BUY, [sale(1, seller=ALICE.lower())])
    assert not outcome.met
    assert "the seller is you" in outcome.reason
    assert outcome.progress["ignored"][0]["why"].startswith("the seller is you")


def test_dust_purchases_are_ignored_with_a_reason():
    outcome = feed(BUY, [sale(1, price=0.5)])
    assert not outcome.met
    assert "price 0.5 SAHARA is below the 1 SAHARA minimum for each" in outcome.reason
    assert feed(BUY, [sale(1, price=0.5), sale(2, price=1)]).met


def test_an_ignored_event_refed_is_not_logged_twice():
    outcome = feed(BUY, [sale(1, price=0.5), sale(1, price=0.5)])
    assert len(outcome.progress["ignored"]) == 1


def test_self_transfer_does_not_count():
    transfer = objective(
        {
            "type": "event",
            "contract": "SaharaToken",
            "event": "Transfer",
            "filters": {"from": "$player"},
            "not_player": ["to"],
        }
    )
    to_self = chain_event("SaharaToken", "Transfer", tx=1, to=ALICE, value=sahara(5), **{"from": ALICE})
    to_bob = chain_event("SaharaToken", "Transfer", tx=2, to=BOB, value=sahara(5), **{"from": ALICE})
    assert not feed(transfer, [to_self]).met
    assert feed(transfer, [to_self, to_bob]).met


def test_min_amount_sums_counted_events_and_reports_whole_tokens():
    stake = objective(
        {
            "type": "event",
            "contract": "Staking",
            "event": "Staked",
            "filters": {"account": "$player"},
            "amount_arg": "amount",
            "min_amount": 100,
        }
    )

    def staked(tx, tokens):
        return chain_event(
            "Staking", "Staked", tx=tx, account=ALICE, amount=sahara(tokens), totalStaked=sahara(tokens)
        )

    partial = feed(stake, [staked(1, 40)])
    assert partial.reason == ("found 40 SAHARA in your stakes; this quest needs 100 — "
                               "next: stake SAHARA in the Citadel")
    assert feed(stake, [staked(1, 40), staked(2, 60)]).met


def test_distinct_counts_counterparties_not_events():
    busy = objective(
        {
            "type": "event",
            "contract": "AIMarketplace",
            "event": "Sale",
            "filters": {"seller": "$player"},
            "not_player": ["buyer"],
            "distinct": "buyer",
            "min_count": 3,
        }
    )

    def sold(tx, buyer):
        return chain_event(
            "AIMarketplace", "Sale", tx=tx, listingId=1, buyer=buyer, seller=ALICE, price=sahara(2)
        )

    repeat = feed(busy, [sold(1, BOB), sold(2, BOB.lower()), sold(3, CAROL)])
    assert not repeat.met
    assert repeat.reason == ("found sales with 2 different buyers; this quest needs 3 — "
                             "next: buy from a merchant, or list something travellers will buy")
    assert "already counted" in repeat.progress["ignored"][0]["why"]
    assert feed(busy, [sold(1, BOB), sold(2, CAROL), sold(3, DAVE)]).met


def test_literal_filters_must_match():
    craft = objective(
        {
            "type": "event",
            "contract": "LegendShards",
            "event": "GuardianCrafted",
            "filters": {"player": "$player", "guardianId": 101},
        }
    )

    def crafted(tx, guardian):
        return chain_event(
            "LegendShards",
            "GuardianCrafted",
            tx=tx,
            player=ALICE,
            guardianId=guardian,
            shardId=guardian - 100,
            shardsBurned=5,
        )

    assert not feed(craft, [crafted(1, 102)]).met
    assert feed(craft, [crafted(1, 102), crafted(2, 101)]).met


def test_a_met_objective_takes_no_more_evidence():
    done = feed(LABELS, [label(1), label(2), label(3)])
    after = evaluate(LABELS, done.progress, label(4), PLAYER)
    assert after.met and after.progress == done.progress


def test_non_event_evidence_is_ignored():
    outcome = evaluate(LABELS, {}, Answer("hello"), Player(ALICE))
    assert not outcome.met and outcome.progress["count"] == 0


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({"filters": {"labeler": BOB}}, "objectives[0].filters"),
        ({"filters": {"labeler": "$someone"}}, "objectives[0].filters.labeler"),
        ({"min_count": 0}, "objectives[0].min_count"),
        ({"min_amount": 5}, "objectives[0].amount_arg"),
        ({"amount_arg": "reward"}, "objectives[0].amount_arg"),
        ({"amount_arg": "reward", "min_amount": "lots"}, "objectives[0].min_amount"),
        ({"not_player": ["labeler"]}, "objectives[0].not_player"),
        ({"min_cout": 3}, "objectives[0].min_cout"),
    ],
)
def test_bad_event_fields_are_named(spec, field):
    base = {
        "type": "event",
        "contract": "DataServices",
        "event": "LabelSubmitted",
        "filters": {"labeler": "$player"},
    }
    with pytest.raises(DefinitionError) as caught:
        objective({**base, **spec})
    assert caught.value.field == field
