"""chain.abi without a node: call encoding and decoding, event logs, revert data."""

from __future__ import annotations

import pytest
from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address

from chain import artifacts
from chain.abi import ContractAbi, ErrorDecoder
from chain.port import Log

ALICE = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788"
BOB = "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a"


def param(name: str, kind: str, indexed: bool = False, components=None) -> dict:
    out = {"name": name, "type": kind, "indexed": indexed}
    if components:
        out["components"] = components
    return out


ABI = [
    {"type": "function", "name": "transfer", "stateMutability": "nonpayable",
     "inputs": [param("to", "address"), param("amount", "uint256")], "outputs": [param("", "bool")]},
    {"type": "function", "name": "pair", "stateMutability": "view",
     "inputs": [], "outputs": [param("owner", "address"), param("ids", "uint256[]")]},
    {"type": "function", "name": "info", "stateMutability": "view", "inputs": [param("id", "uint256")],
     "outputs": [param("", "tuple", components=[
         param("owner", "address"), param("n", "uint64"), param("members", "address[]"),
         param("inner", "tuple[]", components=[param("who", "address"), param("w", "uint256")])])]},
    {"type": "function", "name": "f", "stateMutability": "nonpayable", "inputs": [param("a", "uint256")],
     "outputs": []},
    {"type": "function", "name": "f", "stateMutability": "nonpayable",
     "inputs": [param("a", "uint256"), param("b", "bytes")], "outputs": []},
    {"type": "event", "name": "Moved", "anonymous": False, "inputs": [
        param("from", "address", True), param("id", "uint256", True), param("tag", "string", True),
        param("amount", "uint256"), param("note", "string"), param("who", "address")]},
    {"type": "error", "name": "Cooldown",
     "inputs": [param("account", "address"), param("nextAt", "uint256")]},
    {"type": "error", "name": "Nope", "inputs": []},
    {"type": "constructor", "inputs": [param("admin", "address"), param("n", "uint256")]},
]


@pytest.fixture
def abi() -> ContractAbi:
    return ContractAbi("Demo", ABI)


def topic(kind: str, value) -> bytes:
    return encode([kind], [value])


# -- functions ---------------------------------------------------------------------------
def test_a_call_is_its_selector_then_its_abi_encoded_arguments(abi):
    data = abi.function("transfer").encode([ALICE, 5])
    assert data[:4] == keccak(text="transfer(address,uint256)")[:4]
    assert data[4:] == encode(["address", "uint256"], [ALICE, 5])


def test_outputs_decode_to_one_value_or_a_tuple_with_checksummed_addresses(abi):
    assert abi.function("transfer").decode(encode(["bool"], [True])) is True
    owner, ids = abi.function("pair").decode(encode(["address", "uint256[]"], [ALICE.lower(), [1, 2]]))
    assert owner == ALICE and list(ids) == [1, 2]


def test_addresses_inside_a_returned_struct_are_checksummed(abi):
    kind = "(address,uint64,address[],(address,uint256)[])"
    raw = encode([kind], [(ALICE.lower(), 7, [BOB.lower()], [(BOB.lower(), 3)])])
    assert abi.function("info").decode(raw) == (ALICE, 7, [BOB], [(BOB, 3)])


def test_an_overloaded_function_is_picked_by_arity(abi):
    assert abi.function("f", 1).inputs == ("uint256",)
    assert abi.function("f", 2).inputs == ("uint256", "bytes")
    assert abi.function("f", 2).selector == keccak(text="f(uint256,bytes)")[:4]


def test_wrong_arity_and_unknown_functions_are_errors(abi):
    with pytest.raises(TypeError, match="takes 2 arguments"):
        abi.function("transfer").encode([ALICE])
    with pytest.raises(AttributeError, match="no function 'nothing'"):
        abi.function("nothing")


def test_constructor_arguments_are_encoded_without_a_selector(abi):
    assert abi.encode_constructor([ALICE, 3]) == encode(["address", "uint256"], [ALICE, 3])
    assert abi.encode_constructor([]) == b""


def test_a_suite_call_round_trips_through_encode_and_decode():
    mint_batch = artifacts.load("LegendShards").abi.function("mintBatch")
    args = ([ALICE, BOB], [1, 101], [5, 1], b"\x07" * 32)
    data = mint_batch.encode(args)
    assert data[:4] == keccak(text="mintBatch(address[],uint256[],uint256[],bytes32)")[:4]
    to, ids, amounts, batch = decode(mint_batch.inputs, data[4:])
    assert ([to_checksum_address(a) for a in to], list(ids), list(amounts), batch) == (
        [ALICE, BOB], [1, 101], [5, 1], b"\x07" * 32)
    # ... and a view's answer decodes the same way the node would return it.
    contributors = artifacts.load("DataServices").abi.function("datasetContributors")
    answer = encode(list(contributors.outputs), [[ALICE.lower(), BOB.lower()], [2, 1]])
    assert contributors.decode(answer) == ([ALICE, BOB], (2, 1))


def test_selectors_are_unique_within_each_suite_contract():
    for name in artifacts.SUITE:
        contract = artifacts.load(name).abi
        selectors = [fn.selector for overloads in contract.functions.values() for fn in overloads]
        assert len(selectors) == len(set(selectors)), name


# -- events ------------------------------------------------------------------------------
def test_an_event_decodes_indexed_topics_and_the_data_section(abi):
    event = abi.events["Moved"]
    assert event.topic == keccak(text="Moved(address,uint256,string,uint256,string,address)")
    log = Log(
        address=ALICE,
        topics=(event.topic, topic("address", ALICE), topic("uint256", 42), keccak(text="gold")),
        data=encode(["uint256", "string", "address"], [10**18, "hello", BOB.lower()]),
        block_number=1, block_hash="0x", tx_hash="0x", log_index=0,
    )
    name, args = abi.decode_log(log)
    assert name == "Moved"
    assert args == {"from": ALICE, "id": 42, "tag": keccak(text="gold"), "amount": 10**18,
                    "note": "hello", "who": BOB}
    assert list(args) == ["from", "id", "tag", "amount", "note", "who"], "ABI order is kept"


def test_logs_of_unknown_events_or_without_topics_are_skipped(abi):
    base = {"address": ALICE, "data": b"", "block_number": 1, "block_hash": "0x", "tx_hash": "0x",
            "log_index": 0}
    assert abi.decode_log(Log(topics=(), **base)) is None
    assert abi.decode_log(Log(topics=(keccak(text="Other()"),), **base)) is None


def test_a_real_suite_event_decodes():
    token = artifacts.load("SaharaToken").abi
    event = token.events["FaucetClaimed"]
    log = Log(address=ALICE, topics=(event.topic, topic("address", BOB)),
              data=encode(["uint256", "uint256"], [100, 1234]), block_number=1, block_hash="0x",
              tx_hash="0x", log_index=0)
    assert token.decode_log(log) == ("FaucetClaimed", {"account": BOB, "amount": 100, "nextClaimAt": 1234})


# -- revert data -------------------------------------------------------------------------
def test_a_custom_error_is_named_with_decoded_arguments(abi):
    decoder = ErrorDecoder([abi])
    data = keccak(text="Cooldown(address,uint256)")[:4] + encode(["address", "uint256"], [ALICE.lower(), 99])
    exc = decoder.decode(data, tx_hash="0xabc")
    assert (exc.error, exc.args_by_name) == ("Cooldown", {"account": ALICE, "nextAt": 99})
    assert (exc.contract, exc.tx_hash, exc.raw) == ("Demo", "0xabc", data)
    assert str(exc) == f"Demo: Cooldown(account={ALICE}, nextAt=99)"


def test_a_custom_error_without_arguments(abi):
    exc = ErrorDecoder([abi]).decode(keccak(text="Nope()")[:4])
    assert (exc.error, exc.args_by_name) == ("Nope", {})


def test_a_malformed_custom_error_payload_still_names_the_error(abi):
    exc = ErrorDecoder([abi]).decode(keccak(text="Cooldown(address,uint256)")[:4] + b"\x01\x02")
    assert (exc.error, exc.args_by_name) == ("Cooldown", {})


def test_the_suite_decoder_knows_every_contracts_errors():
    decoder = artifacts.error_decoder()
    data = keccak(text="InsufficientShards(uint256,uint256,uint256)")[:4] + encode(
        ["uint256", "uint256", "uint256"], [1, 5, 3])
    exc = decoder.decode(data)
    assert (exc.error, exc.contract) == ("InsufficientShards", "LegendShards")
    assert exc.args_by_name == {"shardId": 1, "required": 5, "balance": 3}


def test_error_string_reverts_carry_the_reason():
    data = bytes.fromhex("08c379a0") + encode(["string"], ["not allowed"])
    exc = ErrorDecoder().decode(data)
    assert (exc.error, exc.args_by_name) == ("Error", {"reason": "not allowed"})


def test_panics_carry_their_code():
    exc = ErrorDecoder().decode(bytes.fromhex("4e487b71") + encode(["uint256"], [0x11]))
    assert (exc.error, exc.args_by_name) == ("Panic", {"code": 0x11})


def test_an_unknown_selector_is_reported_with_its_bytes(abi):
    exc = ErrorDecoder([abi]).decode(bytes.fromhex("deadbeef") + b"\x00" * 32)
    assert (exc.error, exc.args_by_name) == ("UnknownRevert", {"data": "0xdeadbeef"})
    assert exc.contract is None


def test_empty_revert_data_is_an_unknown_revert():
    exc = ErrorDecoder().decode(b"")
    assert (exc.error, exc.args_by_name) == ("UnknownRevert", {"data": "empty revert"})
    assert exc.raw == b""
