"""``CHECKS`` is the one registry of state checks: each names what it reads from the world,
so the app answers through the ``PlayerState`` port and knows no check by name."""

from __future__ import annotations

import inspect

import pytest
from quest_fakes import ALICE, sahara

from quests.objectives.state import CHECKS, PlayerState, read_check
from quests.world import LEGEND_ID


class FakeWorld:
    """A ``PlayerState`` with one player's numbers."""

    def __init__(self, **values: int) -> None:
        self.values = values
        self.asked: list[tuple[str, ...]] = []

    def _get(self, name: str, *extra: object) -> int:
        self.asked.append((name, *map(str, extra)))
        return self.values.get(name, 0)

    def sahara_balance(self, address: str) -> int:
        return self._get("sahara_balance")

    def stake(self, address: str) -> int:
        return self._get("stake")

    def voting_power(self, address: str) -> int:
        return self._get("voting_power")

    def pending_revenue(self, address: str) -> int:
        return self._get("pending_revenue")

    def accepted_labels(self, address: str) -> int:
        return self._get("accepted_labels")

    def has_identity(self, address: str) -> bool:
        return bool(self._get("has_identity"))

    def shard_balance(self, address: str, token_id: int) -> int:
        return self._get("shard_balance", token_id)

    def legend_balance(self, address: str) -> int:
        return self._get("legend_balance")

    def listings_made(self, address: str) -> int:
        return self._get("listings_made")


def test_the_fake_world_answers_every_question_of_the_port():
    wanted = {name for name, _ in inspect.getmembers(PlayerState, inspect.isfunction)
              if not name.startswith("_")}
    assert wanted <= set(dir(FakeWorld))


@pytest.mark.parametrize("check, asks, value", [
    ("sahara_balance", "sahara_balance", sahara(40)),
    ("staked", "stake", sahara(100)),
    ("voting_power", "voting_power", sahara(7)),
    ("pending_revenue", "pending_revenue", sahara(1)),
    ("accepted_labels", "accepted_labels", 3),
    ("has_identity", "has_identity", 1),
])
def test_each_check_reads_its_own_number(check, asks, value):
    world = FakeWorld(**{asks: value})
    assert read_check(world, check, None, ALICE) == value
    assert world.asked == [(asks,)]


def test_owning_a_shard_or_guardian_reads_the_shards_and_the_legend_reads_the_relic():
    world = FakeWorld(shard_balance=2, legend_balance=1)
    assert read_check(world, "owns_token", 103, ALICE) == 2
    assert read_check(world, "owns_token", LEGEND_ID, ALICE) == 1
    assert world.asked == [("shard_balance", "103"), ("legend_balance",)]


def test_an_identity_reads_as_a_flag():
    assert read_check(FakeWorld(has_identity=0), "has_identity", None, ALICE) == 0


def test_a_check_nobody_knows_is_refused():
    with pytest.raises(ValueError, match="no state check 'vibes'"):
        read_check(FakeWorld(), "vibes", None, ALICE)
    with pytest.raises(ValueError, match="token id"):
        read_check(FakeWorld(), "owns_token", None, ALICE)


def test_every_check_in_the_registry_can_be_read():
    for name, check in CHECKS.items():
        token = 1 if name == "owns_token" else None
        assert isinstance(check.read(FakeWorld(), ALICE, token), int), name
