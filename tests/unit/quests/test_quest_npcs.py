"""The NPCs' rules are plain functions: the Oracle's answers, the caravan's reviewer and
master, the Bazaar merchant's carpets and the council elder's policy."""

from __future__ import annotations

import pytest

from quests.npcs.bazaar import ORACLE_STALL_URI, STAR_MAP_URI, AssetKind, is_stall, missing_carpets
from quests.npcs.caravan import (
    Refused,
    Reviewer,
    after_refusal,
    needs_new_caravan,
    spent_caravans,
    verdict,
)
from quests.npcs.cast import TOKEN, Caravan, Cast, Census, Stock, cast_on
from quests.npcs.council import MOTIONS, CouncilPolicy, ProposalState, Settle
from quests.npcs.oracle import ask


def test_the_oracle_answers_the_same_question_the_same_way():
    assert ask("Where is the water?") == ask("Where  is the water?")
    assert ask("Where is the water?") != ask("Where is the gold?")
    assert "'water'" in ask("Where is the water?") or "'where'" in ask("Where is the water?")
    assert "'silence'" in ask("?!")


# -- the caravan --------------------------------------------------------------------------------
def test_the_reviewer_rejects_empty_and_copied_labels_only():
    seen = {b"\x01" * 32}
    assert verdict(b"\x02" * 32, seen) is None
    assert verdict(b"\x00" * 32, seen) == "an empty label"
    assert verdict(b"\x01" * 32, seen).startswith("a copy")


def test_the_first_of_two_equal_labels_is_the_honest_one_even_across_caravans():
    reviewer = Reviewer()
    first = reviewer.judge(1, task_id=7, labeler="0xA", content_hash=b"\x05" * 32)
    copy = reviewer.judge(2, task_id=8, labeler="0xB", content_hash=b"\x05" * 32)
    assert first.junk is None and first.told() == "label 1 accepted"
    assert copy.told() == "label 2 rejected: a copy of a label already brought to the caravan"


def test_a_refused_review_is_retried_only_while_its_caravan_can_get_a_new_purse():
    assert after_refusal("BudgetExhausted", task_id=3, current_task=3) is Refused.RETRY
    assert after_refusal("BudgetExhausted", task_id=2, current_task=3) is Refused.UNPAID
    for settled in ("AlreadyReviewed", "CannotReviewOwnLabel", "LabelNotFound"):
        assert after_refusal(settled, task_id=3, current_task=3) is Refused.SETTLED
    assert after_refusal("AccessControlUnauthorizedAccount", 3, 3) is None, "unexpected: raised"


def caravan(task_id: int, remaining: int, *, open_: bool = True, reward: int = 5 * TOKEN) -> Caravan:
    return Caravan(task_id, open_, reward, remaining, block=task_id * 10)


def test_a_new_caravan_arrives_when_none_is_open_or_its_purse_runs_low():
    stock = Stock()
    assert needs_new_caravan(None, stock)
    assert needs_new_caravan(caravan(1, 99 * TOKEN), stock)
    assert not needs_new_caravan(caravan(1, 100 * TOKEN), stock)


def test_older_caravans_that_cannot_pay_a_label_move_on():
    current = caravan(3, 5_000 * TOKEN)
    caravans = [caravan(1, 4 * TOKEN), caravan(2, 5 * TOKEN), caravan(4, 0, open_=False), current]
    assert spent_caravans(caravans, current) == [1]
    assert spent_caravans([caravan(9, 0)], caravan(9, 0)) == [], "the current one stays"


def test_the_census_points_players_at_the_newest_open_caravan():
    assert Census().caravan is None
    found = Census([caravan(1, TOKEN), caravan(2, TOKEN), caravan(3, 0, open_=False)])
    assert found.caravan.task_id == 2


# -- the Bazaar ---------------------------------------------------------------------------------
def test_the_merchant_unrolls_only_the_carpets_missing_from_the_bazaar():
    stock = Stock()
    assert [c.uri for c in missing_carpets(Census(), stock, oracle_agent=4)] == [STAR_MAP_URI,
                                                                                 ORACLE_STALL_URI]
    (oracle,) = missing_carpets(Census(listings={STAR_MAP_URI: 1}), stock, oracle_agent=4)
    assert (oracle.kind, oracle.asset_ref, oracle.price) == (AssetKind.AGENT, 4, stock.oracle_price)
    assert missing_carpets(Census(listings={STAR_MAP_URI: 1, ORACLE_STALL_URI: 2}), stock, 4) == []
    assert is_stall(STAR_MAP_URI) and not is_stall("ipfs://a-players-own-model")


# -- the council --------------------------------------------------------------------------------
def test_the_elder_tables_the_motions_in_turn_when_no_proposal_is_open():
    policy = CouncilPolicy()
    assert policy.wants_motion(None) and not policy.wants_motion(7)
    assert policy.motion(1) == f"{MOTIONS[0]} (motion 1)"
    assert policy.motion(len(MOTIONS) + 2) == f"{MOTIONS[1]} (motion {len(MOTIONS) + 2})"
    assert CouncilPolicy(motions=("Water the palms",)).motion(3) == "Water the palms (motion 3)"


def test_the_elder_stakes_only_what_it_lacks_for_a_voice():
    policy = CouncilPolicy()
    assert policy.stake_needed(threshold=100, staked=40) == 60
    assert policy.stake_needed(threshold=100, staked=100) == 0
    assert policy.stake_needed(threshold=100, staked=500) == 0


@pytest.mark.parametrize("state, step", [
    (ProposalState.ACTIVE, Settle.WAIT),
    (ProposalState.SUCCEEDED, Settle.QUEUE),
    (ProposalState.QUEUED, Settle.EXECUTE),
    (ProposalState.DEFEATED, Settle.FORGET),
    (ProposalState.EXECUTED, Settle.FORGET),
])
def test_a_passed_motion_is_queued_then_executed_and_a_settled_one_forgotten(state, step):
    assert CouncilPolicy().settle(state) is step


def test_the_elder_waits_out_the_timelock_and_lets_a_failed_motion_rest():
    policy = CouncilPolicy()
    assert policy.after_refusal("TimelockNotElapsed") is Settle.WAIT
    assert policy.after_refusal("ExecutionFailed") is Settle.FORGET
    assert policy.after_refusal("ProposalNotFound") is None, "unexpected: raised"
    assert policy.told(4, Settle.QUEUE) == "proposal 4 passed and was queued"
    assert policy.told(4, Settle.EXECUTE) == "proposal 4 was executed"
    assert policy.told(4, Settle.WAIT) is None


def test_the_merchant_is_a_key_of_its_own_only_on_the_devnet():
    assert cast_on("devnet", "0xAdmin", lambda: "0xMerchant") == Cast("0xAdmin", "0xMerchant")

    def no_key() -> str:
        raise AssertionError("no merchant key is needed off the devnet")

    assert cast_on("sepolia", "0xAdmin", no_key) == Cast("0xAdmin", "0xAdmin", patrons=("0xAdmin",))
