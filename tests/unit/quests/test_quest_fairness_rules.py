"""Pure rules of fair play: the riddle's growing cooldown, the plain words of "why not yet",
and the explanation of a transaction (no Flask, database or EVM)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quests.definitions import parse_quest
from quests.evidence import Answer, ChainEvent, Player
from quests.objectives import evaluate
from quests.objectives.answer import cooldown, retry_at
from quests.receipts import Judged, TxFacts, advice, explain_tx
from quests.words import deed

ME = Player("0x" + "aa" * 20)
NOON = datetime(2026, 12, 1, 12, tzinfo=UTC)
RIDDLE = parse_quest({"id": "gate.riddle", "region": "gate", "title": "The Riddle", "story": "s",
                      "rewards": {"xp": 1},
                      "objectives": [{"type": "answer", "question": "q?", "accept": ["yes"]}]})
FAUCET = parse_quest({"id": "gate.faucet", "region": "gate", "title": "Water at the Gate", "story": "s",
                      "rewards": {"xp": 1},
                      "objectives": [{"type": "event", "contract": "SaharaToken", "event": "FaucetClaimed",
                                      "filters": {"account": "$player"}}]})


def test_the_riddle_cooldown_doubles_from_thirty_seconds_up_to_an_hour():
    assert [cooldown(n).total_seconds() for n in range(0, 5)] == [0, 30, 60, 120, 240]
    assert cooldown(40) == timedelta(hours=1)


def test_a_wrong_answer_records_when_the_riddle_listens_again_and_a_right_one_clears_it():
    objective = RIDDLE.objectives[0]
    wrong = evaluate(objective, {}, Answer("no", NOON), ME)
    assert (wrong.progress["attempts"], wrong.progress["wrong"]) == (1, 1)
    assert retry_at(wrong.progress) == NOON + timedelta(seconds=30)
    assert "try once more in 30 s" in wrong.reason
    right = evaluate(objective, wrong.progress, Answer("yes", NOON + timedelta(seconds=30)), ME)
    assert right.met and right.progress["evidence"][0]["attempt"] == 2 and retry_at(right.progress) is None


def test_why_not_yet_speaks_of_your_faucet_claim_and_the_next_step():
    outcome = evaluate(FAUCET.objectives[0], {}, None, ME)
    assert outcome.reason == ("found no faucet claim of yours; this quest needs 1 — "
                              "next: claim SAHARA from the faucet at the Gate")
    assert deed("Nowhere", "Thing").noun == "Thing in Nowhere"


def test_no_voting_power_advises_the_motion_to_vote_on():
    what, step = advice("NoVotingPower", {"voter": ME.address},
                        {"snapshot": 41, "motion": 7, "opens_in": 40}, NOON)
    assert what == ("your stake came after this proposal's snapshot (block #41), "
                    "so it gives you no voice on it")
    assert step == "vote on motion #7, which opens in 40 s"


def test_an_unknown_error_is_still_named_with_its_arguments():
    what, _ = advice("Weird", {"n": 3}, {}, NOON)
    assert what == "it reverted with Weird(n=3)"


def claimed(block: int) -> ChainEvent:
    return ChainEvent("SaharaToken", "FaucetClaimed", {"account": ME.address, "amount": 1, "nextClaimAt": 0},
                      block, "0x" + "01" * 32, 0, int(NOON.timestamp()))


def test_a_mined_log_is_explained_as_counted_too_early_or_not_yet_seen():
    facts = TxFacts("0x" + "01" * 32, ME.address, mined=True, block_number=10, events=(claimed(10),))
    common = {"is_open": True, "locked_reason": None, "now": NOON}
    counted = explain_tx(FAUCET, facts, ME, opening_block=0, judged={claimed(10).key: Judged("counted")},
                         indexed_to=10, **common)
    assert counted["outcome"] == "counted"
    early = explain_tx(FAUCET, facts, ME, opening_block=12, judged={}, indexed_to=20, **common)
    assert early["events"][0]["verdict"] == "too_early" and "block #12" in early["explanation"]
    unseen = explain_tx(FAUCET, facts, ME, opening_block=0, judged={}, indexed_to=9, **common)
    assert unseen["events"][0]["verdict"] == "not_yet_seen"


def test_a_transfer_to_yourself_is_anti_wash():
    args = {"from": ME.address, "to": "0x" + ME.address[2:].upper(), "value": 5 * 10**18}
    to_me = ChainEvent("SaharaToken", "Transfer", args, 3, "0x" + "02" * 32, 0, 0)
    facts = TxFacts(to_me.tx_hash, ME.address, mined=True, block_number=3, events=(to_me,))
    body = explain_tx(FAUCET, facts, ME, is_open=True, locked_reason=None, opening_block=0, judged={},
                      indexed_to=3, now=NOON)
    assert body["outcome"] == "not_counted" and "5 SAHARA to yourself" in body["explanation"]
