"""ABI encoding and decoding for the suite's contracts (calls, events, custom errors).

A thin layer over eth-abi: it is several times faster than building web3 Contract
objects per call, which matters for the reward worker and the indexer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import keccak, to_checksum_address

from chain.errors import ContractRevert
from chain.port import Log

ERROR_STRING = bytes.fromhex("08c379a0")  # Error(string)
PANIC = bytes.fromhex("4e487b71")  # Panic(uint256)


def type_of(param: dict[str, Any]) -> str:
    """The canonical ABI type string, expanding tuples."""
    kind = param["type"]
    if kind.startswith("tuple"):
        inner = ",".join(type_of(c) for c in param["components"])
        return f"({inner}){kind[5:]}"
    return kind


def _components(kind: str) -> list[str]:
    """The component types of a tuple type ``(a,(b,c)[],d)``, split at the top level."""
    parts: list[str] = []
    depth, start = 0, 1
    for i, char in enumerate(kind[1:-1], start=1):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(kind[start:i])
            start = i + 1
    last = kind[start:-1]
    return [*parts, last] if last else parts


def _normalise(kind: str, value: Any) -> Any:
    """Checksum every address, including those inside arrays and tuples (structs)."""
    if "address" not in kind:
        return value
    if kind == "address":
        return to_checksum_address(value)
    if kind.endswith("]"):
        inner = kind[: kind.rindex("[")]
        return [_normalise(inner, v) for v in value]
    if kind.startswith("(") and kind.endswith(")"):
        return tuple(_normalise(k, v) for k, v in zip(_components(kind), value))
    return value


@dataclass(frozen=True)
class Function:
    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    selector: bytes
    mutability: str

    def encode(self, args: Sequence[Any]) -> bytes:
        if len(args) != len(self.inputs):
            raise TypeError(f"{self.name} takes {len(self.inputs)} arguments, got {len(args)}")
        return self.selector + abi_encode(list(self.inputs), list(args))

    def decode(self, data: bytes) -> Any:
        values = [_normalise(k, v) for k, v in zip(self.outputs, abi_decode(self.outputs, data))]
        if len(values) == 1:
            return values[0]
        return tuple(values)


@dataclass(frozen=True)
class Event:
    name: str
    topic: bytes
    names: tuple[str, ...]
    types: tuple[str, ...]
    indexed: tuple[bool, ...]

    def decode(self, log: Log) -> dict[str, Any]:
        data_types = [t for t, i in zip(self.types, self.indexed) if not i]
        data_values = iter(abi_decode(data_types, log.data)) if data_types else iter(())
        topics = iter(log.topics[1:])
        out: dict[str, Any] = {}
        for name, kind, is_indexed in zip(self.names, self.types, self.indexed):
            if is_indexed:
                raw = next(topics)
                # Dynamic indexed values are stored as their hash; keep the hash.
                value = raw if _is_dynamic(kind) else abi_decode([kind], raw)[0]
            else:
                value = next(data_values)
            out[name] = _normalise(kind, value)
        return out


@dataclass(frozen=True)
class CustomError:
    name: str
    selector: bytes
    names: tuple[str, ...]
    types: tuple[str, ...]

    def decode(self, data: bytes) -> dict[str, Any]:
        values = abi_decode(list(self.types), data) if self.types else ()
        return {n: _normalise(t, v) for n, t, v in zip(self.names, self.types, values)}


def _is_dynamic(kind: str) -> bool:
    return kind in ("string", "bytes") or kind.endswith("]") or kind.startswith("(")


def _signature(item: dict[str, Any]) -> str:
    return f"{item['name']}({','.join(type_of(p) for p in item.get('inputs', []))})"


class ContractAbi:
    """Functions, events and custom errors of one contract, looked up by name."""

    def __init__(self, name: str, abi: Iterable[dict[str, Any]]) -> None:
        self.name = name
        self.functions: dict[str, list[Function]] = {}
        self.events: dict[str, Event] = {}
        self.events_by_topic: dict[bytes, Event] = {}
        self.errors: dict[bytes, CustomError] = {}
        self.constructor_inputs: tuple[str, ...] = ()
        for item in abi:
            kind = item.get("type")
            if kind == "function":
                fn = Function(
                    name=item["name"],
                    inputs=tuple(type_of(p) for p in item["inputs"]),
                    outputs=tuple(type_of(p) for p in item.get("outputs", [])),
                    selector=keccak(text=_signature(item))[:4],
                    mutability=item.get("stateMutability", "nonpayable"),
                )
                self.functions.setdefault(fn.name, []).append(fn)
            elif kind == "event":
                ev = Event(
                    name=item["name"],
                    topic=keccak(text=_signature(item)),
                    names=tuple(p["name"] for p in item["inputs"]),
                    types=tuple(type_of(p) for p in item["inputs"]),
                    indexed=tuple(bool(p.get("indexed")) for p in item["inputs"]),
                )
                self.events[ev.name] = ev
                self.events_by_topic[ev.topic] = ev
            elif kind == "error":
                err = CustomError(
                    name=item["name"],
                    selector=keccak(text=_signature(item))[:4],
                    names=tuple(p["name"] for p in item["inputs"]),
                    types=tuple(type_of(p) for p in item["inputs"]),
                )
                self.errors[err.selector] = err
            elif kind == "constructor":
                self.constructor_inputs = tuple(type_of(p) for p in item["inputs"])

    def decode_call(self, data: bytes) -> tuple[str, tuple[Any, ...]] | None:
        """The function a transaction's input calls, with its decoded arguments (None: not one
        of this contract's functions)."""
        for candidates in self.functions.values():
            for fn in candidates:
                if data[:4] == fn.selector:
                    values = abi_decode(list(fn.inputs), data[4:])
                    return fn.name, tuple(_normalise(k, v) for k, v in zip(fn.inputs, values))
        return None

    def function(self, name: str, arity: int | None = None) -> Function:
        try:
            candidates = self.functions[name]
        except KeyError:
            raise AttributeError(f"{self.name} has no function {name!r}") from None
        if arity is not None:
            candidates = [f for f in candidates if len(f.inputs) == arity] or candidates
        return candidates[0]

    def encode_constructor(self, args: Sequence[Any]) -> bytes:
        return abi_encode(list(self.constructor_inputs), list(args)) if args else b""

    def decode_log(self, log: Log) -> tuple[str, dict[str, Any]] | None:
        if not log.topics:
            return None
        event = self.events_by_topic.get(log.topics[0])
        if event is None:
            return None
        return event.name, event.decode(log)


class ErrorDecoder:
    """Turns revert data from any contract of the suite into a :class:`ContractRevert`."""

    def __init__(self, contracts: Iterable[ContractAbi] = ()) -> None:
        self._errors: dict[bytes, tuple[str, CustomError]] = {}
        for contract in contracts:
            self.add(contract)

    def add(self, contract: ContractAbi) -> None:
        for selector, err in contract.errors.items():
            self._errors.setdefault(selector, (contract.name, err))

    def decode(self, data: bytes, *, tx_hash: str | None = None) -> ContractRevert:
        selector, body = data[:4], data[4:]
        if selector == ERROR_STRING:
            (reason,) = abi_decode(["string"], body)
            return ContractRevert("Error", {"reason": reason}, tx_hash=tx_hash, raw=data)
        if selector == PANIC:
            (code,) = abi_decode(["uint256"], body)
            return ContractRevert("Panic", {"code": code}, tx_hash=tx_hash, raw=data)
        known = self._errors.get(selector)
        if known is None:
            label = "0x" + selector.hex() if data else "empty revert"
            return ContractRevert("UnknownRevert", {"data": label}, tx_hash=tx_hash, raw=data)
        contract, err = known
        try:
            args = err.decode(body)
        except Exception:  # malformed payload: still name the error
            args = {}
        return ContractRevert(err.name, args, contract=contract, tx_hash=tx_hash, raw=data)
