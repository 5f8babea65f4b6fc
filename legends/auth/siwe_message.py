"""EIP-4361 messages: the :class:`SiweMessage` model, its exact text, and the strict parser.

A :class:`SiweMessage` is validated when it is constructed, so every instance renders
(``to_text``) to a message that :func:`parse_message` accepts and maps back to an equal
instance. Parsing is strict on purpose: the signature covers the exact text, so anything that
would not round-trip byte-for-byte is rejected instead of being normalised. Field grammar
(RFC 3986 / RFC 3339 / EIP-55) lives in :mod:`legends.auth.siwe_grammar`; this module handles
the line layout. Verification is in :mod:`legends.auth.siwe`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from legends.auth import siwe_grammar as g
from legends.auth.siwe_grammar import SiweParseError

_HEADER_SUFFIX = " wants you to sign in with your Ethereum account:"

# (line prefix, field name), in the order the ABNF requires them.
_REQUIRED_LINES = (
    ("URI: ", "uri"),
    ("Version: ", "version"),
    ("Chain ID: ", "chain_id"),
    ("Nonce: ", "nonce"),
    ("Issued At: ", "issued_at"),
)
_OPTIONAL_LINES = (
    ("Expiration Time: ", "expiration_time"),
    ("Not Before: ", "not_before"),
    ("Request ID: ", "request_id"),
)
_RESOURCES_LINE = "Resources:"
_RESOURCE_PREFIX = "- "
_ALL_PREFIXES = (*_REQUIRED_LINES, *_OPTIONAL_LINES, (_RESOURCES_LINE, "resources"))


@dataclass(frozen=True)
class SiweMessage:
    domain: str
    address: str
    uri: str
    version: str
    chain_id: int
    nonce: str
    issued_at: str
    statement: str | None = None
    expiration_time: str | None = None
    not_before: str | None = None
    request_id: str | None = None
    # None means "no Resources: section"; () means a "Resources:" line with no
    # items. The ABNF allows both and they render differently.
    resources: tuple[str, ...] | None = None
    # Newer EIP-4361 revision: "https://example.com wants you to sign in ...".
    scheme: str | None = None

    def __post_init__(self) -> None:
        # Wrong types raise SiweParseError too, so callers building messages
        # from untrusted JSON only need to catch one exception.
        for name in ("domain", "address", "uri", "version", "nonce", "issued_at"):
            _require_str(name, getattr(self, name))
        for name in ("statement", "expiration_time", "not_before", "request_id", "scheme"):
            if getattr(self, name) is not None:
                _require_str(name, getattr(self, name))
        if self.resources is not None:
            if isinstance(self.resources, str | bytes) or not isinstance(self.resources, Iterable):
                raise SiweParseError("resources", "must be a sequence of URIs")
            object.__setattr__(self, "resources", tuple(self.resources))
            for item in self.resources:
                _require_str("resources", item)
                g.check_uri("resources", item)

        if self.scheme is not None:
            g.check_scheme(self.scheme)
        g.check_domain(self.domain)
        g.check_address(self.address)
        if self.statement is not None:
            g.check_statement(self.statement)
        g.check_uri("uri", self.uri)
        g.check_version(self.version)
        g.check_chain_id(self.chain_id)
        g.check_nonce(self.nonce)
        g.parse_datetime("issued_at", self.issued_at)
        if self.expiration_time is not None:
            g.parse_datetime("expiration_time", self.expiration_time)
        if self.not_before is not None:
            g.parse_datetime("not_before", self.not_before)
        if self.request_id is not None:
            g.check_request_id(self.request_id)

    @property
    def issued_at_datetime(self) -> datetime:
        return g.parse_datetime("issued_at", self.issued_at)

    @property
    def expiration_datetime(self) -> datetime | None:
        if self.expiration_time is None:
            return None
        return g.parse_datetime("expiration_time", self.expiration_time)

    @property
    def not_before_datetime(self) -> datetime | None:
        if self.not_before is None:
            return None
        return g.parse_datetime("not_before", self.not_before)

    def to_text(self) -> str:
        """Render the exact EIP-4361 text that the wallet signs."""
        origin = f"{self.scheme}://{self.domain}" if self.scheme else self.domain
        lines = [origin + _HEADER_SUFFIX, self.address, ""]
        if self.statement is not None:
            lines.append(self.statement)
        lines += [
            "",
            f"URI: {self.uri}",
            f"Version: {self.version}",
            f"Chain ID: {self.chain_id}",
            f"Nonce: {self.nonce}",
            f"Issued At: {self.issued_at}",
        ]
        if self.expiration_time is not None:
            lines.append(f"Expiration Time: {self.expiration_time}")
        if self.not_before is not None:
            lines.append(f"Not Before: {self.not_before}")
        if self.request_id is not None:
            lines.append(f"Request ID: {self.request_id}")
        if self.resources is not None:
            lines.append(_RESOURCES_LINE)
            lines += [_RESOURCE_PREFIX + r for r in self.resources]
        return "\n".join(lines)


def _require_str(field: str, value: object) -> None:
    if not isinstance(value, str):
        raise SiweParseError(field, f"must be a string, got {type(value).__name__}")


def _field_for_line(line: str) -> str:
    """Best guess at which field an unexpected line belongs to, for error messages."""
    for prefix, name in _ALL_PREFIXES:
        if line.startswith(prefix):
            return name
    return "message"


def parse_message(text: str) -> SiweMessage:
    """Parse EIP-4361 text, raising :class:`SiweParseError` on any deviation from the ABNF."""
    if not isinstance(text, str):
        raise SiweParseError("message", "must be a string")
    # Split on LF only: the ABNF uses bare LF, so a CR stays inside a field
    # and is then rejected by that field's grammar.
    lines = text.split("\n")
    pos = 0

    def take() -> str | None:
        nonlocal pos
        if pos >= len(lines):
            return None
        pos += 1
        return lines[pos - 1]

    header = take() or ""
    if not header.endswith(_HEADER_SUFFIX):
        raise SiweParseError(
            "domain", "missing ' wants you to sign in with your Ethereum account:'"
        )
    origin = header[: -len(_HEADER_SUFFIX)]
    scheme: str | None = None
    # An authority can never contain "/", so "://" can only end a scheme.
    if "://" in origin:
        scheme, origin = origin.split("://", 1)
    if not origin:
        raise SiweParseError("domain", "missing domain")

    address = take()
    if not address:
        raise SiweParseError("address", "missing address line")
    if take() != "":
        raise SiweParseError("statement", "expected an empty line after the address")

    # Without a statement the address is followed by two empty lines; with one
    # (possibly empty, the ABNF allows that) it is "", statement, "".
    statement: str | None = None
    if pos + 1 < len(lines) and lines[pos] == "" and lines[pos + 1] != "":
        pos += 1
    else:
        statement = take()
        if statement is None:
            raise SiweParseError("uri", "message ends after the address")
        if take() != "":
            raise SiweParseError("statement", "statement must be a single line followed by LF LF")

    values: dict[str, str] = {}
    for prefix, name in _REQUIRED_LINES:
        line = take()
        if line is None or not line.startswith(prefix):
            raise SiweParseError(name, f"expected a line starting with {prefix!r}")
        values[name] = line[len(prefix) :]
    for prefix, name in _OPTIONAL_LINES:
        if pos < len(lines) and lines[pos].startswith(prefix):
            values[name] = lines[pos][len(prefix) :]
            pos += 1
    resources: list[str] | None = None
    if pos < len(lines) and lines[pos] == _RESOURCES_LINE:
        pos += 1
        resources = []
        while pos < len(lines) and lines[pos].startswith(_RESOURCE_PREFIX):
            resources.append(lines[pos][len(_RESOURCE_PREFIX) :])
            pos += 1
    if pos < len(lines):
        raise SiweParseError(
            _field_for_line(lines[pos]), f"unexpected or out-of-order line: {lines[pos]!r}"
        )

    return SiweMessage(
        scheme=scheme,
        domain=origin,
        address=address,
        statement=statement,
        uri=values["uri"],
        version=values["version"],
        chain_id=g.parse_chain_id(values["chain_id"]),
        nonce=values["nonce"],
        issued_at=values["issued_at"],
        expiration_time=values.get("expiration_time"),
        not_before=values.get("not_before"),
        request_id=values.get("request_id"),
        resources=resources,
    )
