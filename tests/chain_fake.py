"""FakeChain: an in-memory :class:`chain.port.ChainPort` for unit tests of chain users.

It mines every accepted transaction at once (like the devnet), answers calls from views a test
scripts with :meth:`FakeChain.answer` / :meth:`FakeChain.refuse`, and fails transactions to the
addresses named in :attr:`FakeChain.failing` (a revert, or all gas burnt). Signed transactions
are really decoded, so nonces, hashes and gas limits are the tx manager's own.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from eth_abi import encode
from eth_account import Account
from eth_account.typed_transactions import TypedTransaction
from eth_utils import keccak
from hexbytes import HexBytes

from chain.abi import Function
from chain.errors import RpcError, TxTimeout
from chain.port import Block, BlockTag, Log, Receipt

GWEI = 10**9
REVERTED = "execution reverted"


def revert_error(method: str, data: bytes) -> RpcError:
    """The shape a node gives a reverted call: code 3, the revert bytes in ``data``."""
    return RpcError(method, 3, REVERTED, "0x" + data.hex())


class FakeChain:
    def __init__(self, chain_id: int = 31337, gas_price: int = GWEI, gas_estimate: int = 50_000) -> None:
        self.id = chain_id
        self.price = gas_price
        self.gas_estimate = gas_estimate
        self.blocks: list[Block] = [Block(0, _hash(0), "0x" + "00" * 32, 1_700_000_000)]
        self.balances: dict[str, int] = {}
        self.codes: dict[str, bytes] = {}
        self.nonces: dict[str, int] = {}
        self.receipts: dict[str, Receipt] = {}
        self.sent: list[dict[str, Any]] = []
        self.emitted: list[Log] = []
        self.failing: dict[str, str] = {}  # lower-case address -> "revert" | "out_of_gas"
        self.estimate_reverts: bytes | None = None
        self.send_errors: list[RpcError] = []  # raised by the next sends, first first
        self._views: dict[tuple[str, bytes], Callable[[bytes], bytes]] = {}
        self._snapshots: list[dict[str, Any]] = []

    # -- scripting ---------------------------------------------------------------------
    def answer(self, address: str, function: Function, *values: Any) -> None:
        """Calls of ``function`` on ``address`` return ``values`` (ABI-encoded)."""
        self._views[(address.lower(), function.selector)] = lambda _data: encode(list(function.outputs),
                                                                               list(values))

    def refuse(self, address: str, function: Function, revert: bytes) -> None:
        def raise_(_data: bytes) -> bytes:
            raise revert_error("eth_call", revert)

        self._views[(address.lower(), function.selector)] = raise_

    def mine(self, timestamp_step: int = 1) -> Block:
        parent = self.blocks[-1]
        number = parent.number + 1
        block = Block(number, _hash(number), parent.hash, parent.timestamp + timestamp_step)
        self.blocks.append(block)
        return block

    # -- the port ----------------------------------------------------------------------
    def chain_id(self) -> int:
        return self.id

    def block_number(self) -> int:
        return self.blocks[-1].number

    def block(self, number: BlockTag = "latest") -> Block | None:
        if number == "pending":
            head = self.blocks[-1]
            return Block(head.number + 1, "", head.hash, head.timestamp + 1)
        if number == "latest":
            return self.blocks[-1]
        if number == "earliest":
            return self.blocks[0]
        return self.blocks[number] if isinstance(number, int) and 0 <= number < len(self.blocks) else None

    def call(self, to: str, data: bytes, block: BlockTag = "latest", sender: str | None = None) -> bytes:
        view = self._views.get((to.lower(), data[:4]))
        return view(data) if view else b""

    def logs(self, addresses: Sequence[str], from_block: int, to_block: int,
             topics: Sequence[Any] | None = None) -> list[Log]:
        wanted = {a.lower() for a in addresses}
        return [lg for lg in self.emitted
                if lg.address.lower() in wanted and from_block <= lg.block_number <= to_block]

    def balance(self, address: str) -> int:
        return self.balances.get(address, 0)

    def code(self, address: str) -> bytes:
        return self.codes.get(address, b"")

    def nonce(self, address: str, block: BlockTag = "pending") -> int:
        return self.nonces.get(address, 0)

    def gas_price(self) -> int:
        return self.price

    def estimate_gas(self, sender: str, to: str | None, data: bytes, value: int = 0) -> int:
        if self.estimate_reverts is not None:
            raise revert_error("eth_estimateGas", self.estimate_reverts)
        return self.gas_estimate

    def send(self, raw_tx: bytes) -> str:
        if self.send_errors:
            raise self.send_errors.pop(0)
        tx_hash = "0x" + keccak(raw_tx).hex()
        if tx_hash in self.receipts:
            raise RpcError("eth_sendRawTransaction", -32000, "already known")
        tx = TypedTransaction.from_bytes(HexBytes(raw_tx)).as_dict()
        sender = Account.recover_transaction(raw_tx)
        expected = self.nonces.get(sender, 0)
        if tx["nonce"] != expected:
            word = "low" if tx["nonce"] < expected else "high"
            raise RpcError("eth_sendRawTransaction", -32000, f"nonce too {word}")
        self.nonces[sender] = expected + 1
        tx.update(hash=tx_hash, sender=sender)
        self.sent.append(tx)
        block = self.mine()
        to = (tx.get("to") or b"")
        fate = self.failing.get(("0x" + bytes(to).hex()).lower() if to else "")
        gas_used = tx["gas"] if fate == "out_of_gas" else min(tx["gas"], 21_000)
        self.receipts[tx_hash] = Receipt(tx_hash, 0 if fate else 1, block.number, block.hash, gas_used)
        return tx_hash

    def fees_of(self, tx_hash: str) -> tuple[int, int] | None:
        for tx in self.sent:
            if tx["hash"] == tx_hash:
                return tx["maxFeePerGas"], tx["maxPriorityFeePerGas"]
        return None

    def receipt(self, tx_hash: str, *, logs: bool = True) -> Receipt | None:
        found = self.receipts.get(tx_hash)
        if found is not None and not logs:
            return dataclasses.replace(found, logs=())
        return found

    def wait(self, tx_hash: str, timeout: float = 30.0, *, logs: bool = True) -> Receipt:
        found = self.receipt(tx_hash, logs=logs)
        if found is None:
            raise TxTimeout(tx_hash, timeout)
        return found

    def snapshot(self) -> str:
        state = {k: copy.deepcopy(v) for k, v in vars(self).items() if k != "_snapshots"}
        self._snapshots.append(state)
        return hex(len(self._snapshots))

    def revert(self, snapshot_id: str) -> bool:
        index = int(snapshot_id, 16)
        if not 0 < index <= len(self._snapshots):
            return False
        state = self._snapshots[index - 1]
        del self._snapshots[index - 1:]
        vars(self).update(copy.deepcopy(state))
        return True


def _hash(number: int) -> str:
    return "0x" + keccak(b"fake block %d" % number).hex()
