"""LegendRelic: the soulbound Legend, forged once per player from one Guardian of each region."""

from __future__ import annotations

import pytest

from chain.errors import ContractRevert

TOKEN = 10**18
ZERO = "0x" + "00" * 20
LEGEND = 1000
GUARDIANS = [101, 102, 103, 104, 105]


def give(suite, signers, player, ids, batch: bytes):
    """Mint one of each of ``ids`` to ``player`` (the minter may mint Guardians directly)."""
    ones = [1] * len(ids)
    suite.shards.transact(signers.minter.address, "mintBatch", [player] * len(ids), ids, ones, batch)


def test_a_player_crafts_every_guardian_and_forges_the_legend(suite, signers, players):
    player = players[0]
    regions = [1, 2, 3, 4, 5]
    suite.shards.transact(signers.minter.address, "mintBatch", [player] * 5, regions, [5] * 5, b"\x01" * 32)
    for guardian in GUARDIANS:
        suite.shards.transact(player, "craft", guardian)
    assert suite.shards.balances(player, GUARDIANS) == dict.fromkeys(GUARDIANS, 1)

    receipt = suite.relic.transact(player, "forge")
    assert suite.relic.events(receipt) == [
        ("LegendForged", {"player": player, "legendId": LEGEND}),
        ("TransferSingle", {"operator": player, "from": ZERO, "to": player, "id": LEGEND, "value": 1}),
    ]
    assert suite.shards.events(receipt) == [("TransferBatch", {
        "operator": suite.relic.address, "from": player, "to": ZERO, "ids": tuple(GUARDIANS),
        "values": (1,) * 5})]
    assert suite.relic.balance_of(player) == 1
    assert suite.shards.balances(player, GUARDIANS + regions) == dict.fromkeys(GUARDIANS + regions, 0)
    assert suite.relic.call("hasForged", player) is True
    assert suite.relic.call("totalForged") == 1


def test_forging_with_a_missing_guardian_is_refused_and_burns_nothing(suite, signers, players):
    player = players[0]
    give(suite, signers, player, GUARDIANS[:-1], b"\x01" * 32)
    with pytest.raises(ContractRevert) as exc:
        suite.relic.transact(player, "forge")
    assert exc.value.error == "MissingGuardian"
    assert exc.value.contract == "LegendRelic"
    assert exc.value.args_by_name == {"guardianId": 105}
    assert suite.shards.balances(player, GUARDIANS[:-1]) == dict.fromkeys(GUARDIANS[:-1], 1)
    assert suite.relic.balance_of(player) == 0


def test_forging_with_no_guardian_names_the_first_one(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.relic.transact(players[0], "forge")
    assert exc.value.error == "MissingGuardian"
    assert exc.value.args_by_name == {"guardianId": 101}


def test_forging_twice_is_refused_even_with_a_new_set_of_guardians(suite, signers, players):
    player = players[0]
    give(suite, signers, player, GUARDIANS, b"\x01" * 32)
    suite.relic.transact(player, "forge")
    give(suite, signers, player, GUARDIANS, b"\x02" * 32)
    with pytest.raises(ContractRevert) as exc:
        suite.relic.transact(player, "forge")
    assert exc.value.error == "AlreadyForged"
    assert exc.value.args_by_name == {"account": player}
    assert suite.relic.balance_of(player) == 1
    assert suite.shards.balances(player, GUARDIANS) == dict.fromkeys(GUARDIANS, 1)


def test_forging_fails_when_the_relic_lost_its_forge_role(suite, signers, players):
    player = players[0]
    give(suite, signers, player, GUARDIANS, b"\x01" * 32)
    forge_role = suite.shards.call("FORGE_ROLE")
    suite.shards.transact(signers.deployer.address, "revokeRole", forge_role, suite.relic.address)
    with pytest.raises(ContractRevert) as exc:
        suite.relic.transact(player, "forge")
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.args_by_name == {"account": suite.relic.address, "neededRole": forge_role}
    assert suite.relic.call("hasForged", player) is False


@pytest.mark.parametrize("fn", ["safeTransferFrom", "safeBatchTransferFrom"])
def test_the_legend_cannot_be_transferred(suite, signers, players, fn):
    owner, other = players[0], players[1]
    give(suite, signers, owner, GUARDIANS, b"\x01" * 32)
    suite.relic.transact(owner, "forge")
    args = (LEGEND, 1) if fn == "safeTransferFrom" else ([LEGEND], [1])
    with pytest.raises(ContractRevert) as exc:
        suite.relic.transact(owner, fn, owner, other, *args, b"")
    assert exc.value.error == "Soulbound"
    assert exc.value.contract == "LegendRelic"
    assert suite.relic.balance_of(owner) == 1 and suite.relic.balance_of(other) == 0


def test_the_relic_knows_its_guardians_and_legend_id(suite):
    assert suite.relic.call("guardianIds") == tuple(GUARDIANS)
    assert suite.relic.call("LEGEND_ID") == LEGEND
    assert suite.relic.call("uri", LEGEND) == "http://127.0.0.1:5000/metadata/{id}.json"


def test_the_admin_sets_the_metadata_uri(suite, signers):
    receipt = suite.relic.transact(signers.deployer.address, "setURI", "https://x.test/{id}.json")
    assert suite.relic.events(receipt) == [("BaseURISet", {"uri": "https://x.test/{id}.json"})]
    assert suite.relic.call("uri", LEGEND) == "https://x.test/{id}.json"


def test_a_player_cannot_set_the_metadata_uri(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.relic.transact(players[0], "setURI", "https://evil.test/{id}")
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.args_by_name == {"account": players[0], "neededRole": b"\x00" * 32}
