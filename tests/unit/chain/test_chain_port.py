"""Chain users talk to a node through the port only: the tx manager, bindings and minter on a
FakeChain, and a guard that no module but chain/rpc.py names a JSON-RPC method."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from chain_fake import FakeChain
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from chain import artifacts
from chain.bindings import DataServices, SaharaToken
from chain.errors import ContractRevert, RpcError
from chain.minter import ChainMinter
from chain.port import ChainPort
from chain.rpc import JsonRpcChain
from chain.txmanager import TxManager

ROOT = Path(__file__).resolve().parents[3]
KEY = "0x" + "11" * 32
TOKEN_AT = to_checksum_address("0x" + "aa" * 20)
DATA_AT = to_checksum_address("0x" + "bb" * 20)


@pytest.fixture
def fake() -> FakeChain:
    return FakeChain()


@pytest.fixture
def tx(fake) -> TxManager:
    return TxManager(fake, artifacts.error_decoder())


def cooldown(account: str, at: int) -> bytes:
    return function_signature_to_4byte_selector("FaucetCooldown(address,uint256)") + encode(
        ["address", "uint256"], [account, at])


# -- the port ----------------------------------------------------------------------------
@pytest.mark.parametrize("implementation", [JsonRpcChain, FakeChain])
def test_the_real_chain_and_the_fake_both_implement_the_whole_port(implementation):
    wanted = {n for n, v in vars(ChainPort).items() if callable(v) and not n.startswith("_")}
    for name in wanted:
        port_params = list(inspect.signature(getattr(ChainPort, name)).parameters)
        assert list(inspect.signature(getattr(implementation, name)).parameters) == port_params, name
    assert isinstance(FakeChain(), ChainPort) and isinstance(JsonRpcChain("http://127.0.0.1:1"), ChainPort)


def test_the_port_stays_small():
    methods = [n for n, v in vars(ChainPort).items() if callable(v) and not n.startswith("_")]
    assert len(methods) <= 15, methods


def _rpc_method_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "request" and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str) and "_" in node.args[0].value):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.args[0].value}")
    return found


def test_only_the_json_rpc_client_names_rpc_methods():
    allowed = {ROOT / "chain/rpc.py", ROOT / "chain/devnet.py",  # devnet: anvil's own test methods
               ROOT / "chain/heads.py"}  # the new-heads subscription on its own websocket
    files = [ROOT / "wsgi.py", *(p for d in ("legends", "quests", "nft", "chain", "bench")
                                 for p in sorted((ROOT / d).rglob("*.py")))]
    raw = [hit for path in files if path not in allowed for hit in _rpc_method_calls(path)]
    assert not raw, f"talk to the node through chain.port.ChainPort: {raw}"


# -- the tx manager ----------------------------------------------------------------------
def test_nonces_start_at_the_nodes_count_and_follow_in_order(fake, tx):
    sender = tx.add_signer(KEY)
    fake.nonces[sender] = 5
    for _ in range(3):
        tx.transact(sender, TOKEN_AT, b"")
    assert [t["nonce"] for t in fake.sent] == [5, 6, 7]
    assert fake.sent[0]["maxPriorityFeePerGas"] == fake.price and fake.sent[0]["chainId"] == 31337


def test_a_nonce_taken_elsewhere_is_resynced_from_the_node_and_sent_once_more(fake, tx):
    sender = tx.add_signer(KEY)
    tx.transact(sender, TOKEN_AT, b"")
    fake.nonces[sender] += 1  # another process used nonce 1
    tx.transact(sender, TOKEN_AT, b"")
    assert [t["nonce"] for t in fake.sent] == [0, 2]


def test_an_estimate_that_reverts_raises_the_decoded_error(fake, tx):
    sender = tx.add_signer(KEY)
    fake.estimate_reverts = cooldown(sender, 99)
    with pytest.raises(ContractRevert) as caught:
        tx.send(sender, TOKEN_AT, b"\x01")
    assert (caught.value.error, caught.value.args_by_name) == (
        "FaucetCooldown", {"account": sender, "nextClaimAt": 99})
    assert not fake.sent


def test_a_tx_that_burnt_its_whole_gas_limit_ran_out_of_gas(fake, tx):
    sender = tx.add_signer(KEY)
    fake.failing[TOKEN_AT.lower()] = "out_of_gas"
    with pytest.raises(ContractRevert) as caught:
        tx.transact(sender, TOKEN_AT, b"", gas=30_000)
    assert (caught.value.error, caught.value.args_by_name) == ("OutOfGas", {"gasLimit": 30_000})


def test_a_failed_tx_is_explained_by_replaying_it_as_a_call(fake, tx):
    sender = tx.add_signer(KEY)
    token = SaharaToken(TOKEN_AT, tx)
    fake.failing[TOKEN_AT.lower()] = "revert"
    fake.refuse(TOKEN_AT, token.abi.function("claim"), cooldown(sender, 7))
    with pytest.raises(ContractRevert) as caught:
        token.transact(sender, "claim", gas=100_000)
    assert (caught.value.error, caught.value.contract) == ("FaucetCooldown", "SaharaToken")


def test_a_broadcast_the_node_already_has_is_not_an_error(fake, tx):
    sender = tx.add_signer(KEY)
    signed = tx.sign(sender, TOKEN_AT, b"", gas=21_000)
    assert tx.broadcast(signed) == signed.tx_hash
    assert tx.broadcast(signed) == signed.tx_hash
    fake.send_errors.append(RpcError("eth_sendRawTransaction", -32000, "insufficient funds"))
    with pytest.raises(RpcError):
        tx.broadcast(tx.sign(sender, TOKEN_AT, b"", gas=21_000))


# -- bindings and the minter -------------------------------------------------------------
def test_a_binding_reads_a_struct_by_name_through_the_port(fake, tx):
    data = DataServices(DATA_AT, tx)
    poster = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788"
    fake.answer(DATA_AT, data.abi.function("tasks"), poster, True, 2, 10, 3, 1)
    task = data.call("tasks", 1)
    assert (task.poster, task.open, task.remainingBudget) == (poster, True, 10)


def test_a_refused_call_raises_the_error_named_by_the_called_contract(fake, tx):
    token = SaharaToken(TOKEN_AT, tx)
    fake.refuse(TOKEN_AT, token.abi.function("nextClaimAt"), cooldown(TOKEN_AT, 1))
    with pytest.raises(ContractRevert, match="SaharaToken: FaucetCooldown"):
        token.next_claim_at(TOKEN_AT)
    fake.refuse(TOKEN_AT, token.abi.function("balanceOf"), b"")
    with pytest.raises(ContractRevert, match="UnknownRevert"):
        token.balance_of(TOKEN_AT)


def test_the_minter_reads_a_batch_status_without_its_logs(fake, tx):
    minter = ChainMinter(tx, suite=None, minter=tx.add_signer(KEY))  # type: ignore[arg-type]
    ok = tx.send(minter.sender, TOKEN_AT, b"", gas=21_000)
    fake.failing[DATA_AT.lower()] = "revert"
    failed = tx.send(minter.sender, DATA_AT, b"", gas=21_000)
    assert (minter.receipt(ok), minter.wait(failed, 0.1), minter.wait("0x" + "00" * 32, 0.0)) == (
        ("ok", 1), ("reverted", 2), None)


def test_snapshots_roll_the_fake_back(fake, tx):
    sender = tx.add_signer(KEY)
    snap = fake.snapshot()
    tx.transact(sender, TOKEN_AT, b"")
    assert fake.revert(snap) and fake.nonce(sender) == 0 and fake.block_number() == 0
