"""JSON-RPC implementation of the chain port over a keep-alive HTTP session.

The only module that names JSON-RPC methods; :meth:`JsonRpcChain.request` stays public for
the devnet's own test methods (``anvil_*``, ``evm_increaseTime``), see :mod:`chain.devnet`;
the devnet controls the reward pipeline's tests use (mining on or off, a dropped transaction,
a reorg, a base fee) are typed methods at the end of :class:`JsonRpcChain`.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

import requests
from eth_utils import to_checksum_address

from chain.errors import RpcError, RpcUnavailable, TxTimeout
from chain.port import Block, BlockTag, Log, Receipt

# web3's default receipt poll of 100 ms caps an instant-mining devnet at ~24 tx/s; a network
# with 2-12 s blocks gains nothing from polling faster than once a second.
RECEIPT_POLL_SECONDS = 0.01
NETWORK_RECEIPT_POLL_SECONDS = 1.0


def _is_loopback(url: str) -> bool:
    return urlparse(url).hostname in ("127.0.0.1", "localhost", "::1")


def _hex(value: int) -> str:
    return hex(value)


def _tag(block: BlockTag) -> str:
    return _hex(block) if isinstance(block, int) else block


def _int(value: str | None) -> int:
    return int(value, 16) if value else 0


def _bytes(value: str | None) -> bytes:
    return bytes.fromhex(value[2:]) if value else b""


class JsonRpcChain:
    """A :class:`chain.port.ChainPort` speaking JSON-RPC to ``url``."""

    def __init__(self, url: str, *, timeout: float = 10.0, poll: float = RECEIPT_POLL_SECONDS):
        self.url = url
        self.timeout = timeout
        self.poll = poll
        self._ids = itertools.count(1)
        self._local = threading.local()

    # -- transport ---------------------------------------------------------------
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # Proxy settings never apply to loopback, and reading them from the environment
            # costs a quarter of a devnet round trip.
            session.trust_env = not _is_loopback(self.url)
            self._local.session = session
        return session

    def request(self, method: str, params: Sequence[Any] = ()) -> Any:
        """One JSON-RPC call; raises :class:`RpcUnavailable` or :class:`RpcError`."""
        payload = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)}
        try:
            response = self._session().post(self.url, json=payload, timeout=self.timeout)
        except requests.RequestException as exc:
            raise RpcUnavailable(self.url, type(exc).__name__) from None
        if response.status_code != 200:
            raise RpcUnavailable(self.url, f"HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise RpcUnavailable(self.url, "answer is not JSON") from None
        if "error" in body:
            err = body["error"]
            raise RpcError(method, err.get("code", 0), err.get("message", ""), err.get("data"))
        return body.get("result")

    # -- the port ----------------------------------------------------------------
    def chain_id(self) -> int:
        return _int(self.request("eth_chainId"))

    def block_number(self) -> int:
        return _int(self.request("eth_blockNumber"))

    def block(self, number: BlockTag = "latest") -> Block | None:
        raw = self.request("eth_getBlockByNumber", [_tag(number), False])
        if not raw:
            return None
        return Block(number=_int(raw.get("number")), hash=raw.get("hash") or "",
                     parent_hash=raw.get("parentHash") or "", timestamp=_int(raw.get("timestamp")))

    def call(self, to: str, data: bytes, block: BlockTag = "latest", sender: str | None = None) -> bytes:
        params = {"to": to, "data": "0x" + data.hex()}
        if sender:
            params["from"] = sender
        return _bytes(self.request("eth_call", [params, _tag(block)]))

    def balance(self, address: str) -> int:
        return _int(self.request("eth_getBalance", [address, "latest"]))

    def code(self, address: str) -> bytes:
        return _bytes(self.request("eth_getCode", [address, "latest"]))

    def nonce(self, address: str, block: BlockTag = "pending") -> int:
        return _int(self.request("eth_getTransactionCount", [address, _tag(block)]))

    def gas_price(self) -> int:
        return _int(self.request("eth_gasPrice"))

    def estimate_gas(self, sender: str, to: str | None, data: bytes, value: int = 0) -> int:
        tx: dict[str, Any] = {"from": sender, "data": "0x" + data.hex(), "value": _hex(value)}
        if to:
            tx["to"] = to
        return _int(self.request("eth_estimateGas", [tx]))

    def send(self, raw_tx: bytes) -> str:
        return self.request("eth_sendRawTransaction", ["0x" + raw_tx.hex()])

    def fees_of(self, tx_hash: str) -> tuple[int, int] | None:
        raw = self.request("eth_getTransactionByHash", [tx_hash])
        if not raw:
            return None
        if raw.get("maxFeePerGas"):
            return _int(raw["maxFeePerGas"]), _int(raw.get("maxPriorityFeePerGas"))
        return _int(raw.get("gasPrice")), _int(raw.get("gasPrice"))

    def transaction(self, tx_hash: str) -> tuple[str, str | None, bytes] | None:
        """(sender, to, input) of a transaction the node knows (not part of the port: only the
        explanation of a player's transaction needs it)."""
        raw = self.request("eth_getTransactionByHash", [tx_hash])
        if not raw:
            return None
        return raw["from"], raw.get("to"), _bytes(raw.get("input"))

    def receipt(self, tx_hash: str, *, logs: bool = True) -> Receipt | None:
        raw = self.request("eth_getTransactionReceipt", [tx_hash])
        return _receipt(raw, logs) if raw else None

    def wait(self, tx_hash: str, timeout: float = 30.0, *, logs: bool = True) -> Receipt:
        deadline = time.monotonic() + timeout
        while True:
            found = self.receipt(tx_hash, logs=logs)
            if found is not None:
                return found
            if time.monotonic() > deadline:
                raise TxTimeout(tx_hash, timeout)
            time.sleep(self.poll)

    def logs(
        self,
        addresses: Sequence[str],
        from_block: int,
        to_block: int,
        topics: Sequence[Any] | None = None,
    ) -> list[Log]:
        query: dict[str, Any] = {
            "address": list(addresses),
            "fromBlock": _hex(from_block),
            "toBlock": _hex(to_block),
        }
        if topics:
            query["topics"] = list(topics)
        return [_log(item) for item in self.request("eth_getLogs", [query])]

    def snapshot(self) -> str:
        return self.request("evm_snapshot")

    def revert(self, snapshot_id: str) -> bool:
        return bool(self.request("evm_revert", [snapshot_id]))

    # -- devnet controls (anvil): faults of a real network, on demand ------------------------
    def set_automine(self, on: bool) -> None:
        """Mine a block per transaction (anvil's default), or leave them pending until
        :meth:`mine` (a stuck transaction)."""
        self.request("evm_setAutomine", [on])

    def mine(self, blocks: int = 1) -> None:
        self.request("anvil_mine", [_hex(blocks)])

    def drop_transaction(self, tx_hash: str) -> None:
        """Forget a pending transaction, as a node that evicted it would."""
        self.request("anvil_dropTransaction", [tx_hash])

    def reorg(self, depth: int, txs: Sequence[tuple[bytes, int]] = ()) -> None:
        """Replace the last ``depth`` blocks with as many new ones carrying ``txs`` (raw
        transaction, block offset in the new branch); the old blocks' transactions are gone."""
        self.request("anvil_reorg", [depth, [["0x" + raw.hex(), offset] for raw, offset in txs]])

    def set_next_base_fee(self, wei: int) -> None:
        self.request("anvil_setNextBlockBaseFeePerGas", [_hex(wei)])

    def pending_hashes(self) -> list[str]:
        """Hashes of the transactions in the node's pool (``txpool_content``'s pending)."""
        pool = self.request("txpool_content").get("pending") or {}
        return [tx["hash"] for by_nonce in pool.values() for tx in by_nonce.values()]


def _log(raw: dict[str, Any]) -> Log:
    return Log(
        address=to_checksum_address(raw["address"]),
        topics=tuple(_bytes(t) for t in raw.get("topics", [])),
        data=_bytes(raw.get("data")),
        block_number=_int(raw.get("blockNumber")),
        block_hash=raw.get("blockHash") or "",
        tx_hash=raw.get("transactionHash") or "",
        log_index=_int(raw.get("logIndex")),
        removed=bool(raw.get("removed", False)),
        block_time=_int(raw["blockTimestamp"]) if raw.get("blockTimestamp") else None,
    )


def _receipt(raw: dict[str, Any], logs: bool = True) -> Receipt:
    return Receipt(
        tx_hash=raw["transactionHash"],
        status=_int(raw.get("status")),
        block_number=_int(raw.get("blockNumber")),
        block_hash=raw.get("blockHash") or "",
        gas_used=_int(raw.get("gasUsed")),
        contract_address=(to_checksum_address(raw["contractAddress"])
                          if raw.get("contractAddress") else None),
        logs=tuple(_log(item) for item in raw.get("logs", [])) if logs else (),
    )
