"""Solidity's enumerations and structs reach Python by name, from the artifacts alone."""

from __future__ import annotations

from enum import IntEnum

import pytest
from eth_abi import encode

from chain import artifacts, enums
from chain.abi import ContractAbi

ALICE = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788"


# -- enums -------------------------------------------------------------------------------
def test_enum_values_come_from_the_contracts():
    assert enums.Governance.State.ACTIVE == 0 and enums.Governance.State.EXECUTED == 4
    assert enums.Governance.Vote.FOR == 1
    assert enums.DataServices.Status.PENDING == 0 and enums.DataServices.Status.REJECTED == 2
    assert [k.name for k in enums.AIMarketplace.Kind] == ["DATASET", "MODEL", "AGENT"]
    assert enums.AIMarketplace.Role.VALIDATOR == 2


def test_enum_members_are_int_enums_so_chain_numbers_compare_and_convert():
    state = enums.Governance.State
    assert issubclass(state, IntEnum)
    assert state(3) is state.QUEUED and 3 == state.QUEUED


def test_every_public_uint8_constant_family_in_the_abi_is_an_enum():
    """The ABI lists the public constants' getters (not their values): each one of a family
    (``STATE_ACTIVE``, ``STATE_QUEUED``...) must have been extracted by compile.mjs."""
    for name in artifacts.SUITE:
        getters = [item["name"] for item in artifacts.load(name).raw_abi
                   if item["type"] == "function" and not item["inputs"]
                   and [o["type"] for o in item["outputs"]] == ["uint8"] and "_" in item["name"]
                   and item["name"].isupper()]
        for getter in getters:
            prefix, member = getter.split("_", 1)
            family = getattr(enums.of(name), prefix.capitalize())
            assert member in family.__members__, f"{name}.{getter}"


def test_unknown_contracts_and_enums_are_attribute_errors():
    with pytest.raises(AttributeError, match="has no enum 'Colour'"):
        _ = enums.Governance.Colour
    with pytest.raises(AttributeError, match="not a contract of the suite"):
        _ = enums.Nowhere


# -- structs -----------------------------------------------------------------------------
def test_a_returned_struct_is_a_named_tuple_with_the_abi_names():
    proposals = artifacts.load("Governance").abi.function("proposals")
    fields = ["proposer", "snapshotBlock", "queued", "executed", "voteEnd", "eta", "target",
              "forVotes", "againstVotes", "abstainVotes", "callData"]
    values = (ALICE.lower(), 7, False, False, 99, 0, ALICE.lower(), 5, 1, 0, b"\x01")
    record = proposals.decode(encode(list(proposals.outputs), [values]))
    assert type(record).__name__ == "Proposal" and list(record._fields) == fields
    assert record.proposer == ALICE and record.voteEnd == 99 and record.callData == b"\x01"
    assert record[0] == ALICE and record == (ALICE, 7, False, False, 99, 0, ALICE, 5, 1, 0, b"\x01")


def test_a_view_returning_several_named_values_is_a_named_tuple():
    tasks = artifacts.load("DataServices").abi.function("tasks")
    task = tasks.decode(encode(list(tasks.outputs), [ALICE.lower(), True, 2, 10, 3, 1]))
    assert (task.poster, task.open, task.rewardPerLabel, task.remainingBudget) == (ALICE, True, 2, 10)
    poster, is_open, *_ = task  # positional callers keep working
    assert (poster, is_open, task[3]) == (ALICE, True, 10)


def test_the_same_struct_is_one_type_and_nested_structs_are_named_too():
    inner = [{"name": "who", "type": "address", "internalType": "address"},
             {"name": "weight", "type": "uint256", "internalType": "uint256"}]
    outer = {"name": "", "type": "tuple", "internalType": "struct Demo.Council", "components": [
        {"name": "size", "type": "uint8"},
        {"name": "members", "type": "tuple[]", "internalType": "struct Demo.Seat[]", "components": inner}]}
    abi = ContractAbi("Demo", [
        {"type": "function", "name": "council", "stateMutability": "view", "inputs": [], "outputs": [outer]},
        {"type": "function", "name": "seat", "stateMutability": "view", "inputs": [],
         "outputs": [{"name": "", "type": "tuple", "internalType": "struct Demo.Seat", "components": inner}]},
    ])
    council = abi.function("council").decode(encode(["(uint8,(address,uint256)[])"], [(2, [(ALICE, 3)])]))
    assert type(council).__name__ == "Council" and council.members[0].who == ALICE
    seat = abi.function("seat").decode(encode(["(address,uint256)"], [(ALICE, 4)]))
    assert type(seat) is type(council.members[0]) and seat.weight == 4


def test_unnamed_outputs_stay_plain_tuples():
    abi = ContractAbi("Demo", [{"type": "function", "name": "pair", "stateMutability": "view", "inputs": [],
                                "outputs": [{"name": "", "type": "uint256"}, {"name": "", "type": "bool"}]}])
    value = abi.function("pair").decode(encode(["uint256", "bool"], [1, True]))
    assert value == (1, True) and not hasattr(value, "_fields")


# -- the deployed suite ------------------------------------------------------------------
def test_an_incomplete_manifest_names_what_is_missing():
    from chain.deploy import Manifest, ManifestEntry
    from chain.errors import ChainError, SuiteNotDeployed

    partial = Manifest(31337, {"SaharaToken": ManifestEntry("SaharaToken", ALICE, "0x00", 1)})
    with pytest.raises(SuiteNotDeployed) as caught:
        partial.require_complete()
    assert isinstance(caught.value, ChainError), "callers catching ChainError keep working"
    assert caught.value.chain_id == 31337 and "SaharaID" in caught.value.missing
    assert "SaharaToken" not in caught.value.missing and "legends deploy" in str(caught.value)
    whole = Manifest(1, {n: ManifestEntry(n, ALICE, "0x00", 1) for n in artifacts.SUITE})
    assert whole.require_complete() is whole and whole.complete
