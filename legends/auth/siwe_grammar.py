"""Field-level grammar for EIP-4361 (Sign-In with Ethereum) messages.

Each ``check_*`` function validates one field against the ABNF of EIP-4361 and
the RFCs it imports (RFC 3986 for URIs and authorities, RFC 3339 for
timestamps) and raises :class:`SiweParseError` naming the field. The line
structure of a whole message lives in :mod:`legends.auth.siwe`.

All patterns are ASCII-only and matched with ``fullmatch``: ``\\d`` would accept
non-ASCII digits and ``$`` would accept a trailing newline, either of which
would let a message parse but not round-trip to the exact text that was signed.
"""

from __future__ import annotations

import calendar
import ipaddress
import re
from datetime import UTC, datetime, timedelta, timezone

from eth_utils import is_checksum_address


class SiweParseError(ValueError):
    """A message, or one of its fields, does not match the EIP-4361 grammar."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# --- RFC 3986 building blocks -------------------------------------------------

_ALNUM = "A-Za-z0-9"
_UNRESERVED = _ALNUM + r"\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_GEN_DELIMS = r":/?#\[\]@"
_PCT = "%[0-9A-Fa-f]{2}"
# The character classes never contain "%", so each alternation is disjoint
# from the next and the regexes below match in linear time.
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_SCHEME = rf"[A-Za-z][{_ALNUM}+\-.]*"
_USERINFO = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*"
_REG_NAME = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*"
# Bracketed host; the inside is checked by _valid_ip_literal because an IPv6
# regex is unreadable and the stdlib already knows the grammar.
_IP_LITERAL = rf"\[[{_UNRESERVED}{_SUB_DELIMS}:]*\]"
_HOST = rf"(?:{_IP_LITERAL}|{_REG_NAME})"
_AUTHORITY = rf"(?:{_USERINFO}@)?(?P<host>{_HOST})(?::[0-9]*)?"
_SEGMENT = rf"{_PCHAR}*"
_SEGMENT_NZ = rf"{_PCHAR}+"
_HIER_PART = (
    rf"(?://{_AUTHORITY}(?:/{_SEGMENT})*"  # "//" authority path-abempty
    rf"|/(?:{_SEGMENT_NZ}(?:/{_SEGMENT})*)?"  # path-absolute
    rf"|{_SEGMENT_NZ}(?:/{_SEGMENT})*"  # path-rootless
    r"|)"  # path-empty
)
_QUERY = rf"(?:{_PCHAR}|[/?])*"

SCHEME_RE = re.compile(_SCHEME)
AUTHORITY_RE = re.compile(_AUTHORITY)
URI_RE = re.compile(rf"{_SCHEME}:{_HIER_PART}(?:\?{_QUERY})?(?:#{_QUERY})?")
_IPV_FUTURE_RE = re.compile(rf"[vV][0-9A-Fa-f]+\.[{_UNRESERVED}{_SUB_DELIMS}:]+")

# --- EIP-4361 fields ----------------------------------------------------------

_ADDRESS_RE = re.compile("0x[0-9a-fA-F]{40}")
# statement = *( reserved / unreserved / " " ): printable ASCII minus
# '"', '%', '<', '>', '\', '^', '`', '{', '|', '}' -- and, crucially, no LF.
_STATEMENT_RE = re.compile(rf"[{_UNRESERVED}{_GEN_DELIMS}{_SUB_DELIMS} ]*")
_NONCE_RE = re.compile(f"[{_ALNUM}]{{8,}}")
_REQUEST_ID_RE = re.compile(rf"{_PCHAR}*")
# 1*DIGIT, but canonical (no leading zeros) so that the int we store renders
# back to the exact digits that were signed.
CHAIN_ID_RE = re.compile("0|[1-9][0-9]*")
# Chain ids are uint256 in practice (EIP-155/EIP-2294); the cap also keeps
# int() away from pathological digit strings.
MAX_CHAIN_ID = 2**256 - 1

# RFC 3339 section 5.6 date-time. Per its section 5.6 note, "T" and "Z" may
# be lower case.
_DATE_TIME_RE = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})[Tt]"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:\.(?P<frac>[0-9]+))?"
    r"(?:(?P<zulu>[Zz])|(?P<sign>[+-])(?P<off_hour>[0-9]{2}):(?P<off_minute>[0-9]{2}))"
)


def _valid_ip_literal(host: str) -> bool:
    inner = host[1:-1]
    if _IPV_FUTURE_RE.fullmatch(inner):
        return True
    try:
        ipaddress.IPv6Address(inner)  # the class above already excludes "%zone"
    except ValueError:
        return False
    return True


def is_uri(value: str) -> bool:
    """True if ``value`` is an RFC 3986 ``URI`` (absolute, with scheme)."""
    match = URI_RE.fullmatch(value)
    if match is None:
        return False
    host = match.group("host")
    return not (host and host.startswith("[") and not _valid_ip_literal(host))


def check_scheme(value: str) -> None:
    if not SCHEME_RE.fullmatch(value):
        raise SiweParseError("scheme", f"not an RFC 3986 scheme: {value!r}")


def check_domain(value: str) -> None:
    match = AUTHORITY_RE.fullmatch(value)
    if match is None:
        raise SiweParseError("domain", f"not an RFC 3986 authority: {value!r}")
    host = match.group("host")
    # RFC 3986 allows an empty reg-name, but a SIWE domain must name a host.
    if not host:
        raise SiweParseError("domain", "missing host")
    if host.startswith("[") and not _valid_ip_literal(host):
        raise SiweParseError("domain", f"invalid IP literal: {host!r}")


def check_address(value: str) -> None:
    if not _ADDRESS_RE.fullmatch(value):
        raise SiweParseError("address", f"expected 0x followed by 40 hex digits: {value!r}")
    if not is_checksum_address(value):
        raise SiweParseError("address", f"not EIP-55 checksummed: {value!r}")


def check_statement(value: str) -> None:
    if "\n" in value:
        raise SiweParseError("statement", "must not contain a line break")
    if not _STATEMENT_RE.fullmatch(value):
        raise SiweParseError(
            "statement", "contains characters outside RFC 3986 reserved/unreserved"
        )


def check_uri(field: str, value: str) -> None:
    if not is_uri(value):
        raise SiweParseError(field, f"not an RFC 3986 URI: {value!r}")


def check_version(value: str) -> None:
    if value != "1":
        raise SiweParseError("version", f"must be '1', got {value!r}")


def check_chain_id(value: object) -> None:
    # bool is an int subclass; True must not silently mean chain 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise SiweParseError("chain_id", f"must be an int, got {type(value).__name__}")
    if not 0 <= value <= MAX_CHAIN_ID:
        raise SiweParseError("chain_id", f"out of range: {value}")


def parse_chain_id(text: str) -> int:
    if not CHAIN_ID_RE.fullmatch(text):
        raise SiweParseError("chain_id", f"expected decimal digits without leading zeros: {text!r}")
    if len(text) > len(str(MAX_CHAIN_ID)):
        raise SiweParseError("chain_id", "out of range")
    value = int(text)
    check_chain_id(value)
    return value


def check_nonce(value: str) -> None:
    if not _NONCE_RE.fullmatch(value):
        raise SiweParseError("nonce", "must be at least 8 ASCII letters or digits")


def check_request_id(value: str) -> None:
    if not _REQUEST_ID_RE.fullmatch(value):
        raise SiweParseError("request_id", f"not an RFC 3986 pchar sequence: {value!r}")


def parse_datetime(field: str, value: str) -> datetime:
    """Validate an RFC 3339 ``date-time`` and return it as an aware UTC datetime.

    Range checks are done by hand (rather than ``datetime.fromisoformat``)
    because fromisoformat accepts many non-RFC 3339 shapes (week dates, no
    offset, "2021-09-30 16:25", ...). A leap second (:60) is valid RFC 3339
    but not representable by ``datetime``; it is clamped to :59.999999, which
    orders correctly against every representable instant.
    """
    match = _DATE_TIME_RE.fullmatch(value)
    if match is None:
        raise SiweParseError(field, f"not an RFC 3339 date-time: {value!r}")
    year, month, day = (int(match.group(k)) for k in ("year", "month", "day"))
    hour, minute, second = (int(match.group(k)) for k in ("hour", "minute", "second"))
    if year == 0:
        raise SiweParseError(field, "year 0000 is not supported")
    if not 1 <= month <= 12:
        raise SiweParseError(field, f"month out of range: {value!r}")
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise SiweParseError(field, f"day out of range for the month: {value!r}")
    if hour > 23 or minute > 59 or second > 60:
        raise SiweParseError(field, f"time of day out of range: {value!r}")
    if match.group("zulu"):
        tz = UTC
    else:
        off_hour, off_minute = int(match.group("off_hour")), int(match.group("off_minute"))
        if off_hour > 23 or off_minute > 59:
            raise SiweParseError(field, f"UTC offset out of range: {value!r}")
        sign = -1 if match.group("sign") == "-" else 1
        tz = timezone(sign * timedelta(hours=off_hour, minutes=off_minute))
    micro = int((match.group("frac") or "0")[:6].ljust(6, "0"))
    if second == 60:
        second, micro = 59, 999_999
    try:
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=tz).astimezone(UTC)
    except OverflowError as exc:  # e.g. 0001-01-01T00:00:00+01:00 is before year 1 in UTC
        raise SiweParseError(field, f"out of the supported range: {value!r}") from exc
