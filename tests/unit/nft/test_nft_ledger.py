"""Reward grants and their idempotency keys."""

import pytest

from nft.ledger import (
    WEI_PER_SAHARA,
    Grant,
    GrantKind,
    RewardError,
    grants_for_completion,
    grants_for_rewards,
)

ALICE = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
BOB = "0x" + "b" * 40


def test_a_grant_key_is_a_stable_readable_string():
    grant = Grant(ALICE, "oasis-first-label", "2025-03-14", GrantKind.SHARDS, 2, token_id=2)
    assert grant.key == (
        "grant:v1|0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed|oasis-first-label|2025-03-14"
        "|shards|2"
    )


def test_the_key_ignores_the_amount_and_the_address_case():
    one = Grant(ALICE, "q", "once", GrantKind.SAHARA, 1)
    other = Grant(ALICE.lower(), "q", "once", "sahara", 5)
    assert one.key == other.key


def test_keys_are_distinct_per_period_player_source_kind_and_shard():
    base = dict(player=ALICE, source="daily-checkin", period="2025-03-14", amount=1)
    keys = {
        Grant(**base, kind=GrantKind.XP).key,
        Grant(**{**base, "period": "2025-03-15"}, kind=GrantKind.XP).key,
        Grant(**{**base, "player": BOB}, kind=GrantKind.XP).key,
        Grant(**{**base, "source": "bonus:weekly-top"}, kind=GrantKind.XP).key,
        Grant(**base, kind=GrantKind.SAHARA).key,
        Grant(**base, kind=GrantKind.SHARDS, token_id=1).key,
        Grant(**base, kind=GrantKind.SHARDS, token_id=2).key,
    }
    assert len(keys) == 7


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        (dict(player="0x123"), "player"),
        (dict(source="a|b"), "source"),
        (dict(source=""), "source"),
        (dict(period="2025 03 14"), "period"),
        (dict(amount=0), "amount"),
        (dict(amount=True), "amount"),
        (dict(token_id=101), "token_id"),
        (dict(token_id=None), "token_id"),
        (dict(token_id=True), "token_id"),
        (dict(kind=GrantKind.XP, token_id=1), "token_id"),
    ],
)
def test_bad_grants_are_refused_naming_the_field(fields, problem):
    values = dict(player=ALICE, source="q", period="once", kind=GrantKind.SHARDS, amount=1,
                  token_id=1)
    values.update(fields)
    with pytest.raises(RewardError, match=f"^{problem}:"):
        Grant(**values)


def test_a_completion_turns_rewards_into_grants_in_a_fixed_order():
    grants = grants_for_completion(
        ALICE, "bazaar-first-sale", "once",
        {"xp": 50, "sahara": 3, "shards": {"citadel": 1, "bazaar": 2}},
    )
    assert [(g.kind, g.token_id, g.amount) for g in grants] == [
        (GrantKind.SHARDS, 4, 2),
        (GrantKind.SHARDS, 5, 1),
        (GrantKind.SAHARA, None, 3 * WEI_PER_SAHARA),
        (GrantKind.XP, None, 50),
    ]
    assert {g.source for g in grants} == {"bazaar-first-sale"}
    assert {g.player for g in grants} == {ALICE.lower()}
    assert [g.on_chain for g in grants] == [True, True, True, False]


def test_sahara_rewards_are_whole_tokens_minted_in_wei():
    (grant,) = grants_for_completion(ALICE, "q", "once", {"sahara": 100})
    assert grant.amount == 100 * 10**18


def test_completing_the_same_quest_in_the_same_period_gives_the_same_keys():
    rewards = {"shards": {"gate": 1}, "xp": 10}
    first = grants_for_completion(ALICE, "gate-id", "2025-W11", rewards)
    again = grants_for_completion(ALICE, "gate-id", "2025-W11", rewards)
    next_week = grants_for_completion(ALICE, "gate-id", "2025-W12", rewards)
    assert [g.key for g in first] == [g.key for g in again]
    assert not {g.key for g in first} & {g.key for g in next_week}


def test_zero_rewards_grant_nothing():
    assert grants_for_completion(ALICE, "q", "once", {"shards": {"gate": 0}, "xp": 0}) == []
    assert grants_for_completion(ALICE, "q", "once", {}) == []


@pytest.mark.parametrize(
    ("rewards", "field"),
    [
        ({"gems": 1}, "rewards.gems"),
        ({"shards": ["gate"]}, "rewards.shards"),
        ({"shards": {"moon": 1}}, "rewards.shards.moon"),
        ({"shards": {"gate": -1}}, "rewards.shards.gate"),
        ({"shards": {"gate": 1, 1: 2}}, "rewards.shards.1"),
        ({"sahara": 0.5}, "rewards.sahara"),
        ({"xp": "10"}, "rewards.xp"),
    ],
)
def test_bad_rewards_are_refused_naming_the_field(rewards, field):
    with pytest.raises(RewardError, match=f"^{field}:"):
        grants_for_completion(ALICE, "q", "once", rewards)


def test_a_quest_id_cannot_pose_as_a_namespaced_source():
    with pytest.raises(RewardError, match="^quest_id:"):
        grants_for_completion(ALICE, "bonus:weekly-top", "once", {"xp": 1})
    (bonus,) = grants_for_rewards(ALICE, "bonus:weekly-top", "2025-W11", {"sahara": 10})
    assert bonus.source == "bonus:weekly-top"
