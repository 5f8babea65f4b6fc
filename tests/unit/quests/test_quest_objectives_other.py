"""The other objective types: state, answer, all/any, checkin, referral; and the registry."""

from datetime import UTC, datetime

import pytest
from quest_fakes import ALICE, BOB, CAROL, PLAYER, chain_event, feed, objective, sahara

from quests.errors import DefinitionError
from quests.evidence import Answer, CheckIn, ReferralActivated, StateReading
from quests.objectives import OBJECTIVE_TYPES, evaluate, normalise, parse_objective

STAKED_100 = objective({"type": "state", "check": "staked", "at_least": 100})


def test_every_objective_type_is_registered():
    assert set(OBJECTIVE_TYPES) == {"event", "state", "answer", "all", "any", "checkin", "referral"}


def test_unknown_objective_type_is_rejected_at_parse_time():
    with pytest.raises(DefinitionError) as caught:
        parse_objective({"type": "telepathy"}, "objectives[2]")
    assert caught.value.field == "objectives[2].type"
    assert "telepathy" in str(caught.value)


# --- state ---------------------------------------------------------------------------


def test_a_small_stake_is_reported_in_whole_tokens():
    outcome = feed(STAKED_100, [StateReading("staked", sahara(40))])
    assert not outcome.met
    assert outcome.reason == "found your stake of 40 SAHARA; this quest needs 100"


def test_a_stake_at_the_threshold_meets_the_objective_and_stays_met():
    met = feed(STAKED_100, [StateReading("staked", sahara(100), block_number=9)])
    assert met.met and met.evidence_used == (
        {"kind": "state", "check": "staked", "value": sahara(100), "block_number": 9},
    )
    later = evaluate(STAKED_100, met.progress, StateReading("staked", 0), PLAYER)
    assert later.met


def test_no_reading_yet_and_other_checks_are_not_confused():
    outcome = feed(STAKED_100, [StateReading("sahara_balance", sahara(500))])
    assert outcome.reason == "waiting for a reading of your stake"


def test_fractional_balances_show_decimals():
    balance = objective({"type": "state", "check": "sahara_balance", "at_least": 100})
    outcome = feed(balance, [StateReading("sahara_balance", sahara(2.5))])
    assert outcome.reason == "found a balance of 2.5 SAHARA in your wallet; this quest needs 100"


def test_owns_token_reads_the_right_token():
    legend = objective({"type": "state", "check": "owns_token", "token_id": 1000})
    assert not feed(legend, [StateReading("owns_token", 1, token_id=101)]).met
    zero = feed(legend, [StateReading("owns_token", 0, token_id=1000)])
    assert zero.reason == "found 0 of token #1000 in your wallet; this quest needs 1"
    assert feed(legend, [StateReading("owns_token", 1, token_id=1000)]).met


def test_has_identity():
    has_id = objective({"type": "state", "check": "has_identity"})
    assert feed(has_id, [StateReading("has_identity", 0)]).reason == (
        "found no Sahara ID on your address; this quest needs one"
    )
    assert feed(has_id, [StateReading("has_identity", 1)]).met


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({"check": "vibes", "at_least": 1}, "objectives[0].check"),
        ({"check": "staked", "at_least": "a lot"}, "objectives[0].at_least"),
        ({"check": "owns_token"}, "objectives[0].token_id"),
        ({"check": "staked", "at_least": 1, "token_id": 3}, "objectives[0].token_id"),
    ],
)
def test_bad_state_fields_are_named(spec, field):
    with pytest.raises(DefinitionError) as caught:
        objective({"type": "state", **spec})
    assert caught.value.field == field


# --- answer ----------------------------------------------------------------------------

QUIZ = objective(
    {
        "type": "answer",
        "question": "Who signs an attested invocation?",
        "accept": ["the attester", "attester"],
    }
)


def test_answers_are_normalised_for_case_whitespace_and_punctuation():
    assert normalise("  The   ATTESTER. ") == "the attester"
    assert feed(QUIZ, [Answer("  The   ATTESTER!")]).met


def test_a_wrong_answer_does_not_reveal_the_right_one():
    outcome = feed(QUIZ, [Answer("the developer")])
    assert not outcome.met
    assert "attester" not in outcome.reason.lower()
    assert outcome.progress["attempts"] == 1
    assert "the developer" not in str(outcome.progress)  # answers are not stored


def test_right_after_wrong():
    outcome = feed(QUIZ, [Answer("caller"), Answer("attester")])
    assert outcome.met and outcome.progress["attempts"] == 2


def test_unanswered_quiz_waits():
    assert feed(QUIZ, []).reason == "waiting for your answer"


def test_a_quiz_needs_accepted_answers():
    with pytest.raises(DefinitionError) as caught:
        objective({"type": "answer", "question": "?", "accept": []})
    assert caught.value.field == "objectives[0].accept"


# --- all / any ---------------------------------------------------------------------------

LIST = {"type": "event", "contract": "AIMarketplace", "event": "Listed", "filters": {"seller": "$player"}}
VOTE = {"type": "event", "contract": "Governance", "event": "VoteCast", "filters": {"voter": "$player"}}


def listed(tx=1):
    return chain_event(
        "AIMarketplace", "Listed", tx=tx, listingId=1, seller=ALICE, kind=2, assetRef=1, price=sahara(3)
    )


def voted(tx=2):
    return chain_event(
        "Governance", "VoteCast", tx=tx, proposalId=1, voter=ALICE, support=1, weight=sahara(100)
    )


def test_all_needs_every_part():
    both = objective({"type": "all", "of": [LIST, VOTE]})
    half = feed(both, [listed()])
    assert not half.met
    assert half.reason == "found no vote of yours; this quest needs 1 — next: vote on an open council motion"
    done = feed(both, [listed(), voted()])
    assert done.met and [len(p["evidence"]) for p in done.progress["parts"]] == [1, 1]


def test_any_needs_one_part():
    either = objective({"type": "any", "of": [LIST, VOTE]})
    assert feed(either, [voted()]).met
    assert feed(either, []).reason.startswith("any one will do: ")


def test_composites_nest_and_name_nested_fields():
    nested = objective({"type": "all", "of": [LIST, {"type": "any", "of": [VOTE, STATE]}]})
    assert feed(nested, [listed(), StateReading("staked", sahara(100))]).met
    with pytest.raises(DefinitionError) as caught:
        objective({"type": "all", "of": [LIST, {"type": "any", "of": [{"type": "nope"}]}]})
    assert caught.value.field == "objectives[0].of[1].of[0].type"


STATE = {"type": "state", "check": "staked", "at_least": 100}


# --- checkin / referral -----------------------------------------------------------------


def checkin(day: int, streak: int = 1) -> CheckIn:
    return CheckIn(datetime(2026, 11, day, 8, tzinfo=UTC), streak)


def test_a_checkin_meets_a_daily_checkin():
    daily = objective({"type": "checkin"})
    assert feed(daily, []).reason == "check in to start"
    assert feed(daily, [checkin(22)]).met


def test_a_seven_day_streak_needs_the_seventh_day():
    seven = objective({"type": "checkin", "min_streak": 7})
    six = feed(seven, [checkin(16 + i, i + 1) for i in range(6)])
    assert six.reason == "your streak reached 6 days; this quest needs 7 in a row"
    assert feed(seven, [checkin(16 + i, i + 1) for i in range(7)]).met


def test_referrals_count_distinct_activated_invitees_and_never_yourself():
    two = objective({"type": "referral", "min_count": 2})
    outcome = feed(two, [ReferralActivated(BOB), ReferralActivated(BOB.lower()), ReferralActivated(ALICE)])
    assert not outcome.met
    assert outcome.reason == (
        "found 1 invited traveller who finished the activation quests; this quest needs 2"
    )
    assert feed(two, [ReferralActivated(BOB), ReferralActivated(CAROL)]).met
