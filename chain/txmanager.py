"""Transaction manager: local signing, one nonce lock per sender, fast receipt polling,
replacements that outbid what they replace (:mod:`chain.fees`), reverts decoded into
:class:`chain.errors.ContractRevert`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from eth_account import Account
from eth_account.signers.local import LocalAccount

from chain.abi import ErrorDecoder
from chain.errors import ConfigError, ContractRevert, RpcError
from chain.fees import Fees, Recent, bumped, capped, is_underpriced, market
from chain.port import ChainPort, Receipt

FEE_CACHE_SECONDS = 2.0
# Gas limit = estimate * 1.2 + GAS_HEADROOM. The estimate runs on the latest block, but the tx is mined
# in a later one: time-based code (Staking's reward accrual) may then write storage slots that were
# still zero at estimation time (22,100 gas each). Two such slots fit; only used gas is paid.
GAS_HEADROOM = 50_000
# Gas limits and fees of recently signed txs, kept so a failed receipt that burnt its whole limit
# can be named OutOfGas (a receipt does not carry the limit) and a replacement can outbid them.
GAS_LIMITS_KEPT = 4096


@runtime_checkable
class FeeLookup(Protocol):
    """A chain that can tell the fees of a transaction it holds (``JsonRpcChain`` can)."""

    def fees_of(self, tx_hash: str) -> tuple[int, int] | None:
        """(maxFeePerGas, maxPriorityFeePerGas); a legacy transaction gives its gasPrice twice."""
        ...


def account_from_key(key: str) -> LocalAccount:
    """A signer from a hex private key; a bad key is a :class:`ConfigError`."""
    try:
        return Account.from_key(key.strip())
    except Exception:
        raise ConfigError("signer key is not a 32-byte hex private key") from None


def revert_data(error: RpcError) -> bytes | None:
    """Pull revert bytes out of the many shapes nodes use for them."""
    data = error.data
    if isinstance(data, dict):
        data = data.get("data")
    if isinstance(data, str) and data.startswith("0x"):
        try:
            return bytes.fromhex(data[2:])
        except ValueError:
            return None
    if "revert" in error.rpc_message.lower():
        return b""
    return None


@dataclass(frozen=True)
class SignedTx:
    """A signed transaction not yet (or not known to be) broadcast.

    Its hash is fixed before broadcasting, so a caller can record it first and, after a
    crash, look the transaction up instead of signing a second one.
    """

    sender: str
    nonce: int
    tx_hash: str
    raw: bytes
    to: str | None
    data: bytes
    fees: Fees | None = None


class TxManager:
    """Signs and sends transactions for the signers it holds."""

    def __init__(
        self,
        chain: ChainPort,
        decoder: ErrorDecoder | None = None,
        *,
        receipt_timeout: float = 60.0,
        max_fee: int | None = None,  # wei per gas never offered beyond; None: no cap
    ) -> None:
        self.chain = chain
        self.max_fee = max_fee
        self.decoder = decoder or ErrorDecoder()
        self.receipt_timeout = receipt_timeout
        self._signers: dict[str, LocalAccount] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._nonces: dict[str, int] = {}
        self._chain_id: int | None = None
        self._fees: tuple[float, Fees, int] | None = None  # when, market fees, gas price
        self._signed: Recent[tuple[int, Fees]] = Recent(GAS_LIMITS_KEPT)  # gas limit, fees
        self._underpriced: Recent[Fees] = Recent(GAS_LIMITS_KEPT)  # refused as underpriced

    # -- signers -----------------------------------------------------------------
    def add_signer(self, account: LocalAccount | str) -> str:
        if isinstance(account, str):
            account = account_from_key(account)
        self._signers[account.address] = account
        self._locks.setdefault(account.address, threading.Lock())
        return account.address

    @property
    def chain_id(self) -> int:
        if self._chain_id is None:
            self._chain_id = self.chain.chain_id()
        return self._chain_id

    def _offer(self, replaced: Fees | None) -> Fees:
        """The market's fees, or outbidding ``replaced``, within the cap (:func:`capped`)."""
        now = time.monotonic()
        if self._fees is None or now - self._fees[0] > FEE_CACHE_SECONDS:
            gas_price = self.chain.gas_price()
            self._fees = (now, market(gas_price), gas_price)
        _, fees, gas_price = self._fees
        fees = bumped(replaced, fees) if replaced is not None else fees
        return capped(fees, self.max_fee, gas_price=gas_price, replacing=replaced is not None)

    def fees_of(self, tx_hash: str) -> Fees | None:
        """The fees ``tx_hash`` was signed with: remembered, else asked of the node (None when
        neither knows it: a transaction nobody holds needs no outbidding)."""
        known = self._signed.get(tx_hash)
        if known is not None:
            return known[1]
        return self._held_fees(tx_hash)

    def _held_fees(self, tx_hash: str) -> Fees | None:
        found = self.chain.fees_of(tx_hash) if isinstance(self.chain, FeeLookup) else None
        return Fees(*found) if found is not None else None

    def _to_outbid(self, tx_hash: str) -> Fees | None:
        """What a replacement of ``tx_hash`` must outbid: its fees if the node holds it, or
        if the node just refused it as underpriced (it holds another one paying more).
        A transaction the node never took needs no outbidding, so fees do not climb while
        broadcasts keep failing for other reasons."""
        held = self._held_fees(tx_hash)
        if held is not None:
            return held
        return self._underpriced.get(tx_hash)

    # -- sending -----------------------------------------------------------------
    def estimate(self, sender: str, to: str | None, data: bytes, value: int = 0) -> int:
        try:
            return self.chain.estimate_gas(sender, to, data, value)
        except RpcError as exc:
            raw = revert_data(exc)
            if raw is None:
                raise
            raise self.decoder.decode(raw) from None

    @staticmethod
    def gas_limit(estimate: int) -> int:
        """The gas limit sent for an estimate (see GAS_HEADROOM)."""
        return estimate * 12 // 10 + GAS_HEADROOM

    def _gas_for(self, sender: str, to: str | None, data: bytes, value: int,
                 gas: int | None) -> int:
        if sender not in self._signers:
            raise ConfigError(f"no signer key for {sender}")
        return gas if gas is not None else self.gas_limit(self.estimate(sender, to, data, value))

    def _next_nonce(self, sender: str) -> int:
        # The caller holds the sender's lock.
        nonce = self._nonces.get(sender)
        return self.chain.nonce(sender) if nonce is None else nonce

    def _sign_locked(self, sender: str, to: str | None, data: bytes, nonce: int, value: int,
                     gas: int, fees: Fees | None = None) -> SignedTx:
        # The caller holds the sender's lock.
        fees = fees or self._offer(None)
        tx = {"chainId": self.chain_id, "nonce": nonce, "gas": gas, "value": value,
              "data": data, "type": 2, **fees.fields()}
        if to:
            tx["to"] = to
        signed = self._signers[sender].sign_transaction(tx)
        tx_hash = "0x" + bytes(signed.hash).hex()
        self._signed.put(tx_hash, (gas, fees))
        return SignedTx(sender, nonce, tx_hash, bytes(signed.raw_transaction), to, data, fees)

    def sign(
        self,
        sender: str,
        to: str | None,
        data: bytes,
        *,
        nonce: int | None = None,
        value: int = 0,
        gas: int | None = None,
        replacing: str | None = None,
    ) -> SignedTx:
        """Sign without broadcasting. Without ``nonce`` the next one is reserved; passing
        the nonce of an earlier attempt re-signs a replacement for that same slot, and
        ``replacing`` (that attempt's hash) makes it outbid the attempt when the node holds it
        or has just refused it as underpriced (:func:`chain.fees.bumped`)."""
        gas = self._gas_for(sender, to, data, value, gas)
        replaced = self._to_outbid(replacing) if replacing and nonce is not None else None
        with self._locks[sender]:
            fees = self._offer(replaced)  # before a nonce is taken: a refusal leaves no gap
            fresh = self._next_nonce(sender)
            nonce = fresh if nonce is None else nonce
            # The next fresh nonce comes after this one, never onto a slot re-signed here.
            self._nonces[sender] = max(fresh, nonce + 1)
            return self._sign_locked(sender, to, data, nonce, value, gas, fees)

    def broadcast(self, signed: SignedTx) -> str:
        """Broadcast a signed tx; a node that already has it is not an error."""
        try:
            return self.chain.send(signed.raw)
        except RpcError as exc:
            text = exc.rpc_message.lower()
            if "already known" in text or "already imported" in text:
                return signed.tx_hash
            if "nonce too low" in text and self.chain.receipt(signed.tx_hash) is not None:
                return signed.tx_hash
            if is_underpriced(exc) and signed.fees is not None:
                self._underpriced.put(signed.tx_hash, signed.fees)
            self._nonces.pop(signed.sender, None)
            raise

    def send(
        self,
        sender: str,
        to: str | None,
        data: bytes,
        *,
        value: int = 0,
        gas: int | None = None,
    ) -> str:
        """Sign and broadcast; returns the tx hash without waiting for the receipt.

        The lock is held through the broadcast so a sender's transactions reach the node in
        nonce order; a nonce the node refuses is resynced from the node and tried once more.
        """
        gas = self._gas_for(sender, to, data, value, gas)
        with self._locks[sender]:
            for attempt in (1, 2):
                signed = self._sign_locked(sender, to, data, self._next_nonce(sender), value, gas)
                try:
                    tx_hash = self.chain.send(signed.raw)
                except RpcError as exc:
                    self._nonces.pop(sender, None)  # resync from the node
                    if attempt == 2 or "nonce" not in exc.rpc_message.lower():
                        raise
                    continue
                self._nonces[sender] = signed.nonce + 1
                return tx_hash
        raise AssertionError("unreachable")

    def wait(self, tx_hash: str, *, sender: str | None = None, to: str | None = None,
             data: bytes = b"") -> Receipt:
        """Wait for a receipt; a failed tx raises its decoded revert."""
        receipt = self.chain.wait(tx_hash, self.receipt_timeout)
        if not receipt.ok:
            raise self._explain_failure(tx_hash, sender, to, data, receipt)
        return receipt

    def transact(self, sender: str, to: str | None, data: bytes, *, value: int = 0,
                 gas: int | None = None) -> Receipt:
        tx_hash = self.send(sender, to, data, value=value, gas=gas)
        return self.wait(tx_hash, sender=sender, to=to, data=data)

    def forget_nonces(self) -> None:
        """Drop cached nonces (after an evm_revert or a node restart)."""
        self._nonces.clear()
        self._fees = None

    def why_failed(self, tx_hash: str, sender: str, to: str, data: bytes, receipt: Receipt) -> ContractRevert:
        """The decoded custom error of a mined, reverted transaction (replayed at its parent
        block), or ``OutOfGas`` / ``Reverted`` when it cannot be told."""
        return self._explain_failure(tx_hash, sender, to, data, receipt)

    def _explain_failure(
        self, tx_hash: str, sender: str | None, to: str | None, data: bytes, receipt: Receipt
    ) -> ContractRevert:
        block = receipt.block_number
        if sender and to:
            try:
                self.chain.call(to, data, max(block - 1, 0), sender=sender)
            except RpcError as exc:
                raw = revert_data(exc)
                if raw is not None:
                    return self.decoder.decode(raw, tx_hash=tx_hash)
        # A failed tx that burnt its whole gas limit ran out of gas (the replay above cannot tell).
        signed = self._signed.get(tx_hash)
        limit = signed[0] if signed is not None else None
        if limit is not None and limit == receipt.gas_used:
            return ContractRevert("OutOfGas", {"gasLimit": receipt.gas_used}, tx_hash=tx_hash)
        return ContractRevert("Reverted", {}, tx_hash=tx_hash)
