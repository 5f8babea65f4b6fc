"""ABI encoding and decoding for the suite's contracts (calls, events, custom errors).

A thin layer over eth-abi and eth-utils: it is several times faster than building web3
Contract objects per call, which matters for the reward worker and the indexer.

Decoded values are shaped once per ABI entry: addresses are checksummed, and structs (and
views returning several named values) become named tuples with the ABI's names, so callers
write ``task.remainingBudget`` while ``task[3]`` and tuple unpacking keep working.
"""

from __future__ import annotations

import keyword
from collections import namedtuple
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import (
    abi_to_signature,
    collapse_if_tuple,
    event_abi_to_log_topic,
    function_abi_to_4byte_selector,
    function_signature_to_4byte_selector,
    to_checksum_address,
)

from chain.errors import ContractRevert
from chain.port import Log

ERROR_STRING = function_signature_to_4byte_selector("Error(string)")
PANIC = function_signature_to_4byte_selector("Panic(uint256)")

# How one decoded value is reshaped; None keeps eth-abi's value as it is (the fast path).
Shape = Callable[[Any], Any] | None


def _struct_name(param: dict[str, Any], fallback: str) -> str:
    # internalType reads "struct Governance.Proposal" (or "struct Governance.Proposal[]").
    internal = param.get("internalType") or ""
    name = internal.removeprefix("struct ").split("[")[0].rsplit(".", 1)[-1]
    return name if name.isidentifier() else fallback


def _named(params: Sequence[dict[str, Any]]) -> bool:
    names = [p.get("name") or "" for p in params]
    return (len(set(names)) == len(names)
            and all(n.isidentifier() and not keyword.iskeyword(n) and not n.startswith("_") for n in names))


class _Structs:
    """One named-tuple class per struct of a contract, so equal structs share a type."""

    def __init__(self) -> None:
        self._classes: dict[tuple[str, tuple[str, ...]], type] = {}

    def cls(self, name: str, fields: tuple[str, ...]) -> type:
        key = (name, fields)
        if key not in self._classes:
            self._classes[key] = namedtuple(name, fields)  # type: ignore[misc]
        return self._classes[key]

    def shape(self, param: dict[str, Any], fallback: str = "Struct") -> Shape:
        kind = param["type"]
        if kind.endswith("]"):
            inner = self.shape({**param, "type": kind[: kind.rindex("[")]}, fallback)
            return None if inner is None else (lambda values: [inner(v) for v in values])
        if kind == "tuple":
            return self.record(param["components"], _struct_name(param, fallback))
        if kind == "address":
            return to_checksum_address
        return None

    def record(self, params: Sequence[dict[str, Any]], name: str) -> Shape:
        """A tuple of ``params``: a named tuple when every member has a usable name."""
        shapes = [self.shape(p) for p in params]
        if _named(params):
            cls = self.cls(name, tuple(p["name"] for p in params))
            if not any(shapes):
                return lambda values: cls(*values)
            return lambda values: cls(*(s(v) if s else v for s, v in zip(shapes, values)))
        if not any(shapes):
            return None
        return lambda values: tuple(s(v) if s else v for s, v in zip(shapes, values))


def _camel(name: str) -> str:
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class Function:
    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    selector: bytes
    mutability: str
    shapes: tuple[Shape, ...] = field(default=(), compare=False, repr=False)
    result: Shape = field(default=None, compare=False, repr=False)

    def encode(self, args: Sequence[Any]) -> bytes:
        if len(args) != len(self.inputs):
            raise TypeError(f"{self.name} takes {len(self.inputs)} arguments, got {len(args)}")
        return self.selector + abi_encode(list(self.inputs), list(args))

    def decode(self, data: bytes) -> Any:
        """One value, or a tuple of them (named when the ABI names every output)."""
        values = abi_decode(self.outputs, data)
        if len(values) == 1:
            shape = self.shapes[0] if self.shapes else None
            return shape(values[0]) if shape else values[0]
        return self.result(values) if self.result else values


@dataclass(frozen=True)
class Event:
    name: str
    topic: bytes
    names: tuple[str, ...]
    types: tuple[str, ...]
    indexed: tuple[bool, ...]
    shapes: tuple[Shape, ...] = field(default=(), compare=False, repr=False)

    def decode(self, log: Log) -> dict[str, Any]:
        data_types = [t for t, i in zip(self.types, self.indexed) if not i]
        data_values = iter(abi_decode(data_types, log.data)) if data_types else iter(())
        topics = iter(log.topics[1:])
        shapes = self.shapes or (None,) * len(self.names)
        out: dict[str, Any] = {}
        for name, kind, is_indexed, shape in zip(self.names, self.types, self.indexed, shapes):
            if is_indexed:
                raw = next(topics)
                if _is_dynamic(kind):  # dynamic indexed values are stored as their hash: keep it
                    out[name] = raw
                    continue
                value = abi_decode([kind], raw)[0]
            else:
                value = next(data_values)
            out[name] = shape(value) if shape else value
        return out


@dataclass(frozen=True)
class CustomError:
    name: str
    selector: bytes
    names: tuple[str, ...]
    types: tuple[str, ...]
    shapes: tuple[Shape, ...] = field(default=(), compare=False, repr=False)

    def decode(self, data: bytes) -> dict[str, Any]:
        values = abi_decode(list(self.types), data) if self.types else ()
        shapes = self.shapes or (None,) * len(self.names)
        return {n: s(v) if s else v for n, s, v in zip(self.names, shapes, values)}


def _is_dynamic(kind: str) -> bool:
    return kind in ("string", "bytes") or kind.endswith("]") or kind.startswith("(")


def _types(params: Sequence[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(collapse_if_tuple(p) for p in params)


class ContractAbi:
    """Functions, events and custom errors of one contract, looked up by name."""

    def __init__(self, name: str, abi: Iterable[dict[str, Any]]) -> None:
        self.name = name
        self.functions: dict[str, list[Function]] = {}
        self.events: dict[str, Event] = {}
        self.events_by_topic: dict[bytes, Event] = {}
        self.errors: dict[bytes, CustomError] = {}
        self.constructor_inputs: tuple[str, ...] = ()
        structs = _Structs()
        for item in abi:
            kind = item.get("type")
            inputs = item.get("inputs", [])
            if kind == "function":
                outputs = item.get("outputs", [])
                fn = Function(
                    name=item["name"],
                    inputs=_types(inputs),
                    outputs=_types(outputs),
                    selector=function_abi_to_4byte_selector(item),
                    mutability=item.get("stateMutability", "nonpayable"),
                    shapes=tuple(structs.shape(p) for p in outputs),
                    result=structs.record(outputs, _camel(item["name"])) if len(outputs) > 1 else None,
                )
                self.functions.setdefault(fn.name, []).append(fn)
            elif kind == "event":
                ev = Event(
                    name=item["name"],
                    topic=event_abi_to_log_topic(item),  # type: ignore[arg-type]
                    names=tuple(p["name"] for p in inputs),
                    types=_types(inputs),
                    indexed=tuple(bool(p.get("indexed")) for p in inputs),
                    shapes=tuple(structs.shape(p) for p in inputs),
                )
                self.events[ev.name] = ev
                self.events_by_topic[ev.topic] = ev
            elif kind == "error":
                err = CustomError(
                    name=item["name"],
                    selector=function_signature_to_4byte_selector(abi_to_signature(item)),  # type: ignore[arg-type]
                    names=tuple(p["name"] for p in inputs),
                    types=_types(inputs),
                    shapes=tuple(structs.shape(p) for p in inputs),
                )
                self.errors[err.selector] = err
            elif kind == "constructor":
                self.constructor_inputs = _types(inputs)

    def decode_call(self, data: bytes) -> tuple[str, tuple[Any, ...]] | None:
        """The function a transaction's input calls, with its decoded arguments (None: not one
        of this contract's functions)."""
        for candidates in self.functions.values():
            for fn in candidates:
                if data[:4] == fn.selector:
                    values = abi_decode(list(fn.inputs), data[4:])
                    return fn.name, tuple(to_checksum_address(v) if k == "address" else v
                                          for k, v in zip(fn.inputs, values))
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
