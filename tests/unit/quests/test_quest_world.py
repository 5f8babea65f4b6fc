"""The desert's five regions and when they open."""

import pytest

from quests.world import REGIONS, missing_for_unlock, region, unlocked_regions


def test_five_regions_in_map_order_with_their_token_ids():
    assert [(r.number, r.key) for r in REGIONS] == [
        (1, "gate"),
        (2, "oasis"),
        (3, "forge"),
        (4, "bazaar"),
        (5, "citadel"),
    ]
    citadel = region("citadel")
    assert (citadel.name, citadel.shard_id, citadel.guardian_id) == ("The Citadel", 5, 105)
    assert region(2).name == "The Data Oasis" and all(r.teaches and r.guardian for r in REGIONS)


def test_only_the_gate_is_open_to_a_newcomer():
    assert [r.key for r in unlocked_regions(set())] == ["gate"]


def test_the_gates_activation_quests_open_the_oasis():
    assert [r.key for r in unlocked_regions({"gate.faucet"})] == ["gate"]
    assert missing_for_unlock("oasis", {"gate.faucet"}) == {"gate.sahara-id"}
    opened = unlocked_regions({"gate.faucet", "gate.sahara-id"})
    assert [r.key for r in opened] == ["gate", "oasis"]


def test_a_veteran_sees_every_region():
    veteran = set().union(*(r.unlock_after for r in REGIONS))
    assert len(unlocked_regions(veteran)) == 5


def test_unknown_region():
    with pytest.raises(KeyError):
        region("atlantis")
